/*
 * /proc/PID/{stack,wchan,syscall} and /proc/interrupts: where a process
 * is inside the kernel (course section: procfs and sysfs).
 *
 * A process asleep in a syscall is somewhere in the kernel: its kernel
 * stack holds the chain of calls that led to schedule(). These files show
 * that from outside, in Linux's formats:
 *   syscall  the syscall it is in: its number, its six arguments, the user
 *            stack pointer and program counter ("running" if it is on the
 *            CPU or about to be; "-1 sp pc" if it is not in a syscall).
 *            /proc files are made when opened, so a process reading its
 *            own sees its open, where Linux (which makes them when read)
 *            shows the read;
 *   stack    the kernel functions on its stack, innermost first, found by
 *            following the frame pointers (the kernel is built with them);
 *   wchan    the function it waits in: the first one below the scheduler.
 * /proc/interrupts counts each interrupt line, with the handler's name.
 */
#include "kernel/fs/procfs_kernel.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/x86.h"
#include "kernel/module/ksyms.h"
#include "kernel/proc/task.h"
#include "libc/include/string.h"
#include "mm/layout.h"

#define STACK_DEPTH_MAX 32

/* The scheduler's own functions: every sleeper has them, so they say
 * nothing about why it sleeps (Linux skips its __sched functions too). */
static bool scheduler_function(const char *name)
{
	return !strcmp(name, "schedule") || !strcmp(name, "context_switch");
}

/*
 * The return addresses on a sleeping task's kernel stack. context_switch
 * pushed rbx, rbp, r12-r15 under its return address, so the saved rbp
 * starts the chain of frames: [rbp] is the caller's rbp, [rbp + 8] the
 * return address. Every address read must lie inside the task's stack.
 */
static int stack_trace(const struct task *p, uint64_t *out, int max)
{
	uint64_t lo = p->kstack_top - KSTACK_SIZE, hi = p->kstack_top;
	const uint64_t *sw = (const uint64_t *)p->saved_rsp;
	if (p->saved_rsp < lo || p->saved_rsp + 7 * 8 > hi)
		return 0;
	int n = 0;
	out[n++] = sw[6]; /* context_switch's return, into schedule() */
	uint64_t rbp = sw[4];
	while (n < max && rbp >= lo && rbp + 16 <= hi && rbp % 8 == 0) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (!ksym_lookup(ret, &(uint64_t){ 0 }))
			break; /* into the entry code's frame: the end */
		out[n++] = ret;
		if (frame[0] <= rbp)
			break; /* frames go up the stack, always */
		rbp = frame[0];
	}
	return n;
}

/* A task whose kernel stack can be read now: asleep or stopped, not us. */
static struct task *stopped_task(pid_t pid, int *err)
{
	struct task *p = task_find(pid);
	*err = p ? 0 : -ENOENT;
	if (p && (p == current || p->state == TASK_RUNNING || p->state >= TASK_ZOMBIE))
		return NULL;
	return p;
}

int gen_pid_stack(struct proc_text *t, pid_t pid)
{
	int err;
	struct task *p = stopped_task(pid, &err);
	if (!p)
		return err;
	uint64_t ret[STACK_DEPTH_MAX];
	int n = stack_trace(p, ret, STACK_DEPTH_MAX);
	for (int i = 0; i < n; i++) {
		uint64_t off;
		const char *name = ksym_lookup(ret[i], &off);
		if (!name || scheduler_function(name))
			continue;
		proc_printf(t, "[<0>] %s+%#lx/%#lx\n", name, off, ksym_size(ret[i] - off));
	}
	return 0;
}

int gen_pid_wchan(struct proc_text *t, pid_t pid)
{
	int err;
	struct task *p = stopped_task(pid, &err);
	if (err)
		return err;
	uint64_t ret[STACK_DEPTH_MAX];
	int n = p ? stack_trace(p, ret, STACK_DEPTH_MAX) : 0;
	for (int i = 0; i < n; i++) {
		uint64_t off;
		const char *name = ksym_lookup(ret[i], &off);
		if (name && !scheduler_function(name)) {
			proc_printf(t, "%s", name);
			return 0;
		}
	}
	proc_printf(t, "0"); /* running: it waits for nothing */
	return 0;
}

int gen_pid_syscall(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p || p->state >= TASK_ZOMBIE)
		return -ENOENT;
	if (p != current && p->state == TASK_RUNNING) {
		proc_printf(t, "running\n");
		return 0;
	}
	const struct regs *r = task_regs(p);
	if (r->vector != VEC_SYSCALL) {
		proc_printf(t, "-1 0x%lx 0x%lx\n", r->rsp, r->rip);
		return 0;
	}
	proc_printf(t, "%ld 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx\n", (long)r->orig_rax, r->rdi, r->rsi, r->rdx,
		    r->r10, r->r8, r->r9, r->rsp, r->rip);
	return 0;
}

/* Linux's layout: a header of CPUs, then "IRQ: count  chip  name". */
static int gen_interrupts(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "           CPU0       \n");
	for (int irq = 0; irq < 16; irq++) {
		uint64_t count, off;
		irq_handler_t h = irq_info(irq, &count);
		const char *name = h ? ksym_lookup((uint64_t)h, &off) : NULL;
		if (h)
			proc_printf(t, "%3d: %10lu    XT-PIC  %d-edge      %s\n", irq, count, irq, name ? name : "?");
	}
	uint64_t spurious;
	irq_info(-1, &spurious);
	proc_printf(t, "ERR: %10lu\n", spurious);
	return 0;
}

void procfs_kernel_init(void)
{
	procfs_add("interrupts", gen_interrupts);
}
