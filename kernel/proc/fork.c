/*
 * fork and clone: making a new task from the calling one (course section:
 * processes; kernel architecture -- what a task is).
 *
 * The child gets a new pid and, for each part of the caller, either a copy
 * or -- if clone's flags say so -- a share of the very same object: the
 * address space (a copy is shared copy-on-write, so it costs little until
 * someone writes), the descriptor table (even a copy holds the same open
 * files: they share positions), the current directory and umask, the
 * signal actions, and the process itself (a thread). The saved registers
 * are copied with rax = 0 in the child, so fork "returns twice": the
 * child's pid in the parent, 0 in the child. The rules on which flags may
 * go together are in kernel/proc/clone.c.
 */
#include "kernel/net/cn_proc.h"
#include "arch/x86_64/fpu.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/proc/clone.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/seccomp/seccomp.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "kernel/cred/cred.h"
#include "kernel/trace/ptrace.h"
#include "kernel/proc/rseq.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "kernel/tracing/hooks.h"

/* The shared-or-copied objects; false if out of memory. */
static bool share_or_copy(struct task *child, struct task *parent, uint64_t flags)
{
	if (flags & CLONE_VM) {
		child->mm = parent->mm;
		parent->mm->users++;
	} else {
		child->mm = mm_fork(parent->mm);
	}
	if (flags & CLONE_FILES) {
		child->files = parent->files;
		parent->files->refs++;
	} else {
		child->files = fd_table_copy(parent->files);
	}
	if (flags & CLONE_FS) {
		child->fs = parent->fs;
		parent->fs->refs++;
	} else {
		child->fs = fs_context_copy(parent->fs);
	}
	if (flags & CLONE_SIGHAND) {
		child->sighand = parent->sighand;
		parent->sighand->refs++;
	} else {
		child->sighand = sighand_copy(parent->sighand);
	}
	rseq_fork(child, parent, flags & CLONE_VM);
	return child->mm && child->files && child->fs && child->sighand;
}

/* A clone that failed half-way: give back what the child took. */
static void undo_clone(struct task *child)
{
	mm_put(child->mm);
	fd_table_put(child->files);
	fs_context_put(child->fs);
	sighand_put(child->sighand);
	child->sighand = NULL;
	thread_group_unjoin(child);
	task_free(child);
}

/* CLONE_CLEAR_SIGHAND: handled signals back to SIG_DFL; ignored stay ignored. */
static void clear_handlers(struct sighand *s)
{
	for (int sig = 1; sig <= NSIG_KERNEL; sig++)
		if (s->action[sig].handler != SIG_IGN)
			memset(&s->action[sig], 0, sizeof(s->action[sig]));
}

/* Where the child hangs in the family tree: a thread and a CLONE_PARENT
 * child beside the caller's process, any other child under it (under
 * its leader: a process's children are the process's, whichever thread
 * made them). */
static void link_family(struct task *child, struct task *parent, uint64_t flags)
{
	struct task *leader = parent->group->leader;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	if (flags & CLONE_THREAD) {
		child->parent = leader->parent;
		child->exit_signal = -1; /* threads tell nobody: their process does */
		return;
	}
	child->parent = (flags & CLONE_PARENT) ? leader->parent : leader;
	if (child->parent)
		list_push_back(&child->parent->children, &child->sibling);
}

long do_clone(const struct clone_request *req)
{
	struct task *parent = current;
	uint64_t flags = req->flags;
	struct task *child = task_alloc((flags & CLONE_THREAD) ? parent->group : NULL);
	if (!child)
		return -EAGAIN;
	if (!share_or_copy(child, parent, flags)) {
		undo_clone(child);
		return -ENOMEM;
	}
	if (flags & CLONE_CLEAR_SIGHAND)
		clear_handlers(child->sighand);
	memcpy(child->name, parent->name, sizeof(child->name));
	child->oom_score_adj = parent->oom_score_adj;
	child->prctl.not_dumpable = parent->prctl.not_dumpable; /* pdeathsig and subreaper are not inherited */
	child->cred = cred_get(parent->cred); /* shared until one of them changes ids */
	seccomp_fork(child, parent); /* filters are inherited, threads included */
	link_family(child, parent, flags);
	if (!(flags & CLONE_THREAD))
		child->exit_signal = req->exit_signal;
	child->fs_base = (flags & CLONE_SETTLS) ? req->tls : parent->fs_base;
	child->gs_base = parent->gs_base;
	child->clear_child_tid = (flags & CLONE_CHILD_CLEARTID) ? req->child_tid : NULL;
	child->start_ticks = timer_ticks();
	signals_fork(child, parent);
	/* A new thread on our memory must not share our signal stack (Linux). */
	if ((flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM)
		child->sig.altstack = (stack_t){ .ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0 };
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	fpu_save(child->fpu_state); /* the parent's live FPU registers */

	/* The child returns to user mode with the parent's registers, rax = 0,
	 * on its own stack if it was given one. */
	struct regs *r = task_regs(child);
	*r = *task_regs(parent);
	r->rax = 0;
	if (req->stack)
		r->rsp = req->stack;
	task_prepare_first_run(child);

	/* Like Linux, a bad tid pointer does not undo the clone: the write is
	 * simply not done. The child's word is written in the child's memory. */
	int tid = child->pid;
	if (flags & CLONE_PARENT_SETTID)
		(void)copy_to_user(req->parent_tid, &tid, sizeof(tid));
	if (flags & CLONE_CHILD_SETTID)
		(void)vm_write(child->mm, (uint64_t)req->child_tid, &tid, sizeof(tid));
	cn_proc_fork(parent, child); /* the process-events connector (kernel/net/cn_proc.c) */
	tracehook_fork(parent, child);
	/* ptrace: a tracer that follows forks traces the child from its start. */
	int trace_event = unlikely(parent->ptrace) ? ptrace_clone_attach(child, flags) : 0;
	sched_enqueue(child);
	if (trace_event)
		ptrace_event(trace_event, (unsigned long)tid); /* ptrace: PTRACE_EVENT_FORK... */
	if (!(flags & CLONE_VFORK))
		return tid;
	long ret = vfork_wait(child);
	if (unlikely(parent->ptrace))
		ptrace_event(PTRACE_EVENT_VFORK_DONE, (unsigned long)tid); /* ptrace */
	return ret;
}

long sys_fork(void)
{
	struct clone_request req = { .exit_signal = SIGCHLD };
	return do_clone(&req);
}

/*
 * vfork: a fork that copies nothing. The child runs on the parent's own
 * memory -- its stack too -- so the parent must not run until the child is
 * done with it: it sleeps here until the child calls execve (which gives
 * the child memory of its own) or exits. That is why a vfork child may
 * only do one of those two things. Only SIGKILL ends the parent's wait
 * early, as on Linux; other signals wait until it returns.
 */
long vfork_wait(struct task *child)
{
	struct task *parent = current;
	long pid = child->pid;
	child->vfork_parent = parent;
	parent->vfork_child = child;
	struct waiter w;
	waiter_init(&w, NULL, NULL);
	while (parent->vfork_child && !(sigpending_all(parent) & SIGBIT(SIGKILL))) {
		prepare_to_wait(&parent->child_wait, &w);
		if (parent->vfork_child && !(sigpending_all(parent) & SIGBIT(SIGKILL)))
			schedule();
		finish_wait(&w);
	}
	return pid;
}

long sys_vfork(void)
{
	struct clone_request req = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };
	return do_clone(&req);
}

void vfork_release(struct task *t)
{
	if (t->vfork_parent) {
		/* The child execs or exits: give the parent back its memory. */
		t->vfork_parent->vfork_child = NULL;
		wake_up_all(&t->vfork_parent->child_wait);
		t->vfork_parent = NULL;
	}
	if (t->vfork_child) {
		/* The parent dies (SIGKILL) first: the child keeps the memory. */
		t->vfork_child->vfork_parent = NULL;
		t->vfork_child = NULL;
	}
}
