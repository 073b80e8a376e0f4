/*
 * signals2: 10,000 signals with sigsuspend; sigsuspend, pause, alarm; interval timers;
 * rt_sigtimedwait (course section: signals). One part of the signals2 test: main.c runs it.
 */
#include "signals2.h"

/* ---- 10,000 signals with sigsuspend ---------------------------------------------------------- */

#define ROUNDS 10000

void group_ping_pong(void)
{
	sigset_t none = 0;
	pid_t parent = getpid(), child;

	got = 0;
	install(SIGUSR1, counting_handler, 0);
	block(SIGUSR1);
	child = t_fork();
	if (child == 0) {
		for (int i = 1; i <= ROUNDS; i++) {
			while (got < i)
				sigsuspend(&none);
			kill(parent, SIGUSR1);
		}
		_exit(got == ROUNDS ? 0 : 1);
	}
	for (int i = 1; i <= ROUNDS; i++) {
		kill(child, SIGUSR1);
		while (got < i)
			sigsuspend(&none);
	}
	check_eq("10,000 round trips: the parent got every reply", got, ROUNDS);
	check_exited("and the child got every signal", t_wait(child, T_WAIT_TICKS), 0);
}

/* ---- sigsuspend, pause, alarm ------------------------------------------------------------------- */

volatile sigset_t handler_uc_mask;

void mask_recording_handler(int sig, siginfo_t *info, void *ctx)
{
	(void)info;
	got++;
	got_sig = sig;
	handler_uc_mask = ((ucontext_t *)ctx)->uc_sigmask;
}

void group_sigsuspend(void)
{
	struct sigaction sa;
	sigset_t wait_mask = one(SIGUSR2);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = mask_recording_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	block(SIGUSR1);
	block(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR1);
	got = 0;
	check_errno("sigsuspend returns -1 EINTR after a handler", sigsuspend(&wait_mask), EINTR);
	check_eq("the handler for the signal it let through ran", got_sig, SIGUSR1);
	check_eq("only that one", got, 1);
	check_eqx("the handler's uc_sigmask is the mask from before sigsuspend", handler_uc_mask,
		  one(SIGUSR1) | one(SIGUSR2));
	check_eqx("afterwards that mask is back", t_blocked_now(), one(SIGUSR1) | one(SIGUSR2));
	check_eqx("SIGUSR2, still blocked, still pending", t_pending_now(), one(SIGUSR2));
}

void pause_until_alarm(long arg)
{
	(void)arg;
	signal(SIGALRM, SIG_DFL);
	alarm(1);
	pause();
	_exit(3);
}

void group_alarm(void)
{
	check_eq("alarm(100) with none pending: 0", alarm(100), 0);
	unsigned left = alarm(50);
	check("alarm(50) then: about 100 s were left", left >= 90 && left <= 100, "got %u", left);
	left = alarm(0);
	check("alarm(0) cancels: about 50 s were left", left >= 40 && left <= 50, "got %u", left);
	check_eq("and then none", alarm(0), 0);

	got = 0;
	install(SIGALRM, counting_handler, 0);
	alarm(1);
	check_errno("alarm(1) then pause: EINTR", pause(), EINTR);
	check_eq("after SIGALRM's handler", got_sig, SIGALRM);
	install(SIGALRM, counting_handler, SA_RESTART);
	alarm(1);
	check_errno("pause is never restarted, even with SA_RESTART", pause(), EINTR);

	alarm(100);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(alarm(0) == 0 ? 0 : 1);
	check_exited("fork: the child has no pending alarm", t_wait(pid, T_WAIT_TICKS), 0);
	alarm(0);
	check_signaled("SIGALRM's default action: terminate", run_child(pause_until_alarm, 0), SIGALRM);
}

/* ---- interval timers ------------------------------------------------------------------------ */

long cpu_ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Spins in user mode (with a few getpid calls, kernel time for ITIMER_PROF)
 * until `want` signals were counted or 5 s of CPU time went by. */
int spin_until_signals(int want)
{
	long until = cpu_ms_now() + 5000;

	while (t_signal_count < want && cpu_ms_now() < until)
		getpid();
	return t_signal_count;
}

void itimer_not_inherited(long unused)
{
	struct itimerval v;

	(void)unused;
	getitimer(ITIMER_REAL, &v);
	_exit(v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0 ? 0 : 1);
}

void group_itimers(void)
{
	struct itimerval v, old, zero = { { 0, 0 }, { 0, 0 } };
	struct itimerval five = { { 0, 0 }, { 5, 0 } };

	check_errno("getitimer(3): EINVAL", getitimer(3, &v), EINVAL);
	check_errno("setitimer(-1): EINVAL", setitimer(-1, &zero, NULL), EINVAL);
	struct itimerval bad_usec = { { 0, 0 }, { 0, 1000000 } }, bad_sec = { { 0, 0 }, { -1, 0 } };
	check_errno("tv_usec 1,000,000: EINVAL", setitimer(ITIMER_REAL, &bad_usec, NULL), EINVAL);
	check_errno("tv_sec -1: EINVAL", setitimer(ITIMER_REAL, &bad_sec, NULL), EINVAL);
	check_errno("getitimer to a kernel address: EFAULT", getitimer(ITIMER_REAL, (void *)0xffffffff80000000UL),
		    EFAULT);
	check_errno("setitimer from a kernel address: EFAULT",
		    setitimer(ITIMER_REAL, (void *)0xffffffff80000000UL, NULL), EFAULT);
	check_eq("getitimer of an unarmed timer", getitimer(ITIMER_VIRTUAL, &v), 0);
	check("is all zeros", v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0 && v.it_interval.tv_usec == 0,
	      "got %ld.%06ld", (long)v.it_value.tv_sec, (long)v.it_value.tv_usec);

	check_eq("setitimer(ITIMER_REAL, 5 s)", setitimer(ITIMER_REAL, &five, NULL), 0);
	getitimer(ITIMER_REAL, &v);
	long left_us = v.it_value.tv_sec * 1000000L + v.it_value.tv_usec;
	check("getitimer: some of the 5 s left, never more", left_us > 0 && left_us <= 5000000,
	      "got %ld.%06ld", (long)v.it_value.tv_sec, (long)v.it_value.tv_usec);
	check_exited("fork: the child has no timers", run_child(itimer_not_inherited, 0), 0);
	unsigned left = alarm(0);
	check("alarm is the same timer: alarm(0) finds up to 5 s", left >= 1 && left <= 5, "got %u", left);
	alarm(7);
	setitimer(ITIMER_REAL, &zero, &old);
	check("and setitimer finds alarm's 7 s (or what is left of them)",
	      (old.it_value.tv_sec > 0 || old.it_value.tv_usec > 0) && old.it_value.tv_sec <= 7,
	      "got %ld.%06ld", (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);

	struct itimerval every_10ms = { { 0, 10000 }, { 0, 10000 } };
	t_count_signal(SIGALRM);
	setitimer(ITIMER_REAL, &every_10ms, NULL);
	while (t_signal_count < 3)
		pause();
	setitimer(ITIMER_REAL, &zero, &old);
	check("ITIMER_REAL with a 10 ms period: SIGALRM again and again", t_signal_count >= 3,
	      "%d", (int)t_signal_count);
	check("the period reads back", old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 10000,
	      "got %ld.%06ld", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);

	t_count_signal(SIGVTALRM);
	setitimer(ITIMER_VIRTUAL, &every_10ms, NULL);
	check("ITIMER_VIRTUAL: SIGVTALRM as user-mode CPU time passes", spin_until_signals(3) >= 3,
	      "%d in 5 s of CPU", (int)t_signal_count);
	setitimer(ITIMER_VIRTUAL, &zero, NULL);
	t_count_signal(SIGPROF);
	setitimer(ITIMER_PROF, &every_10ms, NULL);
	check("ITIMER_PROF: SIGPROF as CPU time passes", spin_until_signals(3) >= 3, "%d in 5 s of CPU",
	      (int)t_signal_count);
	check_eq("a NULL new value disarms", setitimer(ITIMER_PROF, NULL, &old), 0);
	getitimer(ITIMER_PROF, &v);
	check("it is disarmed", v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0, "got %ld.%06ld",
	      (long)v.it_value.tv_sec, (long)v.it_value.tv_usec);
	signal(SIGALRM, SIG_DFL);
	signal(SIGVTALRM, SIG_DFL);
	signal(SIGPROF, SIG_DFL);
}

/* ---- rt_sigtimedwait -------------------------------------------------------------------------------- */

void wait_for_usr1_info(long arg)
{
	sigset_t s = one(SIGUSR1);
	siginfo_t info;

	(void)arg;
	memset(&info, 0, sizeof(info));
	int sig = sigwaitinfo(&s, &info);
	_exit(sig == SIGUSR1 && info.si_code == SI_USER && info.si_pid == getppid() ? 0 : 1);
}

void group_sigtimedwait(void)
{
	sigset_t s = one(SIGUSR1) | one(SIGUSR2);
	siginfo_t info;
	struct timespec zero = { 0, 0 }, short_wait = { 0, 10000000 }, long_wait = { 60, 0 };

	block(SIGUSR1);
	block(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR1);
	memset(&info, 0, sizeof(info));
	check_eq("sigtimedwait takes a pending signal: the lowest first", sigtimedwait(&s, &info, &zero), SIGUSR1);
	check_eq("its siginfo: si_signo", info.si_signo, SIGUSR1);
	check_eq("si_code SI_TKILL (raise)", info.si_code, SI_TKILL);
	check_eq("si_pid", info.si_pid, getpid());
	check_eq("then the next", sigtimedwait(&s, NULL, &zero), SIGUSR2);
	check_eqx("none left pending", t_pending_now(), 0);
	check_errno("nothing pending, 10 ms: EAGAIN", sigtimedwait(&s, NULL, &short_wait), EAGAIN);

	got = 0;
	install(SIGALRM, counting_handler, SA_RESTART);
	alarm(1);
	check_errno("a handled signal not in the set interrupts it: EINTR", sigtimedwait(&s, NULL, &long_wait), EINTR);
	check_eq("after its handler ran", got, 1);

	pid_t pid = t_fork();
	if (pid == 0)
		wait_for_usr1_info(0);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGUSR1);
	check_exited("sigwaitinfo in a child gets the parent's kill, with si_pid", t_wait(pid, T_WAIT_TICKS), 0);
}
