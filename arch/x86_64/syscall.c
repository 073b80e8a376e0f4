/*
 * Setting up the syscall gate, and the C side of it (course section: the
 * syscall gate).
 *
 * `syscall` needs four MSRs: EFER.SCE turns the instruction on; STAR holds
 * the segment selectors it and `sysret` load (arch/x86_64/segments.h);
 * LSTAR is the address it jumps to; FMASK the rflags bits it clears. We
 * clear IF (no interrupt before the entry code has switched stacks), TF (no
 * single-step trap in the kernel), DF (C expects it clear), AC (with SMAP,
 * a set AC would let the kernel touch user memory) and NT.
 *
 * syscall_dispatch() is what syscall_entry.asm calls with the saved frame:
 * look up the number in the table generated from kernel/syscalls.tbl, call
 * the function, store the result in the frame's rax, then decide how to go
 * back to user mode.
 */
#include "kernel/syscall.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/segments.h"
#include "kernel/entry.h"
#include "kernel/tracing/trace.h"
#include "arch/x86_64/percpu.h"
#include "kernel/proc/task.h"
#include "kernel/trace/ptrace.h"
#include "kernel/seccomp/seccomp.h"
#include "mm/layout.h"

extern char syscall_entry[];
syscall_hook_fn syscall_entry_hook;

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, STAR_VALUE);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
}

/* sysret restores rip from rcx and rflags from r11 and cannot restore
 * rcx/r11 themselves, the RF flag or a TF that should trap at once; and on
 * Intel CPUs a non-canonical rcx makes it fault in ring 0 with the user's
 * stack. So it is only for frames that are still what `syscall` left. */
static bool sysret_is_safe(const struct regs *r)
{
	return r->rcx == r->rip && r->r11 == r->rflags && r->rip < USER_TOP &&
	       r->cs == USER_CS && r->ss == USER_DS && !(r->rflags & (RFLAGS_RF | RFLAGS_TF));
}

/* The way through a syscall for a task with syscall work: ptrace's entry
 * stop; then seccomp's judgement, after the stop so that what the tracer
 * changed is what is judged (as Linux orders them); the call, unless one
 * of them skipped it (-1: the result is already in rax); ptrace's exit stop. */
static long syscall_with_work(struct regs *r)
{
	struct task *t = current;
	int nr = (int)r->orig_rax;
	if (t->syscall_work & SYSCALL_WORK_PTRACE)
		nr = ptrace_syscall_enter(r);
	if (nr != -1 && (t->syscall_work & SYSCALL_WORK_SECCOMP))
		nr = seccomp_syscall_enter(r);
	if (nr == -1)
		; /* skipped */
	else if (unlikely(trace_syscalls_active))
		r->rax = (uint64_t)traced_syscall(r);
	else if ((unsigned)nr < NR_SYSCALLS && syscall_table[nr])
		r->rax = (uint64_t)syscall_table[nr](r);
	else
		r->rax = (uint64_t)-ENOSYS;
	if (t->syscall_work & SYSCALL_WORK_PTRACE)
		ptrace_syscall_exit();
	return (long)r->rax;
}

bool syscall_dispatch(struct regs *r)
{
	/* Like Linux, only the low 32 bits of rax select the call, as a signed
	 * int: negative and too-large numbers both miss the table. */
	int nr = (int)r->orig_rax;
	long ret = -ENOSYS;
	this_cpu()->syscalls++;
	if (unlikely(syscall_entry_hook))
		syscall_entry_hook(r);
	if (unlikely(current->syscall_work)) /* ptrace's stops, seccomp's filters: one test for both */
		ret = syscall_with_work(r);
	else if (unlikely(trace_syscalls_active))
		ret = traced_syscall(r); /* syscalls:sys_enter_*, sys_exit_* (kernel/tracing/) */
	else if ((unsigned)nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](r);
	r->rax = ret;
	exit_to_user(r);
	return sysret_is_safe(r);
}

int syscall_register(unsigned nr, syscall_fn_t fn)
{
	if (nr >= NR_SYSCALLS)
		return -EINVAL;
	if (syscall_table[nr])
		return -EBUSY;
	syscall_table[nr] = fn;
	return 0;
}

void syscall_unregister(unsigned nr)
{
	if (nr < NR_SYSCALLS)
		syscall_table[nr] = NULL;
}
