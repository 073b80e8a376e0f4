/*
 * signals: the frame: registers a handler reads and changes; the alternate stack; forged frames
 * (badinput 22) (course section: testing). One part of the signals test: main.c runs it.
 */
#include "signals.h"

/* ---- the frame: registers a handler reads and changes -------------------------------- */

void *volatile resume_at, *volatile fault_at;
volatile long seen_r12, seen_rip, seen_trapno, seen_err, seen_cr2, seen_addr, seen_code;
volatile unsigned long seen_csgsfs;

void regs_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	seen_r12 = g[REG_R12];
	seen_rip = g[REG_RIP];
	seen_trapno = g[REG_TRAPNO];
	seen_err = g[REG_ERR];
	seen_cr2 = g[REG_CR2];
	seen_csgsfs = (unsigned long)g[REG_CSGSFS];
	seen_addr = (long)info->si_addr;
	seen_code = info->si_code;
	g[REG_R12] = 0x5678;		/* the program will see this value... */
	g[REG_RIP] = (greg_t)resume_at;	/* ...there */
}

/* Loads r12 with 0x1234, reads address 0 (a fault), and would then set r12
 * to 0x9999; the handler instead resumes at label 2 with r12 = 0x5678. */
long fault_then_resume(void)
{
	long r12_after;

	__asm__ volatile("lea 2f(%%rip), %%rax\n\t"
			 "mov %%rax, %[resume]\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %[fault]\n\t"
			 "mov $0x1234, %%r12\n\t"
			 "xor %%eax, %%eax\n"
			 "1:\tmov (%%rax), %%rax\n\t"
			 "mov $0x9999, %%r12\n"
			 "2:\tmov %%r12, %[out]\n\t"
			 : [out] "=r"(r12_after), [resume] "=m"(resume_at), [fault] "=m"(fault_at)
			 :
			 : "rax", "r12", "memory");
	return r12_after;
}

void group_frame_registers(void)
{
	install_info(SIGSEGV, regs_handler, 0);
	long r12 = fault_then_resume();
	check_eqx("the handler saw r12 as the program left it", seen_r12, 0x1234);
	check_eqx("REG_RIP is the faulting instruction", seen_rip, (unsigned long)fault_at);
	check_eq("REG_TRAPNO 14 (page fault)", seen_trapno, 14);
	check_eqx("REG_ERR 4: a user-mode read of a missing page", seen_err, 4);
	check_eqx("REG_CR2: the address", seen_cr2, 0);
	check_eqx("REG_CSGSFS: cs 0x33 in the low 16 bits", seen_csgsfs & 0xffff, 0x33);
	check_eqx("si_addr 0", seen_addr, 0);
	check_eq("si_code SEGV_MAPERR", seen_code, SEGV_MAPERR);
	check_eqx("changing REG_RIP resumed elsewhere, with the new r12", r12, 0x5678);
}

/* ---- the alternate stack ------------------------------------------------------------- */

volatile unsigned long handler_sp;
volatile int alt_flags_inside, alt_change_errno, uc_stack_flags;

void altstack_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	volatile char here;
	stack_t now, again = { alt_mem, 0, sizeof(alt_mem) };

	(void)sig;
	(void)info;
	handler_sp = (unsigned long)&here;
	sigaltstack(NULL, &now);
	alt_flags_inside = now.ss_flags;
	alt_change_errno = sigaltstack(&again, NULL) < 0 ? errno : 0;
	uc_stack_flags = uc->uc_stack.ss_flags;
}

void group_altstack_use(void)
{
	stack_t ss = { alt_mem, 0, sizeof(alt_mem) };
	unsigned long lo = (unsigned long)alt_mem, hi = lo + sizeof(alt_mem);
	volatile char main_local;

	install_info(SIGUSR1, altstack_handler, SA_ONSTACK);
	raise(SIGUSR1);
	check("SA_ONSTACK, no alternate stack set: the normal stack", handler_sp < (unsigned long)&main_local &&
	      handler_sp > (unsigned long)&main_local - 65536, "sp %#lx", handler_sp);

	check_ok("sigaltstack", sigaltstack(&ss, NULL));
	raise(SIGUSR1);
	check("the handler's stack pointer is inside the alternate stack", handler_sp >= lo && handler_sp < hi,
	      "sp %#lx, stack %#lx-%#lx", handler_sp, lo, hi);
	check_eq("sigaltstack inside says SS_ONSTACK", alt_flags_inside, SS_ONSTACK);
	check_eq("changing it while on it: EPERM", alt_change_errno, EPERM);
	check_eq("uc_stack.ss_flags: the program was not on it", uc_stack_flags, 0);

	install_info(SIGUSR2, altstack_handler, 0);
	raise(SIGUSR2);
	check("a handler without SA_ONSTACK stays on the normal stack", handler_sp < lo || handler_sp >= hi,
	      "sp %#lx", handler_sp);
}

/* SS_AUTODISARM: the alternate stack is switched off while a handler runs
 * on it (so that the handler may siglongjmp away safely), and switched
 * back on by rt_sigreturn from the frame's uc_stack. */
volatile int autodisarm_inside_flags, autodisarm_change_ok;
volatile unsigned long autodisarm_uc_flags;

void autodisarm_handler(int sig, siginfo_t *info, void *ctx)
{
	stack_t now;

	(void)sig;
	(void)info;
	sigaltstack(NULL, &now);
	autodisarm_inside_flags = now.ss_flags;
	autodisarm_uc_flags = (unsigned)((ucontext_t *)ctx)->uc_stack.ss_flags;
	autodisarm_change_ok = sigaltstack(&now, NULL) == 0;
}

void group_autodisarm(void)
{
	stack_t ss = { alt_mem, SS_AUTODISARM, sizeof(alt_mem) }, now;

	sigaltstack(&ss, NULL);
	install_info(SIGUSR1, autodisarm_handler, SA_ONSTACK);
	raise(SIGUSR1);
	check_eq("SS_AUTODISARM: inside the handler the stack is disabled", autodisarm_inside_flags, SS_DISABLE);
	check_eqx("the frame's uc_stack keeps the flags", autodisarm_uc_flags, SS_AUTODISARM);
	check("and sigaltstack may be called there (no EPERM)", autodisarm_change_ok, "it failed");
	sigaltstack(NULL, &now);
	check("after the handler: back on", now.ss_sp == alt_mem && (unsigned)now.ss_flags == SS_AUTODISARM,
	      "flags %#x sp %p", now.ss_flags, now.ss_sp);
}

/* badinput 23: only 256 bytes of the 2048-byte alternate stack are really
 * there; the frame does not fit and the program dies of SIGSEGV. */
void small_altstack(long arg)
{
	char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss = { m + PAGE + 256 - MINSIGSTKSZ, 0, MINSIGSTKSZ };

	(void)arg;
	mprotect(m, PAGE, PROT_NONE);
	sigaltstack(&ss, NULL);
	install(SIGUSR1, exit_7, SA_ONSTACK, 0);
	raise(SIGUSR1);
	_exit(4);
}

/* Handlers that keep nesting on the alternate stack until it is full: the
 * kernel must stop at its bottom (SIGSEGV), not write below it. The memory
 * below is shared with the parent, which checks that it is untouched. */
unsigned char *below_alt;	/* a shared page, then the stack */

void recurse_on_altstack(int sig)
{
	raise(sig);
}

void overflow_altstack(long arg)
{
	stack_t ss = { below_alt + PAGE, 0, 2 * PAGE };

	(void)arg;
	sigaltstack(&ss, NULL);
	install(SIGUSR1, recurse_on_altstack, SA_ONSTACK | SA_NODEFER, 0);
	raise(SIGUSR1);
	_exit(4);
}

void test_altstack_overflow(void)
{
	int untouched = 1;

	check_signaled("an alternate stack too small for the frame: SIGSEGV",
		       run_child(small_altstack, 0), SIGSEGV);

	below_alt = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (below_alt == MAP_FAILED) {
		t_fail("nested handlers fill the alternate stack", "mmap: %s", errno_name(errno));
		return;
	}
	memset(below_alt, 0xa5, PAGE);
	check_signaled("nested handlers fill the alternate stack: SIGSEGV", run_child(overflow_altstack, 0), SIGSEGV);
	for (unsigned long i = 0; i < PAGE; i++)
		untouched &= below_alt[i] == 0xa5;
	check("nothing was written below the alternate stack", untouched, "the page below was written");
	munmap(below_alt, 3 * PAGE);
}

/* ---- forged frames (badinput 22) ------------------------------------------------------- */

#define UC_STRICT_RESTORE_SS 0x4	/* Linux's uc_flags bit: "use the ss in the frame" */

volatile int forgery;

/* Where a forged-IOPL program resumes: with IOPL 3 it could disable
 * interrupts; it must get SIGSEGV instead. */
void try_cli(void)
{
	__asm__ volatile("cli");
	_exit(5);
}

void set_csgsfs(greg_t *g, unsigned cs, unsigned ss)
{
	unsigned long v = (unsigned long)g[REG_CSGSFS];

	v = (v & ~0xffffUL) | cs;
	v = (v & ~(0xffffUL << 48)) | ((unsigned long)ss << 48);
	g[REG_CSGSFS] = (greg_t)v;
}

void forging_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	(void)info;
	switch (forgery) {
	case FORGE_CS:
		set_csgsfs(g, 0x10, 0x2b);		/* the kernel's code segment */
		break;
	case FORGE_CS_RING0_RPL3:
		set_csgsfs(g, 0x13, 0x2b);
		break;
	case FORGE_SS:
		set_csgsfs(g, 0x33, 0x18);		/* the kernel's data segment */
		break;
	case FORGE_IOPL:
		g[REG_EFL] |= 3 << 12;			/* IOPL 3: in, out, cli allowed */
		g[REG_RIP] = (greg_t)try_cli;
		g[REG_RSP] = (g[REG_RSP] & ~15L) - 8;
		break;
	case FORGE_RIP_KERNEL:
		g[REG_RIP] = (greg_t)0xffffffff80100000UL;
		break;
	case FORGE_RIP_NONCANONICAL:
		g[REG_RIP] = (greg_t)0x8000000000000000UL;
		break;
	case FORGE_SS_NOT_STRICT:
		/* Without this flag (old programs) a bad ss is replaced by the
		 * user's own, and the program goes on. */
		uc->uc_flags &= ~(unsigned long)UC_STRICT_RESTORE_SS;
		set_csgsfs(g, 0x33, 0x18);
		break;
	case FORGE_MXCSR:
		/* Reserved MXCSR bits: fxrstor would fault, in the kernel. */
		uc->uc_mcontext.fpregs->mxcsr = 0xffffffff;
		break;
	case FORGE_ALL:
		memset(&uc->uc_mcontext, 0xff, sizeof(uc->uc_mcontext));
		uc->uc_mcontext.fpregs = NULL;
		set_csgsfs(g, 0x10, 0x18);
		break;
	}
}

void forge(long kind)
{
	forgery = (int)kind;
	install_info(SIGUSR1, forging_handler, 0);
	raise(SIGUSR1);
	_exit(6);
}

/* rt_sigreturn without a handler, on a stack of garbage. */
void bare_sigreturn(long fill)
{
	static unsigned long junk[256];

	memset(junk, (int)fill, sizeof(junk));
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "mov $15, %%eax\n\t"
			 "syscall\n\t"
			 "ud2"
			 :
			 : "r"(&junk[128])
			 : "memory");
}

void test_forged_frames(void)
{
	check_signaled("sigreturn to cs = kernel code (0x10): SIGSEGV", run_child(forge, FORGE_CS), SIGSEGV);
	check_signaled("sigreturn to cs = 0x13 (ring-0 segment, RPL 3): SIGSEGV",
		       run_child(forge, FORGE_CS_RING0_RPL3), SIGSEGV);
	check_signaled("sigreturn to ss = kernel data (0x18): SIGSEGV", run_child(forge, FORGE_SS), SIGSEGV);
	check_signaled("sigreturn with IOPL 3 in rflags, then cli: SIGSEGV", run_child(forge, FORGE_IOPL), SIGSEGV);
	check_signaled("sigreturn to a kernel rip: SIGSEGV", run_child(forge, FORGE_RIP_KERNEL), SIGSEGV);
	check_signaled("sigreturn to a non-canonical rip: SIGSEGV", run_child(forge, FORGE_RIP_NONCANONICAL), SIGSEGV);
	check_signaled("sigreturn with every register all ones: SIGSEGV", run_child(forge, FORGE_ALL), SIGSEGV);
	check_exited("a bad ss without UC_STRICT_RESTORE_SS is replaced: the program goes on",
		     run_child(forge, FORGE_SS_NOT_STRICT), 6);
	if (on_sysgate()) {
		int st = run_child(forge, FORGE_MXCSR);
		check("a frame with reserved MXCSR bits set: the program ends, the kernel lives", st >= 0,
		      "%s", status_text(st));
	}
	check_signaled("rt_sigreturn on a stack of zeros: SIGSEGV", run_child(bare_sigreturn, 0), SIGSEGV);
	check_signaled("rt_sigreturn on a stack of 0xff: SIGSEGV", run_child(bare_sigreturn, 0xff), SIGSEGV);
	check_eq("and we are still here", kill(getpid(), 0), 0);
}
