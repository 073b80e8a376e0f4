/*
 * signals: CPU exceptions as signals, recovered with siglongjmp; default actions; setjmp and the
 * libc helpers (course section: testing). One part of the signals test: main.c runs it.
 */
#include "signals.h"

/* ---- CPU exceptions as signals, recovered with siglongjmp ---------------------------------- */

sigjmp_buf recover;
volatile int fault_sig, fault_code;
void *volatile fault_addr, *volatile fault_rip;
void *volatile insn_at;	/* where the faulting instruction is */
void *volatile insn_next;	/* and the one after it */

void recovering_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	fault_sig = sig;
	fault_code = info->si_code;
	fault_addr = info->si_addr;
	fault_rip = (void *)uc->uc_mcontext.gregs[REG_RIP];
	siglongjmp(recover, 1);
}

/* Each faulting instruction sits between labels 1 and 2, whose addresses
 * are stored first, so that the checks can name the instruction. */
#define FAULT_AT(insn, ...)                                                     \
	__asm__ volatile("lea 1f(%%rip), %%r11\n\t"                             \
			 "mov %%r11, %[at]\n\t"                                 \
			 "lea 2f(%%rip), %%r11\n\t"                             \
			 "mov %%r11, %[next]\n"                                 \
			 "1:\t" insn "\n"                                       \
			 "2:\n"                                                 \
			 : [at] "=m"(insn_at), [next] "=m"(insn_next)           \
			 : __VA_ARGS__                                          \
			 : "r11", "cc", "memory")

void do_null_read(void) { FAULT_AT("cmpb $0, (%[p])", [p] "r"(16L)); }
void do_div0(void)
{
	unsigned a = 1, d = 0;

	__asm__ volatile("lea 1f(%%rip), %%r11\n\t"
			 "mov %%r11, %[at]\n"
			 "1:\tdivl %[by]\n\t"
			 : [at] "=m"(insn_at), "+a"(a), "+d"(d)
			 : [by] "r"(0)
			 : "r11", "cc", "memory");
}
void do_ud2(void) { FAULT_AT("ud2", "i"(0)); }
void do_int3(void) { FAULT_AT("int3", "i"(0)); }

char *ro_page;
void do_ro_write(void) { FAULT_AT("movb $1, (%[p])", [p] "r"(ro_page)); }
void do_text_write(void) { FAULT_AT("movb $1, (%[p])", [p] "r"((void *)do_ud2)); }
char *bus_page;
void do_bus(void) { FAULT_AT("cmpb $0, (%[p])", [p] "r"(bus_page)); }

/* Runs fn with its fault handled; 1 if it faulted. */
int faulted(void (*fn)(void))
{
	fault_sig = fault_code = 0;
	fault_addr = fault_rip = (void *)-1;
	if (sigsetjmp(recover, 1) == 0) {
		fn();
		return 0;
	}
	return 1;
}

#define AT_INSN ((void *)-2)	/* expect_fault's addr: the faulting instruction */

void expect_fault(const char *what, void (*fn)(void), int sig, int code, void *addr)
{
	if (!faulted(fn)) {
		t_fail(what, "no fault");
		return;
	}
	if (addr == AT_INSN)
		addr = insn_at;
	check_eq(cname("%s: %s", what, signal_name(sig)), fault_sig, sig);
	check_eq(cname("%s: si_code %d", what, code), fault_code, code);
	check_eqx(cname("%s: si_addr", what), (unsigned long)fault_addr, (unsigned long)addr);
}

void group_exceptions(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };

	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		install_info(sigs[i], recovering_handler, 0);
	expect_fault("read address 16", do_null_read, SIGSEGV, SEGV_MAPERR, (void *)16);
	check_eqx("REG_RIP: the faulting instruction", (unsigned long)fault_rip, (unsigned long)insn_at);
	check_eqx("siglongjmp put back the mask of sigsetjmp", t_blocked_now(), 0);

	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_fault("write a read-only page", do_ro_write, SIGSEGV, SEGV_ACCERR, ro_page);
	expect_fault("write our own code", do_text_write, SIGSEGV, SEGV_ACCERR, (void *)do_ud2);

	char path[64];
	snprintf(path, sizeof(path), "/tmp/sigbus-%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "x", 1);
	char *m = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	bus_page = m + PAGE; /* wholly past the end of the 1-byte file */
	expect_fault("read a mapped page past the end of the file", do_bus, SIGBUS, BUS_ADRERR, bus_page);
	munmap(m, 2 * PAGE);
	close(fd);
	unlink(path);

	/* For these three si_addr is the instruction. */
	faulted(do_div0);
	check_eq("div by zero: SIGFPE", fault_sig, SIGFPE);
	check_eq("div by zero: FPE_INTDIV", fault_code, FPE_INTDIV);
	check_eqx("div by zero: si_addr is the div", (unsigned long)fault_addr, (unsigned long)insn_at);
	expect_fault("ud2", do_ud2, SIGILL, ILL_ILLOPN, AT_INSN);
	faulted(do_int3);
	check_eq("int3: SIGTRAP", fault_sig, SIGTRAP);
	check_eq("int3: si_code SI_KERNEL", fault_code, SI_KERNEL);
	check_eqx("int3: REG_RIP is after the int3", (unsigned long)fault_rip, (unsigned long)insn_next);
	check_eqx("after all that, nothing is blocked", t_blocked_now(), 0);
}

/* A fault while its signal is blocked or ignored cannot be held back (the
 * program would fault again forever): it kills. */
void fault_blocked(long how)
{
	install_info(SIGSEGV, recovering_handler, 0);
	if (how == 0)
		block(SIGSEGV);
	else if (how == 1)
		signal(SIGSEGV, SIG_IGN);
	else if (how == 2 && faulted(do_null_read) == 0)
		_exit(8);	/* sigsetjmp(env, 0) would have been needed here */
	if (how == 2) {
		/* escaped with siglongjmp without restoring the mask: SIGSEGV is
		 * still blocked, as a handler's own signal is */
		sigset_t m = t_blocked_now();
		if (!sigismember(&m, SIGSEGV))
			_exit(9);
	}
	do_null_read();
	_exit(5);
}

/* Like faulted(), but sigsetjmp(env, 0): the mask is not saved. */
void fault_escape_nomask(long arg)
{
	(void)arg;
	install_info(SIGSEGV, recovering_handler, 0);
	if (sigsetjmp(recover, 0) == 0)
		do_null_read();
	sigset_t m = t_blocked_now();
	_exit(sigismember(&m, SIGSEGV) ? 0 : 9);
}

void test_fault_rules(void)
{
	check_signaled("a fault with SIGSEGV blocked kills", run_child(fault_blocked, 0), SIGSEGV);
	check_signaled("a fault with SIGSEGV ignored kills", run_child(fault_blocked, 1), SIGSEGV);
	check_exited("escaping with sigsetjmp(env, 0): SIGSEGV stays blocked", run_child(fault_escape_nomask, 0), 0);
}

/* The classic use of the alternate stack: a stack overflow's SIGSEGV
 * cannot run its handler on the full stack; on the alternate one it can. */
volatile unsigned long overflow_handler_sp;

void overflow_handler(int sig, siginfo_t *info, void *ctx)
{
	volatile char here;

	(void)sig;
	(void)info;
	(void)ctx;
	overflow_handler_sp = (unsigned long)&here;
	siglongjmp(recover, 1);
}

int recurse(int n)
{
	volatile char buf[1024];

	buf[0] = (char)n;
	if (n > (1 << 30))	/* never: keeps the compiler from seeing an endless recursion */
		return 0;
	return recurse(n + 1) + buf[0];
}

char overflow_alt[4 * SIGSTKSZ];

void overflow_recovered(long arg)
{
	stack_t ss = { overflow_alt, 0, sizeof(overflow_alt) };
	unsigned long lo = (unsigned long)overflow_alt, hi = lo + sizeof(overflow_alt);

	(void)arg;
	sigaltstack(&ss, NULL);
	install_info(SIGSEGV, overflow_handler, SA_ONSTACK);
	if (sigsetjmp(recover, 1) == 0)
		recurse(0);
	_exit(overflow_handler_sp >= lo && overflow_handler_sp < hi ? 0 : 1);
}

/* The FPU registers are part of the frame: the handler sees them in
 * uc_mcontext.fpregs, may change them there, and whatever it does to the
 * real registers is undone by rt_sigreturn. */
volatile unsigned seen_xmm0;

void fpu_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	seen_xmm0 = uc->uc_mcontext.fpregs->_xmm[0].element[0];
	uc->uc_mcontext.fpregs->_xmm[1].element[0] = 0x600df00d;
	__asm__ volatile("pxor %%xmm0, %%xmm0" ::: "xmm0");
}

void group_fpu(void)
{
	unsigned out0, out1;

	install_info(SIGUSR1, fpu_handler, 0);
	/* xmm0 and xmm1 are live across the tgkill syscall that raises the
	 * signal: the compiler cannot save them for us around it. */
	__asm__ volatile("movd %[a], %%xmm0\n\t"
			 "movd %[b], %%xmm1\n\t"
			 "mov %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "movd %%xmm0, %[o0]\n\t"
			 "movd %%xmm1, %[o1]\n\t"
			 : [o0] "=r"(out0), [o1] "=r"(out1)
			 : [a] "r"(0x12345678), [b] "r"(0x11111111), [nr] "i"(SYS_tgkill), "D"(getpid()),
			   "S"(getpid()), "d"(SIGUSR1)
			 : "rax", "rcx", "r11", "xmm0", "xmm1", "memory");
	check_eqx("the handler sees xmm0 in uc_mcontext.fpregs", seen_xmm0, 0x12345678);
	check_eqx("xmm0, which the handler clobbered, is restored", out0, 0x12345678);
	check_eqx("xmm1, which the handler changed in fpregs, has the new value", out1, 0x600df00d);
}

/* ---- default actions ------------------------------------------------------------------------ */

void raise_it(long sig)
{
	raise((int)sig);
	_exit(3);
}

void kill_all_blocked(long sig)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	raise((int)sig);
	sigset_t p = t_pending_now();
	_exit(sigismember(&p, (int)sig) ? 0 : 3);
}

void test_default_actions(void)
{
	static const int term[] = { SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGIO, SIGRTMIN_KERNEL + 3 };
	static const int core[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGFPE, SIGSYS };

	for (unsigned i = 0; i < sizeof(term) / sizeof(term[0]); i++)
		check_signaled(cname("default action of %s: terminate", signal_name(term[i])),
			       run_child(raise_it, term[i]), term[i]);
	for (unsigned i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		int st = run_child(raise_it, core[i]);
		check_signaled(cname("default action of %s: core", signal_name(core[i])), st, core[i]);
		/* Linux sets the bit only if it wrote a core file: the tests
		 * forbid those (RLIMIT_CORE 0), so check it on sysgate only. */
		if (on_sysgate())
			check(cname("%s: WCOREDUMP in the status", signal_name(core[i])), st > 0 && WCOREDUMP(st),
			      "status %#x", st);
	}
	check_exited("default action of SIGCHLD: ignore", run_child(raise_it, SIGCHLD), 3);
	check_exited("default action of SIGWINCH: ignore", run_child(raise_it, SIGWINCH), 3);
	check_exited("default action of SIGCONT on a running process: nothing", run_child(raise_it, SIGCONT), 3);
	check_signaled("SIGKILL with everything blocked still kills", run_child(kill_all_blocked, SIGKILL), SIGKILL);
	check_exited("SIGTERM with everything blocked waits, pending", run_child(kill_all_blocked, SIGTERM), 0);
	check_signaled("SA_RESETHAND: the second raise takes the default action", run_child(raise_twice, SIGUSR1),
		       SIGUSR1);
	check_signaled("no SA_RESTORER: SIGSEGV, the handler is not run", run_child(no_restorer, 0), SIGSEGV);
	check_signaled("SA_SIGINFO, no SA_RESTORER: SIGSEGV", run_child(no_restorer, SA_SIGINFO), SIGSEGV);
}

/* ---- setjmp and the libc helpers ------------------------------------------------------------ */

jmp_buf jb;

void jump_back(int v)
{
	longjmp(jb, v);
}

void test_libc(void)
{
	volatile int round = 0;
	int r = setjmp(jb);

	if (round == 0) {
		check_eq("setjmp returns 0 the first time", r, 0);
		round = 1;
		jump_back(42);
	} else if (round == 1) {
		check_eq("then longjmp's value", r, 42);
		round = 2;
		jump_back(0);
	} else {
		check_eq("longjmp(env, 0) makes it return 1", r, 1);
	}

	sigset_t s;
	check_ok("sigemptyset", sigemptyset(&s));
	check_eqx("is empty", s, 0);
	check_ok("sigfillset", sigfillset(&s));
	check_eq("sigismember(full, 64)", sigismember(&s, 64), 1);
	check_ok("sigdelset", sigdelset(&s, SIGINT));
	check_eq("sigismember after sigdelset", sigismember(&s, SIGINT), 0);
	check_ok("sigaddset", sigaddset(&s, SIGINT));
	check_errno("sigaddset 0: EINVAL", sigaddset(&s, 0), EINVAL);
	check_errno("sigaddset 65: EINVAL", sigaddset(&s, 65), EINVAL);
	check_errno("sigismember 65: EINVAL", sigismember(&s, 65), EINVAL);
	check("strsignal(SIGINT)", strcmp(strsignal(SIGINT), "Interrupt") == 0, "got %s", strsignal(SIGINT));
	check("strsignal(SIGSEGV)", strcmp(strsignal(SIGSEGV), "Segmentation fault") == 0, "got %s",
	      strsignal(SIGSEGV));
	check("sigabbrev_np(SIGKILL)", sigabbrev_np(SIGKILL) && strcmp(sigabbrev_np(SIGKILL), "KILL") == 0, "no");
}
