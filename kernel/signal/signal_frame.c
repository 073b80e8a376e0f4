/*
 * The signal frame: entering a handler and rt_sigreturn (course section:
 * signals).
 *
 * How a handler runs: the kernel cannot call a user function, so it makes
 * the program call it. On the way back to user mode, it
 *   1. chooses where the frame goes: below the interrupted stack pointer
 *      (past the psABI's red zone), or at the top of the alternate stack
 *      (sigaltstack) for an SA_ONSTACK handler;
 *   2. saves the program's registers (and FPU state) in a struct on that
 *      stack -- Linux's rt_sigframe:
 *          [ pretcode ]   <- rsp when the handler starts: its "return address"
 *          [ ucontext ]   the saved registers (uc_mcontext) and signal mask
 *          [ siginfo  ]   who sent the signal and why
 *          ...
 *          [ fpstate  ]   the FPU/SSE registers (fxsave format), 64-aligned
 *   3. changes the saved registers so that the return "lands" in the
 *      handler: rip = handler, rdi = signal number, rsi = &siginfo,
 *      rdx = &ucontext, rsp = the frame;
 *   4. blocks the signal (unless SA_NODEFER) and sa_mask while the handler
 *      runs, and forgets the handler if SA_RESETHAND.
 * When the handler returns, it "returns" to pretcode: the sa_restorer that
 * libc gave rt_sigaction, which does `mov $15, %rax; syscall`, i.e.
 * rt_sigreturn. That syscall reads the ucontext back (the handler may have
 * changed it: that is how a handler can resume elsewhere), checks that it
 * cannot give the program kernel privileges, and restores it.
 *
 * Whenever a frame cannot be built or read back (no sa_restorer, a stack
 * that is unmapped or too small, a forged frame), the program gets SIGSEGV,
 * as on Linux.
 */
#include "kernel/signal/signal_frame.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/segments.h"
#include "arch/x86_64/x86.h"
#include "kernel/printk.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/string.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

struct rt_sigframe {
	uint64_t pretcode; /* the restorer: where the handler's `ret` goes */
	struct kernel_ucontext uc;
	ksiginfo_t info;
};

/* uc_flags: the frame holds a meaningful ss, and rt_sigreturn must use it
 * as it is rather than force a valid one (Linux's flags, same values). */
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define RED_ZONE 128 /* the psABI lets leaf functions use 128 bytes below rsp */

/* The flags a program may change through sigreturn: the arithmetic flags,
 * direction, trap (single-step), alignment check and resume. The others --
 * IF (interrupts), IOPL (port access, cli), NT, VM -- keep the kernel's
 * values: a forged frame cannot switch interrupts off or reach the ports. */
#define USER_CHANGEABLE_FLAGS                                                                 \
	(RFLAGS_AC | (1 << 11) /* OF */ | RFLAGS_DF | RFLAGS_TF | (1 << 7) /* SF */ |          \
	 (1 << 6) /* ZF */ | (1 << 4) /* AF */ | (1 << 2) /* PF */ | RFLAGS_CF | RFLAGS_RF)

/* ---- entering a handler ------------------------------------------------------------ */

/* Interrupted syscalls: ERESTARTSYS restarts if the handler has SA_RESTART
 * and fails with EINTR otherwise; ERESTARTNOHAND always fails with EINTR
 * once a handler runs (pause, sigsuspend, nanosleep, poll...). This edits
 * the registers before they are saved, so that the program sees the result
 * after the handler: rax = -EINTR, or rip back on the `syscall` again. */
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
		/* Back onto the `syscall` instruction: the same call again, or
		 * restart_syscall, which goes on where the call left off. */
		r->rax = ret == -ERESTART_RESTARTBLOCK ? __NR_restart_syscall : r->orig_rax;
		r->rip -= 2;
		r->vector = 0; /* only once */
	}
}

/* What a program gets from calling restart_syscall itself, or after a
 * handler ran: nothing to go on with (Linux's do_no_restart_syscall). */
static long no_restart(struct restart_block *rb)
{
	(void)rb;
	return -EINTR;
}

long sys_restart_syscall(void)
{
	struct restart_block *rb = &current->restart;
	long (*fn)(struct restart_block *) = rb->fn ? rb->fn : no_restart;
	rb->fn = no_restart; /* one restart per interruption */
	return fn(rb);
}

/* Is addr inside the alternate stack's range (whatever its flags)? */
static bool inside_altstack(const struct task *t, uint64_t addr)
{
	const stack_t *s = &t->sig.altstack;
	return s->ss_size && addr > (uint64_t)s->ss_sp && addr - (uint64_t)s->ss_sp <= s->ss_size;
}

struct frame_place {
	uint64_t frame;    /* the rt_sigframe: the handler's rsp */
	uint64_t fpstate;  /* the FPU state, above it */
	bool entering_alt; /* switching to the alternate stack now */
};

/* Step 1: where the frame goes. False if it does not fit. */
static bool place_frame(const struct task *t, const struct regs *r, const struct kernel_sigaction *act,
			struct frame_place *p)
{
	uint64_t sp = r->rsp - RED_ZONE;
	bool nested_alt = on_altstack(t, r->rsp); /* a handler on it was interrupted */
	p->entering_alt = (act->flags & SA_ONSTACK) && t->sig.altstack.ss_size && !nested_alt &&
			  !(t->sig.altstack.ss_flags & SS_DISABLE);
	if (p->entering_alt)
		sp = (uint64_t)t->sig.altstack.ss_sp + t->sig.altstack.ss_size;
	p->fpstate = ALIGN_DOWN(sp - FPU_STATE_SIZE, 64); /* fxsave wants 16; Linux gives 64 */
	/* At a function's first instruction rsp + 8 is 16-byte aligned, as
	 * after a `call`: the psABI's rule, which the handler relies on. */
	p->frame = ALIGN_DOWN(p->fpstate - sizeof(struct rt_sigframe), 16) - 8;
	/* On the alternate stack, the whole frame must fit in it: running off
	 * its bottom would write over whatever lies below. */
	if ((nested_alt || p->entering_alt) && !inside_altstack(t, p->frame))
		return false;
	return true;
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
	/* What the CPU said about an exception (0 after a syscall). */
	bool exception = r->vector < NUM_EXCEPTIONS; /* not an IRQ, not a syscall */
	sc->trapno = exception ? r->vector : 0;
	sc->err = exception ? r->error_code : 0;
}

/* Step 2: the frame's contents. */
static void fill_frame(struct rt_sigframe *f, struct task *t, const struct regs *r, const ksiginfo_t *info,
		       const struct kernel_sigaction *act, uint64_t fpstate)
{
	memset(f, 0, sizeof(*f));
	f->pretcode = (uint64_t)act->restorer;
	f->uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f->uc.uc_stack = t->sig.altstack; /* rt_sigreturn puts it back as it was */
	save_registers(&f->uc.uc_mcontext, r);
	f->uc.uc_mcontext.fpstate = fpstate;
	if (r->vector == VEC_PF)
		f->uc.uc_mcontext.cr2 = (uint64_t)info->fields.fault.si_addr;
	/* The mask to restore when the handler returns: the current one, or,
	 * after sigsuspend, the one from before its temporary mask. */
	f->uc.uc_sigmask = t->sig.blocked;
	if (t->sig.restore_saved_mask) {
		f->uc.uc_sigmask = t->sig.saved_mask;
		t->sig.restore_saved_mask = false;
	}
	f->uc.uc_mcontext.oldmask = f->uc.uc_sigmask;
	f->info = *info;
}

/* Step 3: onto the user's stack. False if that memory is not writable. */
static bool write_frame(const struct rt_sigframe *f, const struct frame_place *p)
{
	uint8_t fx[FPU_STATE_SIZE] __attribute__((aligned(16)));
	fpu_save(fx); /* the program's FPU registers, as the signal found them */
	return copy_to_user((void __user *)p->fpstate, fx, sizeof(fx)) == 0 &&
	       copy_to_user((void __user *)p->frame, f, sizeof(*f)) == 0;
}

/* Step 4: the return to user mode "calls" handler(sig, &info, &uc). */
static void point_at_handler(struct regs *r, int sig, const struct kernel_sigaction *act, uint64_t frame)
{
	r->rdi = sig;
	r->rsi = frame + offsetof(struct rt_sigframe, info);
	r->rdx = frame + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->rsp = frame;
	r->rip = (uint64_t)act->handler;
	/* The handler starts like any function: no single-stepping, string
	 * instructions going up, and clean FPU registers. */
	r->rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF | RFLAGS_AC);
	r->cs = USER_CS;
	r->ss = USER_DS;
	uint8_t fx[FPU_STATE_SIZE] __attribute__((aligned(16)));
	fpu_init_state(fx);
	fpu_restore(fx);
}

/* Step 5: what changes for the duration of the handler. */
static void start_handler(struct task *t, int sig, struct kernel_sigaction *act, bool entering_alt)
{
	if (!(act->flags & SA_NODEFER))
		t->sig.blocked |= SIGBIT(sig);
	t->sig.blocked |= act->mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	if (act->flags & SA_RESETHAND)
		act->handler = SIG_DFL; /* "one shot": the next one takes the default action */
	if (entering_alt && (t->sig.altstack.ss_flags & SS_AUTODISARM))
		t->sig.altstack = (stack_t){ .ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0 };
}

void enter_signal_handler(struct regs *r, int sig, const ksiginfo_t *info, struct kernel_sigaction *act)
{
	struct task *t = current;
	struct frame_place place;
	struct rt_sigframe frame;
	const char *why = NULL;

	fix_interrupted_syscall(r, act);
	if (!(act->flags & SA_RESTORER))
		why = "no sa_restorer"; /* required on x86_64: there is nothing to return to */
	else if (!place_frame(t, r, act, &place))
		why = "the alternate stack is too small";
	if (!why) {
		fill_frame(&frame, t, r, info, act, place.fpstate);
		if (!write_frame(&frame, &place))
			why = "the stack is not writable";
	}
	if (why) {
		printk("%s[%d]: cannot enter the %s handler (%s, sp %#lx): SIGSEGV\n", t->name, t->pid,
		       signal_name(sig), why, r->rsp);
		force_sigsegv(sig);
		return;
	}
	point_at_handler(r, sig, act, place.frame);
	start_handler(t, sig, act, place.entering_alt);
}

/* ---- rt_sigreturn ----------------------------------------------------------------------- */

/* Load the registers the frame holds, or refuse (false) what could give
 * the program kernel privilege or make the kernel's own iretq fault. */
static bool restore_registers(struct regs *r, const struct sigcontext_64 *sc, unsigned long uc_flags)
{
	/* cs: only the 64-bit user code segment. (Linux forces RPL 3 and lets
	 * iretq fault on any other selector; the program then gets SIGSEGV.
	 * We refuse before iretq, with the same result.) */
	if ((sc->cs | 3) != USER_CS)
		return false;
	/* ss: the user data segment, when the frame says its ss is meant
	 * (UC_STRICT_RESTORE_SS); older frames get the right one forced. */
	if ((uc_flags & UC_STRICT_RESTORE_SS) && (sc->ss | 3) != USER_DS)
		return false;
	/* rip: a user address; rsp at least canonical, or iretq faults. */
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
		fpu_init_state(fx); /* no saved state: start clean */
	} else if (copy_from_user(fx, (const void __user *)fpstate, sizeof(fx))) {
		return false;
	}
	/* MXCSR's reserved bits must be 0 or fxrstor faults (in the kernel!):
	 * Linux rejects such a frame, and the program gets SIGSEGV. */
	uint32_t *mxcsr = (uint32_t *)(fx + 24);
	if (*mxcsr & ~fpu_mxcsr_mask())
		return false;
	fpu_restore(fx);
	return true;
}

long sys_rt_sigreturn(void)
{
	struct task *t = current;
	struct regs *r = task_regs(t);
	t->restart.fn = no_restart; /* a handler ran: the interrupted call is over */
	/* The handler's `ret` popped pretcode: the frame starts 8 bytes below. */
	uint64_t frame_addr = r->rsp - 8;
	struct kernel_ucontext uc;
	if (copy_from_user(&uc, (const void __user *)(frame_addr + offsetof(struct rt_sigframe, uc)),
			   sizeof(uc)) ||
	    !restore_registers(r, &uc.uc_mcontext, uc.uc_flags) || !restore_fpu(uc.uc_mcontext.fpstate)) {
		printk("%s[%d]: bad signal frame at %#lx in rt_sigreturn: SIGSEGV\n", t->name, t->pid, frame_addr);
		force_sigsegv(0);
		return 0;
	}
	/* The mask from before the handler, as the frame now says. */
	t->sig.blocked = uc.uc_sigmask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	/* The alternate stack as it was when the handler started (Linux
	 * restores it too, ignoring errors: e.g. EPERM while still on it). */
	altstack_set(t, &uc.uc_stack, r->rsp);
	return (long)r->rax; /* the dispatcher stores it back into rax */
}
