/*
 * The signal frame: entering a handler and rt_sigreturn (course section:
 * signals).
 *
 * How a handler runs: the kernel cannot call a user function, so it makes
 * the program call it. On the way back to user mode, it
 *   1. saves the program's registers (and FPU state) in a struct on the
 *      program's own stack -- Linux's rt_sigframe:
 *          [ pretcode ]   <- rsp when the handler starts: its "return address"
 *          [ ucontext ]   the saved registers (uc_mcontext) and signal mask
 *          [ siginfo  ]   who sent the signal and why
 *          [ fpstate  ]   the FPU/SSE registers (fxsave format)
 *   2. changes the saved registers so that the return "lands" in the
 *      handler: rip = handler, rdi = signal number, rsi = &siginfo,
 *      rdx = &ucontext, rsp = the frame;
 *   3. blocks the signal (and sa_mask) while the handler runs.
 * When the handler returns, it "returns" to pretcode: the sa_restorer that
 * libc gave rt_sigaction, which does `mov $15, %eax; syscall`, i.e.
 * rt_sigreturn. That syscall reads the ucontext back (the handler may have
 * changed it: that is how a handler can resume elsewhere), checks it cannot
 * give the program kernel privileges, and restores it.
 */
#include "kernel/signal_frame.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/segments.h"
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "libc/include/string.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

struct rt_sigframe {
	uint64_t pretcode;
	struct kernel_ucontext uc;
	ksiginfo_t info;
};

#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define RED_ZONE 128 /* the psABI lets leaf functions use 128 bytes below rsp */

/* The flags a program may change through sigreturn; the rest (IF, IOPL,
 * VM...) keep the kernel's values. */
#define USER_CHANGEABLE_FLAGS                                                                 \
	(RFLAGS_AC | (1 << 11) /* OF */ | RFLAGS_DF | RFLAGS_TF | (1 << 7) /* SF */ |          \
	 (1 << 6) /* ZF */ | (1 << 4) /* AF */ | (1 << 2) /* PF */ | RFLAGS_CF | RFLAGS_RF)

static bool on_altstack(const struct task *t, uint64_t sp)
{
	const stack_t *s = &t->sig.altstack;
	return !(s->ss_flags & SS_DISABLE) && sp > (uint64_t)s->ss_sp &&
	       sp <= (uint64_t)s->ss_sp + s->ss_size;
}

static void save_registers(struct sigcontext_64 *sc, const struct regs *r)
{
	sc->r8 = r->r8; sc->r9 = r->r9; sc->r10 = r->r10; sc->r11 = r->r11;
	sc->r12 = r->r12; sc->r13 = r->r13; sc->r14 = r->r14; sc->r15 = r->r15;
	sc->rdi = r->rdi; sc->rsi = r->rsi; sc->rbp = r->rbp; sc->rbx = r->rbx;
	sc->rdx = r->rdx; sc->rax = r->rax; sc->rcx = r->rcx; sc->rsp = r->rsp;
	sc->rip = r->rip;
	sc->eflags = r->rflags;
	sc->cs = USER_CS;
	sc->ss = USER_DS;
}

/* Interrupted syscalls: ERESTARTSYS restarts if the handler has SA_RESTART
 * and fails with EINTR otherwise; ERESTARTNOHAND always fails with EINTR
 * once a handler runs (pause, sigsuspend, nanosleep, poll...). */
static void fix_interrupted_syscall(struct regs *r, const struct kernel_sigaction *act)
{
	if (r->vector != VEC_SYSCALL)
		return;
	long ret = (long)r->rax;
	if (ret == -ERESTARTSYS && (act->flags & SA_RESTART)) {
		r->rax = r->orig_rax;
		r->rip -= 2; /* back onto the 2-byte `syscall` instruction */
	} else if (ret == -ERESTARTSYS || ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK) {
		r->rax = -EINTR;
	}
}

void restart_syscall_if_needed(struct regs *r)
{
	if (r->vector != VEC_SYSCALL)
		return;
	long ret = (long)r->rax;
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK) {
		r->rax = r->orig_rax;
		r->rip -= 2;
		r->vector = 0; /* only once */
	}
}

void enter_signal_handler(struct regs *r, int sig, const ksiginfo_t *info, struct kernel_sigaction *act)
{
	struct task *t = current;
	fix_interrupted_syscall(r, act);

	/* Where the frame goes: the alternate stack if the handler asked for
	 * it and we are not on it already; otherwise below the red zone. */
	uint64_t sp = r->rsp - RED_ZONE;
	bool use_alt = (act->flags & SA_ONSTACK) && !(t->sig.altstack.ss_flags & SS_DISABLE) &&
		       !on_altstack(t, r->rsp);
	if (use_alt)
		sp = (uint64_t)t->sig.altstack.ss_sp + t->sig.altstack.ss_size;
	uint64_t fpstate = ALIGN_DOWN(sp - FPU_STATE_SIZE, 64);
	uint64_t frame_addr = ALIGN_DOWN(fpstate - sizeof(struct rt_sigframe), 16) - 8;
	/* (rsp + 8 is 16-byte aligned at a function's first instruction, as
	 * after a `call`: the psABI's rule, which the handler relies on.) */

	struct rt_sigframe frame;
	memset(&frame, 0, sizeof(frame));
	frame.pretcode = (uint64_t)act->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	frame.uc.uc_stack = t->sig.altstack;
	frame.uc.uc_stack.ss_flags = (t->sig.altstack.ss_flags & SS_DISABLE) ? SS_DISABLE
				     : on_altstack(t, r->rsp) ? SS_ONSTACK : 0;
	save_registers(&frame.uc.uc_mcontext, r);
	frame.uc.uc_mcontext.fpstate = fpstate;
	frame.uc.uc_mcontext.trapno = r->vector == VEC_SYSCALL ? 0 : r->vector;
	frame.uc.uc_mcontext.err = r->vector == VEC_SYSCALL ? 0 : r->error_code;
	frame.uc.uc_sigmask = t->sig.blocked;
	if (t->sig.restore_saved_mask) { /* sigsuspend: the mask from before it */
		frame.uc.uc_sigmask = t->sig.saved_mask;
		t->sig.restore_saved_mask = false;
	}
	frame.info = *info;

	uint8_t fx[FPU_STATE_SIZE] __attribute__((aligned(16)));
	fpu_save(fx);
	if ((use_alt && fpstate < (uint64_t)t->sig.altstack.ss_sp) ||
	    copy_to_user((void __user *)fpstate, fx, sizeof(fx)) ||
	    copy_to_user((void __user *)frame_addr, &frame, sizeof(frame))) {
		/* No room for the frame (a bad stack, or an alternate stack too
		 * small): the program cannot run its handler. Linux kills it. */
		printk("%s[%d]: cannot build the frame for %s at %#lx: killed by SIGSEGV\n", t->name,
		       t->pid, signal_name(sig), frame_addr);
		do_exit(SIGSEGV);
	}

	/* The program will "return" into its handler. */
	r->rdi = sig;
	r->rsi = frame_addr + offsetof(struct rt_sigframe, info);
	r->rdx = frame_addr + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->rsp = frame_addr;
	r->rip = (uint64_t)act->handler;
	r->rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF | RFLAGS_AC);
	r->cs = USER_CS;
	r->ss = USER_DS;
	fpu_init_state(fx); /* the handler starts with clean FPU registers */
	fpu_restore(fx);

	if (!(act->flags & SA_NODEFER))
		t->sig.blocked |= SIGBIT(sig);
	t->sig.blocked |= act->mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	if (act->flags & SA_RESETHAND) {
		act->handler = SIG_DFL;
		act->flags &= ~SA_SIGINFO;
	}
}

static bool restore_registers(struct regs *r, const struct sigcontext_64 *sc)
{
	/* Refuse what would fault inside the kernel's iretq or reach ring 0:
	 * the selectors are forced to the user's, the flags are filtered,
	 * and the addresses must be user addresses. */
	if (sc->rip >= USER_TOP || !is_canonical(sc->rsp))
		return false;
	r->r8 = sc->r8; r->r9 = sc->r9; r->r10 = sc->r10; r->r11 = sc->r11;
	r->r12 = sc->r12; r->r13 = sc->r13; r->r14 = sc->r14; r->r15 = sc->r15;
	r->rdi = sc->rdi; r->rsi = sc->rsi; r->rbp = sc->rbp; r->rbx = sc->rbx;
	r->rdx = sc->rdx; r->rax = sc->rax; r->rcx = sc->rcx; r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~USER_CHANGEABLE_FLAGS) | (sc->eflags & USER_CHANGEABLE_FLAGS);
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->vector = 0; /* not a syscall any more: no restart logic applies */
	return true;
}

static bool restore_fpu(uint64_t fpstate)
{
	uint8_t fx[FPU_STATE_SIZE] __attribute__((aligned(16)));
	if (!fpstate) {
		fpu_init_state(fx);
	} else if (copy_from_user(fx, (const void __user *)fpstate, sizeof(fx))) {
		return false;
	}
	/* MXCSR's reserved bits must be 0 or fxrstor faults (in the kernel!). */
	uint32_t *mxcsr = (uint32_t *)(fx + 24);
	*mxcsr &= fpu_mxcsr_mask();
	fpu_restore(fx);
	return true;
}

long sys_rt_sigreturn(void)
{
	struct task *t = current;
	struct regs *r = task_regs(t);
	/* The handler's `ret` popped pretcode: the frame starts 8 bytes below. */
	uint64_t frame_addr = r->rsp - 8;
	struct kernel_ucontext uc;
	if (copy_from_user(&uc, (const void __user *)(frame_addr + offsetof(struct rt_sigframe, uc)),
			   sizeof(uc)) ||
	    !restore_registers(r, &uc.uc_mcontext) || !restore_fpu(uc.uc_mcontext.fpstate)) {
		printk("%s[%d]: bad signal frame in rt_sigreturn: killed by SIGSEGV\n", t->name, t->pid);
		do_exit(SIGSEGV);
	}
	t->sig.blocked = uc.uc_sigmask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	/* The alternate stack as it was when the handler started (Linux
	 * restores it too, ignoring errors). */
	if (!on_altstack(t, r->rsp) && !(uc.uc_stack.ss_flags & ~(SS_DISABLE | SS_ONSTACK | SS_AUTODISARM))) {
		if (uc.uc_stack.ss_flags & SS_DISABLE)
			t->sig.altstack = (stack_t){ .ss_flags = SS_DISABLE };
		else if (uc.uc_stack.ss_size >= MINSIGSTKSZ)
			t->sig.altstack = (stack_t){ uc.uc_stack.ss_sp, 0, uc.uc_stack.ss_size };
	}
	return (long)r->rax; /* the dispatcher stores it back into rax */
}
