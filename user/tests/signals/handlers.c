/*
 * signals: handlers: when they run and what is blocked (course section: testing). One part of the
 * signals test: main.c runs it.
 */
#include "signals.h"

/* ---- handlers: when they run and what is blocked ------------------------------------ */

volatile int info_code, info_pid, info_signo;

void info_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	hits++;
	last_sig = sig;
	info_signo = info->si_signo;
	info_code = info->si_code;
	info_pid = info->si_pid;
	mask_in_handler = uc->uc_sigmask; /* the mask to restore, not the current one */
}

void group_handler_basics(void)
{
	reset_notes();
	install(SIGUSR1, count_handler, 0, one(SIGUSR2));
	raise(SIGUSR1);
	check_eq("raise: the handler has run when raise returns", hits, 1);
	check_eq("it got the signal number", last_sig, SIGUSR1);
	check_eqx("meanwhile the signal and sa_mask were blocked", mask_in_handler, one(SIGUSR1) | one(SIGUSR2));
	check_eqx("afterwards the mask is back", t_blocked_now(), 0);

	reset_notes();
	install_info(SIGUSR2, info_handler, 0);
	block(SIGTERM);
	raise(SIGUSR2);
	check_eq("SA_SIGINFO: si_signo", info_signo, SIGUSR2);
	check_eq("raise is tgkill: si_code SI_TKILL", info_code, SI_TKILL);
	check_eq("si_pid is the sender", info_pid, getpid());
	check_eqx("uc_sigmask is the mask from before the handler", mask_in_handler, one(SIGTERM));
	kill(getpid(), SIGUSR2);
	check_eq("kill: si_code SI_USER", info_code, SI_USER);
	check_eq("the handler ran twice in all", hits, 2);
}

void group_blocked_then_released(void)
{
	reset_notes();
	install(SIGUSR1, count_handler, 0, 0);
	block(SIGUSR1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	check_eq("blocked: the handler did not run", hits, 0);
	check_eqx("sigpending shows it", t_pending_now(), one(SIGUSR1));
	unblock(SIGUSR1);
	check_eq("unblocked: it runs before sigprocmask returns, once (not queued)", hits, 1);
	check_eqx("and it is no longer pending", t_pending_now(), 0);

	/* Two pending at once: the lower number is taken first, and each gets
	 * a frame before the program runs again. SIGUSR1's frame is built
	 * first, so SIGUSR2's, on top of it, runs first -- unless SIGUSR1's
	 * sa_mask holds SIGUSR2 back until SIGUSR1's handler returns. */
	reset_notes();
	install(SIGUSR1, note_handler, 0, 0);
	install(SIGUSR2, note_handler, 0, 0);
	block(SIGUSR1);
	block(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR1);
	sigset_t none = 0;
	sigprocmask(SIG_SETMASK, &none, NULL);
	check("two pending: SIGUSR2's handler runs on top of SIGUSR1's", strcmp(trail, "21") == 0, "trail %s", trail);
	reset_notes();
	install(SIGUSR1, note_handler, 0, one(SIGUSR2));
	block(SIGUSR1);
	block(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR1);
	sigprocmask(SIG_SETMASK, &none, NULL);
	check("with SIGUSR2 in SIGUSR1's sa_mask: SIGUSR1 first", strcmp(trail, "12") == 0, "trail %s", trail);

	/* A blocked signal that becomes ignored is discarded. */
	block(SIGUSR1);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	check_eqx("pending, then SIG_IGN: discarded", t_pending_now(), 0);
	raise(SIGUSR1);
	check_eqx("but a blocked signal that is ignored still waits, pending", t_pending_now(), one(SIGUSR1));
}

/* SA_RESETHAND: one handler call, then the default action. */
void resethand_handler(int sig)
{
	struct sigaction now;

	hits++;
	sigaction(sig, NULL, &now);
	mask_in_handler = t_blocked_now();
	last_sig = now.sa_handler == SIG_DFL;
}

void group_resethand(void)
{
	struct sigaction now;

	reset_notes();
	install(SIGUSR1, resethand_handler, SA_RESETHAND, 0);
	raise(SIGUSR1);
	check_eq("SA_RESETHAND: the handler ran", hits, 1);
	check_eq("the action was already SIG_DFL inside it", last_sig, 1);
	check("the signal was still blocked inside it (no SA_NODEFER)", sigismember((sigset_t *)&mask_in_handler, SIGUSR1) == 1,
	      "mask %#lx", mask_in_handler);
	sigaction(SIGUSR1, NULL, &now);
	check("afterwards SIG_DFL", now.sa_handler == SIG_DFL, "got %p", (void *)now.sa_handler);
	check("the other flags stay", (now.sa_flags & SA_RESETHAND) != 0, "flags %#lx", now.sa_flags);
}

void raise_twice(long sig)
{
	install(SIGUSR1, resethand_handler, SA_RESETHAND, 0);
	raise((int)sig);
	raise((int)sig);
	_exit(3);
}

/* SA_NODEFER: the handler can be entered again while it runs. */
void nesting_handler(int sig)
{
	hits++;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	note('0' + (char)depth);
	if (hits < 3)
		raise(sig);
	note('e');
	depth--;
}

void group_nodefer(void)
{
	reset_notes();
	install(SIGUSR1, nesting_handler, SA_NODEFER, 0);
	raise(SIGUSR1);
	check_eq("SA_NODEFER: the handler nested 3 deep", max_depth, 3);
	check("in the order 1 2 3, then the returns", strcmp(trail, "123eee") == 0, "trail %s", trail);

	/* Without SA_NODEFER the raise inside waits until the handler returns,
	 * and is delivered then, before the outer raise returns. */
	reset_notes();
	install(SIGUSR1, nesting_handler, 0, 0);
	raise(SIGUSR1);
	check_eq("without SA_NODEFER: never nested", max_depth, 1);
	check("but run again right after it returned", strcmp(trail, "1e1e1e") == 0, "trail %s", trail);
	check_eqx("nothing left pending", t_pending_now(), 0);
}

/* Nested handlers for different signals, and sa_mask deferring one. */
void outer_handler(int sig)
{
	(void)sig;
	note('A');
	raise(SIGUSR2);
	note('a');
}

void inner_handler(int sig)
{
	(void)sig;
	note('B');
}

void group_nested(void)
{
	reset_notes();
	install(SIGUSR1, outer_handler, 0, 0);
	install(SIGUSR2, inner_handler, 0, 0);
	raise(SIGUSR1);
	check("another signal's handler nests inside", strcmp(trail, "ABa") == 0, "trail %s", trail);

	reset_notes();
	install(SIGUSR1, outer_handler, 0, one(SIGUSR2));
	raise(SIGUSR1);
	check("with it in sa_mask it waits for the return", strcmp(trail, "AaB") == 0, "trail %s", trail);
}

/* The handler changes uc_sigmask: rt_sigreturn installs that mask. */
void mask_changing_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	sigaddset(&uc->uc_sigmask, SIGTERM);
}

void group_sigreturn_mask(void)
{
	install_info(SIGUSR1, mask_changing_handler, 0);
	raise(SIGUSR1);
	check_eqx("a handler that adds SIGTERM to uc_sigmask: blocked after it", t_blocked_now(), one(SIGTERM));
}

/* Ignoring: explicit SIG_IGN, and the signals whose default is to ignore. */
void group_ignore(void)
{
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	t_pass("SIG_IGN: raise(SIGUSR1) did nothing");
	raise(SIGCHLD);
	raise(SIGURG);
	raise(SIGWINCH);
	raise(SIGCONT);
	t_pass("default ignore: SIGCHLD, SIGURG, SIGWINCH, SIGCONT");
	check_eqx("nothing pending", t_pending_now(), 0);
}

/* sa_restorer is required on x86_64: without one Linux does not run the
 * handler at all and kills the program with SIGSEGV. */
void exit_7(int sig)
{
	(void)sig;
	_exit(7);
}

void no_restorer(long arg)
{
	struct kernel_sigaction act = { .handler = exit_7, .flags = (unsigned long)arg };

	raw_sigaction(SIGUSR1, (long)&act, 0, 8);
	raise(SIGUSR1);
	_exit(4);
}

/* A signal that arrives while the program computes, without a syscall:
 * it is delivered on the return from the timer interrupt. */
volatile sig_atomic_t stop_spinning;

void stop_spin(int sig)
{
	(void)sig;
	stop_spinning = 1;
}

void spin_until_signal(long parent)
{
	unsigned long x = 1;

	install(SIGUSR1, stop_spin, 0, 0);
	syscall(SYS_kill, parent, SIGUSR2); /* "ready" */
	while (!stop_spinning)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	_exit(x == 0 ? 9 : 0);
}

void got_ready(int sig)
{
	(void)sig;
	hits++;
}

void test_interrupt_delivery(void)
{
	sigset_t none = 0, usr2 = one(SIGUSR2);

	reset_notes();
	install(SIGUSR2, got_ready, 0, 0);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	pid_t pid = t_fork();
	if (pid == 0)
		spin_until_signal(getppid());
	while (!hits)
		sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
	signal(SIGUSR2, SIG_DFL);
	t_nap(20); /* "long enough" for it to be spinning; either way works */
	kill(pid, SIGUSR1);
	check_exited("a busy loop without syscalls gets its signal (from an interrupt)", t_wait(pid, T_WAIT_TICKS), 0);
}
