/*
 * The task table and kernel stacks (course section: processes).
 *
 * A task is one running program: its registers (saved on its kernel stack
 * while it is in the kernel or switched out), its address space, its open
 * files, its place in the family tree. Each task has its own kernel stack,
 * mapped in the kernel stack area with an unmapped guard page below it, so
 * that a kernel stack overflow faults at once instead of silently
 * overwriting the next task's stack.
 *
 * How many tasks may exist (threads-max) follows from the memory, by
 * Linux's rule: one task for every 8 kernel stacks' worth of RAM, so that
 * the stacks alone can never take more than an eighth of it. A pid finds
 * its task through a table indexed by pid, in constant time however many
 * tasks there are (kill, wait4, /proc lookups all start there).
 */
#include "kernel/proc/task.h"
#include "arch/x86_64/x86.h"
#include "kernel/printk.h"
#include "kernel/fs/procfs.h"
#include "kernel/signal/signal.h"
#include "kernel/cred/cred.h"
#include "kernel/seccomp/seccomp.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/paging.h"

#define KSTACK_SLOTS (MAX_TASKS_CEILING + 8)
#define THREADS_MIN 20 /* Linux's floor for threads-max */

long threads_max = THREADS_MIN;

struct list_node all_tasks = LIST_INIT(all_tasks);
struct task *init_task;
int task_count;

static bool slot_used[KSTACK_SLOTS];
static struct task *pid_table[PID_MAX]; /* the task of each pid in use */
static pid_t last_pid;

extern char task_first_return[];

static uint64_t slot_base(int slot)
{
	return KSTACK_AREA + (uint64_t)slot * KSTACK_SLOT;
}

/*
 * The page tables of the whole kernel stack area, made once at boot: a
 * few frames (one table maps 64 slots) that would otherwise be made the
 * first time that many processes exist at once, and kept -- so that after
 * a burst of processes the free-frame count comes back exactly, and the
 * leak checks can demand that.
 */
void kstacks_init(void)
{
	uint64_t by_memory = (uint64_t)frames_total_count() * PAGE_SIZE / (8 * KSTACK_SIZE);
	threads_max = (long)MIN(MAX(by_memory, (uint64_t)THREADS_MIN), (uint64_t)MAX_TASKS_CEILING);
	uint64_t end = slot_base(threads_max + 8);
	for (uint64_t va = KSTACK_AREA; va < end; va += 512 * PAGE_SIZE)
		if (!pte_lookup(kernel_pml4, va, true))
			panic("no memory for the kernel stacks' page tables");
}

/* Map a kernel stack at the top of a free slot; the slot's lower part,
 * the guard, stays unmapped. Returns the slot, or -1. */
static int kstack_alloc(void)
{
	int slot;
	for (slot = 0; slot < KSTACK_SLOTS && slot_used[slot]; slot++)
		;
	if (slot == KSTACK_SLOTS)
		return -1;
	uint64_t top = slot_base(slot) + KSTACK_SLOT;
	for (uint64_t va = top - KSTACK_SIZE; va < top; va += PAGE_SIZE) {
		phys_addr_t f = frame_alloc();
		if (!f) {
			for (uint64_t u = top - KSTACK_SIZE; u < va; u += PAGE_SIZE)
				frame_free(unmap_page(kernel_pml4, u));
			return -1;
		}
		kernel_map_page(va, f, PTE_W | pte_nx());
	}
	slot_used[slot] = true;
	return slot;
}

static void kstack_free(int slot)
{
	uint64_t top = slot_base(slot) + KSTACK_SLOT;
	for (uint64_t va = top - KSTACK_SIZE; va < top; va += PAGE_SIZE)
		frame_free(unmap_page(kernel_pml4, va));
	slot_used[slot] = false;
}

struct task *task_find(pid_t pid)
{
	return pid > 0 && pid < PID_MAX ? pid_table[pid] : NULL;
}

void task_swap_pids(struct task *a, struct task *b)
{
	pid_t pid = a->pid;
	a->pid = b->pid;
	b->pid = pid;
	pid_table[a->pid] = a;
	pid_table[b->pid] = b;
}

struct task *task_find_group_member(pid_t pgid)
{
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->pgid == pgid)
			return t;
	}
	return NULL;
}

static pid_t pid_alloc(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		last_pid = last_pid >= PID_MAX - 1 ? 1 : last_pid + 1;
		if (!task_find(last_pid))
			return last_pid;
	}
	return -1;
}

/* A new task with a pid and a kernel stack, not yet runnable. NULL when
 * the task table or memory is full. */
struct task *task_alloc(struct thread_group *group)
{
	if (task_count >= threads_max)
		return NULL;
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->kstack_slot = kstack_alloc();
	if (t->kstack_slot < 0) {
		kfree(t);
		return NULL;
	}
	if (group) {
		thread_group_join(t, group);
	} else if (!thread_group_create(t)) {
		kstack_free(t->kstack_slot);
		kfree(t);
		return NULL;
	}
	t->kstack_top = slot_base(t->kstack_slot) + KSTACK_SLOT;
	t->pid = pid_alloc(); /* never fails: threads_max < PID_MAX */
	pid_table[t->pid] = t;
	t->state = TASK_RUNNING;
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->run_node);
	wait_queue_init(&t->child_wait);
	wait_queue_init(&t->signal_wait);
	sigpending_init(&t->sig.pending);
	list_init(&t->tracees);
	list_init(&t->ptrace_notes);
	list_push_back(&all_tasks, &t->all);
	task_count++;
	procfs_task_added(t);
	return t;
}

/* Out of the task list, the parent's children and /proc: no pid finds it. */
static void task_unlink(struct task *t)
{
	procfs_task_removed(t);
	pid_table[t->pid] = NULL;
	list_remove(&t->all);
	list_remove(&t->sibling);
}

static void task_release(struct task *t)
{
	signals_release(t);
	cred_put(t->cred);
	seccomp_release(t);
	sighand_put(t->sighand);
	thread_group_put(t);
	kstack_free(t->kstack_slot);
	task_count--;
	kfree(t);
}

/* Release what is left of a reaped zombie: its stack and its struct. */
void task_free(struct task *t)
{
	task_unlink(t);
	task_release(t);
}

/*
 * An exiting task cannot free its own kernel stack: it is running on it,
 * down to the last schedule(). So it leaves everything that could find it
 * now (kill(pid, 0) says ESRCH at once, as on Linux), waits on this list,
 * and whoever calls schedule() next frees it -- by then it is not running.
 */
static struct list_node dead_tasks = LIST_INIT(dead_tasks);

void task_free_when_switched_away(struct task *t)
{
	task_unlink(t);
	t->parent = NULL;
	t->state = TASK_DEAD;
	list_push_back(&dead_tasks, &t->all);
}

void free_dead_tasks(void)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &dead_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t != current) {
			list_remove(&t->all);
			task_release(t);
		}
	}
}

struct regs *task_regs(struct task *t)
{
	return (struct regs *)t->kstack_top - 1;
}

/* Build the stack context_switch() expects -- six callee-saved registers
 * and a return address -- so that switching to the new task "returns" into
 * task_first_return, which leaves for user mode through the task's frame. */
void task_prepare_first_run(struct task *t)
{
	uint64_t *sp = (uint64_t *)task_regs(t);
	*--sp = (uint64_t)task_first_return;
	for (int i = 0; i < 6; i++)
		*--sp = 0; /* rbx, rbp, r12-r15 */
	t->saved_rsp = (uint64_t)sp;
}

void task_set_name(struct task *t, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	strncpy(t->name, base, TASK_NAME_LEN - 1);
	t->name[TASK_NAME_LEN - 1] = 0;
}
