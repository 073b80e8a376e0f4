/*
 * signals2: signals between processes (course section: signals).
 *
 * What fork and exec keep of the signal state; kill to a process group and
 * to everyone; 10,000 signals back and forth with sigsuspend and none lost;
 * sigsuspend, pause, alarm, the interval timers (setitimer) and
 * rt_sigtimedwait; calls interrupted by a handler (EINTR) or restarted
 * (SA_RESTART), as Linux decides for each;
 * SIGPIPE and SIGCHLD; stop and continue as wait4 reports them; the
 * terminal's foreground group. signals.c covers one process's own signals.
 *
 * Timing: no result depends on how fast the machine is. A child that must
 * be asleep before it is signalled is watched in /proc/PID/stat until it is
 * (and a signal that comes early only makes a case repeat its signal).
 * Sleeps are only "long enough" delays for things that must NOT happen.
 *
 * Run with "--sigstate BITS" as argv[1], the binary is the program that
 * execve tests: it checks what survived the exec (see exec_helper()).
 * (test.sh: own boot -- the kill(-1) cases need it to be init.)
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

#include "testlib.h"

#define WAIT_TRIES 1500	/* about 15 s of 10 ms naps */

/* ---- helpers ---------------------------------------------------------------------- */

static volatile sig_atomic_t got, got_sig;
static volatile int got_code, got_pid, got_status;
static int notify_fd = -1;	/* handlers write a byte here, if set */

static void counting_handler(int sig)
{
	got++;
	got_sig = sig;
	if (notify_fd >= 0)
		write(notify_fd, "h", 1);
}

static void info_handler(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	got++;
	got_sig = sig;
	got_code = info->si_code;
	got_pid = info->si_pid;
	got_status = info->si_status;
}

static void install(int sig, void (*fn)(int), unsigned long flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void install_info(int sig, unsigned long flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = flags | SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static sigset_t one(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

static void block(int sig)
{
	sigset_t s = one(sig);

	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* wait4 with options, but bounded: -2 if nothing came. */
static int wait_opts(pid_t pid, int options)
{
	int st = 0;

	for (int i = 0; i < WAIT_TRIES; i++) {
		long r = syscall(SYS_wait4, pid, &st, options | WNOHANG, NULL);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		t_nap(10);
	}
	return -2;
}

/* One byte from fd, waiting a bounded time; -1 if none came. */
static int read_byte(int fd)
{
	char c;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (int i = 0; i < WAIT_TRIES; i++) {
		if (read(fd, &c, 1) == 1)
			return (unsigned char)c;
		t_nap(10);
	}
	return -1;
}

/* Is there a byte in fd right now? */
static int byte_ready(int fd)
{
	int n = 0;

	ioctl(fd, FIONREAD, &n);
	return n > 0;
}

/* Signals the child until it has left the call it sleeps in (its exit is
 * the sign), at most a bounded number of times: one early signal -- caught
 * before the child went to sleep -- then only costs a repeat. */
static int signal_until_exit(pid_t pid, int sig)
{
	t_wait_for_state(pid, 'S');
	for (int i = 0; i < 100; i++) {
		kill(pid, sig);
		int st = 0;
		for (int j = 0; j < 20; j++) {
			if (syscall(SYS_wait4, pid, &st, WNOHANG, NULL) == pid)
				return st;
			t_nap(10);
		}
	}
	return t_wait(pid, 10);
}

/* ---- fork ------------------------------------------------------------------------------ */

static char alt_mem[SIGSTKSZ];

static void forked_child_state(long arg)
{
	struct sigaction now;
	stack_t ss;
	int bad = 0;

	(void)arg;
	sigaction(SIGUSR1, NULL, &now);
	bad |= now.sa_handler != counting_handler;
	sigaction(SIGUSR2, NULL, &now);
	bad |= (now.sa_handler != SIG_IGN) << 1;
	bad |= (t_blocked_now() != (one(SIGTERM) | one(SIGHUP))) << 2;
	bad |= (t_pending_now() != 0) << 3;
	sigaltstack(NULL, &ss);
	bad |= (ss.ss_sp != alt_mem || ss.ss_flags != 0) << 4;
	_exit(bad);
}

static void group_fork(void)
{
	stack_t ss = { alt_mem, 0, sizeof(alt_mem) };

	install(SIGUSR1, counting_handler, 0);
	signal(SIGUSR2, SIG_IGN);
	block(SIGTERM);
	block(SIGHUP);
	raise(SIGHUP);
	sigaltstack(&ss, NULL);
	int st = run_child(forked_child_state, 0);
	check("fork: the child has the parent's handlers", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 1), "%s",
	      status_text(st));
	check("fork: ignored stays ignored", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 2), "%s", status_text(st));
	check("fork: the mask is copied", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 4), "%s", status_text(st));
	check("fork: the child's pending set is empty", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 8), "%s",
	      status_text(st));
	check("fork: the alternate stack is inherited", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 16), "%s",
	      status_text(st));
	check_eqx("the parent's SIGHUP is still pending", t_pending_now(), one(SIGHUP));
}

/* ---- exec ---------------------------------------------------------------------------------- */

enum exec_bits { EX_HANDLER = 1, EX_IGNORED = 2, EX_MASK = 4, EX_PENDING = 8, EX_ALTSTACK = 16, EX_ALARM = 32 };

/* After execve: each bit of the exit status is a rule that did not hold. */
static int exec_helper(void)
{
	struct sigaction now;
	stack_t ss;
	int bad = 0;

	sigaction(SIGUSR1, NULL, &now);
	if (now.sa_handler != SIG_DFL)
		bad |= EX_HANDLER;
	sigaction(SIGUSR2, NULL, &now);
	if (now.sa_handler != SIG_IGN)
		bad |= EX_IGNORED;
	if (t_blocked_now() != (one(SIGTERM) | one(SIGHUP)))
		bad |= EX_MASK;
	if (t_pending_now() != one(SIGHUP))
		bad |= EX_PENDING;
	sigaltstack(NULL, &ss);
	if (ss.ss_flags != SS_DISABLE)
		bad |= EX_ALTSTACK;
	if (alarm(0) == 0)
		bad |= EX_ALARM;
	return bad;
}

static void exec_self(long arg)
{
	char *argv[] = { (char *)t_self(), "--sigstate", NULL };
	stack_t ss = { alt_mem, 0, sizeof(alt_mem) };

	(void)arg;
	install(SIGUSR1, counting_handler, 0);
	signal(SIGUSR2, SIG_IGN);
	block(SIGTERM);
	block(SIGHUP);
	raise(SIGHUP);
	sigaltstack(&ss, NULL);
	alarm(1000);
	execve(argv[0], argv, NULL);
	_exit(99);
}

static void test_exec(void)
{
	int st = run_child(exec_self, 0);
	int bad = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (bad < 0 || bad == 99) {
		t_fail("exec", "the helper did not run (%s)", status_text(st));
		return;
	}
	check("exec: a handled signal becomes SIG_DFL", !(bad & EX_HANDLER), "status %#x", bad);
	check("exec: an ignored signal stays ignored", !(bad & EX_IGNORED), "status %#x", bad);
	check("exec: the mask is kept", !(bad & EX_MASK), "status %#x", bad);
	check("exec: pending signals are kept", !(bad & EX_PENDING), "status %#x", bad);
	check("exec: the alternate stack is gone", !(bad & EX_ALTSTACK), "status %#x", bad);
	check("exec: a pending alarm is kept", !(bad & EX_ALARM), "status %#x", bad);
}

/* ---- kill to a group, and to everyone -------------------------------------------------------- */

/* Waits (blocked, race-free) for SIGUSR1, writes 'g' on out, exits. */
static void await_usr1(int ready_fd, int out_fd)
{
	sigset_t none = 0;

	got = 0;
	install(SIGUSR1, counting_handler, 0);
	write(ready_fd, "r", 1);
	while (!got)
		sigsuspend(&none);
	write(out_fd, "g", 1);
	_exit(0);
}

static void group_kill_pgrp(void)
{
	int ready[2], out[2];
	pid_t leader, member;

	pipe(ready);
	pipe(out);
	block(SIGUSR1); /* inherited: no signal is lost before sigsuspend */
	leader = t_fork();
	if (leader == 0) {
		setpgid(0, 0);
		await_usr1(ready[1], out[1]);
	}
	setpgid(leader, leader);
	member = t_fork();
	if (member == 0) {
		setpgid(0, leader);
		await_usr1(ready[1], out[1]);
	}
	setpgid(member, leader);
	check_eq("two children ready", (read_byte(ready[0]) == 'r') + (read_byte(ready[0]) == 'r'), 2);
	check_eq("kill(-pgid, SIGUSR1)", kill(-leader, SIGUSR1), 0);
	check_eq("reached both members of the group", (read_byte(out[0]) == 'g') + (read_byte(out[0]) == 'g'), 2);
	check_exited("the leader", t_wait(leader, T_WAIT_TICKS), 0);
	check_exited("the member", t_wait(member, T_WAIT_TICKS), 0);

	/* kill(0, sig) from inside a group reaches the sender too. */
	pid_t sender = t_fork();
	if (sender == 0) {
		sigset_t none = 0;
		setpgid(0, 0);
		got = 0;
		install(SIGUSR1, counting_handler, 0);
		pid_t other = t_fork();
		if (other == 0)
			await_usr1(ready[1], out[1]);
		if (read_byte(ready[0]) != 'r')
			_exit(2);
		kill(0, SIGUSR1);
		while (!got)
			sigsuspend(&none);
		_exit(read_byte(out[0]) == 'g' && t_wait(other, T_WAIT_TICKS) == 0 ? 0 : 3);
	}
	check_exited("kill(0, SIGUSR1) reaches the whole group, sender included", t_wait(sender, T_WAIT_TICKS), 0);
}

/* kill(-1): every process but init and the sender. Only when we are init
 * on sysgate: elsewhere it would reach the host's processes. */
static void kill_everyone(long arg)
{
	sigset_t none = 0;

	(void)arg;
	got = 0;

	install(SIGUSR1, counting_handler, 0);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (kill(-1, SIGUSR1) != 0)
		_exit(2);
	_exit(got ? 1 : 0); /* a signal to ourselves would have run by now */
}

static void test_kill_everyone(void)
{
	int ready[2], out[2];

	if (!on_sysgate() || getpid() != 1) {
		t_skip("kill(-1)", "only as init on sysgate");
		return;
	}
	pipe(ready);
	pipe(out);
	got = 0;
	install(SIGUSR1, counting_handler, 0); /* init must not get it */
	block(SIGUSR1);
	pid_t target = t_fork();
	if (target == 0)
		await_usr1(ready[1], out[1]);
	read_byte(ready[0]);
	check_exited("kill(-1, SIGUSR1) does not signal the sender", run_child(kill_everyone, 0), 0);
	check_eq("it reached the other process", read_byte(out[0]), 'g');
	check_exited("which then exited", t_wait(target, T_WAIT_TICKS), 0);
	sigset_t p = t_pending_now();
	check("init (pid 1) was spared", !sigismember(&p, SIGUSR1) && got == 0, "pending %#lx", p);
	signal(SIGUSR1, SIG_DFL);
	sigset_t s = one(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	/* With nobody else left, kill(-1) finds no target: ESRCH. */
	check_errno("kill(-1, 0) with no other process: ESRCH", kill(-1, 0), ESRCH);
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
}

/* ---- 10,000 signals with sigsuspend ---------------------------------------------------------- */

#define ROUNDS 10000

static void group_ping_pong(void)
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

static volatile sigset_t handler_uc_mask;

static void mask_recording_handler(int sig, siginfo_t *info, void *ctx)
{
	(void)info;
	got++;
	got_sig = sig;
	handler_uc_mask = ((ucontext_t *)ctx)->uc_sigmask;
}

static void group_sigsuspend(void)
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

static void pause_until_alarm(long arg)
{
	(void)arg;
	signal(SIGALRM, SIG_DFL);
	alarm(1);
	pause();
	_exit(3);
}

static void group_alarm(void)
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

static long cpu_ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Spins in user mode (with a few getpid calls, kernel time for ITIMER_PROF)
 * until `want` signals were counted or 5 s of CPU time went by. */
static int spin_until_signals(int want)
{
	long until = cpu_ms_now() + 5000;

	while (t_signal_count < want && cpu_ms_now() < until)
		getpid();
	return t_signal_count;
}

static void itimer_not_inherited(long unused)
{
	struct itimerval v;

	(void)unused;
	getitimer(ITIMER_REAL, &v);
	_exit(v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0 ? 0 : 1);
}

static void group_itimers(void)
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

static void wait_for_usr1_info(long arg)
{
	sigset_t s = one(SIGUSR1);
	siginfo_t info;

	(void)arg;
	memset(&info, 0, sizeof(info));
	int sig = sigwaitinfo(&s, &info);
	_exit(sig == SIGUSR1 && info.si_code == SI_USER && info.si_pid == getppid() ? 0 : 1);
}

static void group_sigtimedwait(void)
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

/* ---- interrupted calls: EINTR or restart -------------------------------------------------------------- */

enum blocking_call { CALL_PIPE_READ, CALL_WAIT4, CALL_NANOSLEEP, CALL_PAUSE, CALL_SIGSUSPEND, CALL_CONSOLE_READ };

static int gate[2];	/* a pipe nobody writes: reading it blocks */

/* In the child: sleep in one call with a SIGUSR1 handler (SA_RESTART or
 * not). Exit 0 if the call failed with EINTR, 1 if it returned otherwise.
 * For nanosleep, also 2 if the time left was not reported. */
static void interrupted_call(int call, unsigned long flags)
{
	char c;
	long r = 0;
	struct timespec req = { 100, 0 }, rem = { -1, -1 };
	sigset_t none = 0;

	install(SIGUSR1, counting_handler, flags);
	switch (call) {
	case CALL_PIPE_READ:
		r = read(gate[0], &c, 1);
		break;
	case CALL_CONSOLE_READ:
		r = read(0, &c, 1);
		break;
	case CALL_WAIT4: {
		pid_t sleeper = t_fork();
		if (sleeper == 0) {
			read(gate[0], &c, 1);
			_exit(0);
		}
		r = waitpid(sleeper, NULL, 0);
		kill(sleeper, SIGKILL);
		break;
	}
	case CALL_NANOSLEEP:
		r = nanosleep(&req, &rem);
		if (r == -1 && errno == EINTR && !(rem.tv_sec >= 0 && rem.tv_sec < 100 && rem.tv_nsec >= 0 &&
						   (rem.tv_sec || rem.tv_nsec)))
			_exit(2);
		break;
	case CALL_PAUSE:
		r = pause();
		break;
	case CALL_SIGSUSPEND:
		r = sigsuspend(&none);
		break;
	}
	_exit(r == -1 && errno == EINTR ? 0 : 1);
}

static const char *const call_names[] = { "pipe read", "wait4", "nanosleep", "pause", "sigsuspend", "console read" };

static void expect_eintr(int call, unsigned long flags)
{
	pid_t pid = t_fork();

	if (pid == 0)
		interrupted_call(call, flags);
	check_exited(cname("%s%s: EINTR", call_names[call], flags & SA_RESTART ? " with SA_RESTART" : ""),
		     signal_until_exit(pid, SIGUSR1), 0);
}

/* With SA_RESTART a pipe read goes on after the handler: it returns the
 * byte written later, not EINTR. The handler notifies us on a pipe. */
static void restarted_read(int note_wr)
{
	char c = 0;

	notify_fd = note_wr;
	install(SIGUSR1, counting_handler, SA_RESTART);
	long r = read(gate[0], &c, 1);
	_exit(r == 1 && c == 'x' && got >= 1 ? 0 : 1);
}

static void restarted_wait4(int note_wr)
{
	char c;

	notify_fd = note_wr;
	install(SIGUSR1, counting_handler, SA_RESTART);
	pid_t sleeper = t_fork();
	if (sleeper == 0) {
		read(gate[0], &c, 1);
		_exit(7);
	}
	int st = 0;
	long r = waitpid(sleeper, &st, 0);
	_exit(r == sleeper && WIFEXITED(st) && WEXITSTATUS(st) == 7 && got >= 1 ? 0 : 1);
}

static void expect_restart(const char *name, void (*child_fn)(int))
{
	int note[2];

	pipe(gate);
	pipe(note);
	pid_t pid = t_fork();
	if (pid == 0) {
		close(gate[1]);
		child_fn(note[1]);
	}
	t_wait_for_state(pid, 'S');
	kill(pid, SIGUSR1);
	check_eq(cname("%s with SA_RESTART: the handler ran", name), read_byte(note[0]), 'h');
	t_wait_for_state(pid, 'S'); /* back in the restarted call */
	t_nap(50);
	write(gate[1], "x", 1);
	close(gate[1]);
	check_exited(cname("%s with SA_RESTART: restarted, then completed", name), t_wait(pid, T_WAIT_TICKS), 0);
	close(gate[0]);
	close(note[0]);
	close(note[1]);
}

/* restart_syscall, called by a program with nothing interrupted, has
 * nothing to go on with: EINTR. */
static void restart_with_nothing(long arg)
{
	(void)arg;
	_exit(syscall(SYS_restart_syscall) == -1 && errno == EINTR ? 0 : 1);
}

/* A poll (how 0) or ppoll (how 1) on a pipe, stopped and continued while
 * it waits, must go on waiting and see the byte the parent writes later. */
static void stopped_poll(int fd, int how)
{
	struct pollfd p = { fd, POLLIN, 0 };
	struct timespec minute = { 60, 0 };
	long r = how ? syscall(SYS_ppoll, &p, 1, &minute, NULL, 8) : syscall(SYS_poll, &p, 1, 60000);

	_exit(r == 1 && (p.revents & POLLIN) ? 0 : 1);
}

static void test_stopped_polls(void)
{
	static const char *const names[] = { "poll", "ppoll" };

	for (int how = 0; how < 2; how++) {
		int p[2];

		pipe(p);
		pid_t pid = t_fork();
		if (pid == 0)
			stopped_poll(p[0], how);
		t_wait_for_state(pid, 'S');
		kill(pid, SIGSTOP);
		wait_opts(pid, WUNTRACED);
		kill(pid, SIGCONT);
		t_wait_for_state(pid, 'S'); /* back in the restarted call */
		write(p[1], "x", 1);
		check_exited(cname("%s, stopped and continued: goes on and sees the data", names[how]),
			     t_wait(pid, T_WAIT_TICKS), 0);
		close(p[0]);
		close(p[1]);
	}
}

/* A stop and continue, with no handler, restarts the call invisibly. */
static void stopped_sleep(long arg)
{
	struct timespec req = { 1, 0 };

	(void)arg;
	_exit(nanosleep(&req, NULL) == 0 ? 0 : 1);
}

static void test_interrupted_calls(void)
{
	static const int calls[] = { CALL_PIPE_READ, CALL_WAIT4, CALL_NANOSLEEP, CALL_PAUSE, CALL_SIGSUSPEND };

	pipe(gate);
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		expect_eintr(calls[i], 0);
	/* Linux never restarts these after a handler, SA_RESTART or not. */
	expect_eintr(CALL_NANOSLEEP, SA_RESTART);
	expect_eintr(CALL_PAUSE, SA_RESTART);
	expect_eintr(CALL_SIGSUSPEND, SA_RESTART);
	if (on_sysgate() && isatty(0))
		expect_eintr(CALL_CONSOLE_READ, 0);
	else
		t_skip("console read: EINTR", "needs sysgate's console as stdin");
	close(gate[0]);
	close(gate[1]);
	expect_restart("pipe read", restarted_read);
	expect_restart("wait4", restarted_wait4);

	pid_t pid = t_fork();
	if (pid == 0)
		stopped_sleep(0);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	int st = wait_opts(pid, WUNTRACED);
	check("nanosleep, stopped by SIGSTOP", st >= 0 && WIFSTOPPED(st), "%s", status_text(st));
	kill(pid, SIGCONT);
	check_exited("and continued: it finishes its sleep and returns 0", t_wait(pid, T_WAIT_TICKS), 0);
	check_exited("restart_syscall with nothing interrupted: EINTR", run_child(restart_with_nothing, 0), 0);
	test_stopped_polls();
}

/* ---- SIGPIPE ------------------------------------------------------------------------------------------- */

static void write_to_closed_pipe(long how)
{
	int p[2];

	pipe(p);
	close(p[0]);
	if (how == 1)
		signal(SIGPIPE, SIG_IGN);
	if (how == 2)
		install_info(SIGPIPE, 0);
	long r = write(p[1], "x", 1);
	if (how == 1)
		_exit(r == -1 && errno == EPIPE ? 0 : 1);
	if (how == 2)
		_exit(r == -1 && errno == EPIPE && got == 1 && got_sig == SIGPIPE && got_code == SI_USER &&
			      got_pid == getpid() ? 0 : 1);
	_exit(3);
}

static void test_sigpipe(void)
{
	check_signaled("write to a pipe without readers: SIGPIPE", run_child(write_to_closed_pipe, 0), SIGPIPE);
	check_exited("with SIGPIPE ignored: EPIPE", run_child(write_to_closed_pipe, 1), 0);
	check_exited("with a handler: it runs (SI_USER, our pid), then EPIPE", run_child(write_to_closed_pipe, 2), 0);
}

/* ---- SIGCHLD ---------------------------------------------------------------------------------------------- */

static void sleep_forever(void)
{
	for (;;)
		pause();
}

static int next_sigchld(siginfo_t *info)
{
	sigset_t s = one(SIGCHLD);
	struct timespec limit = { 15, 0 };

	memset(info, 0, sizeof(*info));
	return sigtimedwait(&s, info, &limit);
}

static void group_sigchld(void)
{
	siginfo_t info;

	block(SIGCHLD);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(3);
	check_eq("a child's exit: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_EXITED", info.si_code, CLD_EXITED);
	check_eq("si_pid", info.si_pid, pid);
	check_eq("si_status: the exit code", info.si_status, 3);
	waitpid(pid, NULL, 0);

	pid = t_fork();
	if (pid == 0)
		sleep_forever();
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	check_eq("a child stopped: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_STOPPED", info.si_code, CLD_STOPPED);
	check_eq("si_status: the stop signal", info.si_status, SIGSTOP);
	kill(pid, SIGCONT);
	check_eq("continued: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_CONTINUED", info.si_code, CLD_CONTINUED);
	check_eq("si_status SIGCONT", info.si_status, SIGCONT);
	kill(pid, SIGKILL);
	check_eq("killed: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_KILLED", info.si_code, CLD_KILLED);
	check_eq("si_status: the signal", info.si_status, SIGKILL);
	waitpid(pid, NULL, 0);

	pid = t_fork();
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		raise(SIGABRT);
		_exit(0);
	}
	check_eq("dumped core: SIGCHLD", next_sigchld(&info), SIGCHLD);
	/* Linux says CLD_DUMPED only if a core file was written; the tests
	 * forbid those. */
	check_eq("its si_code", info.si_code, on_sysgate() ? CLD_DUMPED : CLD_KILLED);
	check_eq("si_status SIGABRT", info.si_status, SIGABRT);
	waitpid(pid, NULL, 0);

	/* SA_NOCLDSTOP: no SIGCHLD for stops and continues. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = counting_handler;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	pid = t_fork();
	if (pid == 0)
		sleep_forever();
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	int st = wait_opts(pid, WUNTRACED);
	check("SA_NOCLDSTOP: the child stopped", st >= 0 && WIFSTOPPED(st), "%s", status_text(st));
	check_eqx("but no SIGCHLD is pending", t_pending_now(), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	check_eqx("its death does send one", t_pending_now(), one(SIGCHLD));

	/* A handler: runs when the child exits. */
	got = 0;
	install(SIGCHLD, counting_handler, 0);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	sigset_t none = 0;
	while (got == 0)
		sigsuspend(&none);
	check_eq("a SIGCHLD handler ran", got_sig, SIGCHLD);
	waitpid(pid, NULL, 0);
}

/* SIGCHLD ignored: children are reaped at once; wait4 waits for them all,
 * then says ECHILD. */
static void group_sigchld_ignored(void)
{
	signal(SIGCHLD, SIG_IGN);
	pid_t pid = t_fork();
	if (pid == 0) {
		t_nap(100);
		_exit(0);
	}
	check_errno("SIGCHLD ignored: wait4 finds no zombie, ECHILD", waitpid(pid, NULL, 0), ECHILD);
	check_errno("and its pid is gone at once: kill(pid, 0) gives ESRCH", kill(pid, 0), ESRCH);
}

/* ---- stop and continue -------------------------------------------------------------------------------------- */

static void group_stop_continue(void)
{
	int st, note[2];

	pid_t pid = t_fork();
	if (pid == 0)
		sleep_forever();
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	st = wait_opts(pid, WUNTRACED);
	check("SIGSTOP: wait4(WUNTRACED) sees it stopped", st >= 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "%s", status_text(st));
	check_eq("/proc says T", t_proc_state(pid), 'T');
	check_eq("it is reported once", syscall(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, NULL), 0);
	kill(pid, SIGCONT);
	st = wait_opts(pid, WCONTINUED);
	check("SIGCONT: wait4(WCONTINUED) sees it continued", st >= 0 && WIFCONTINUED(st), "%s", status_text(st));
	check_eq("running (or sleeping) again", t_wait_for_state(pid, 'S'), 'S');
	kill(pid, SIGTSTP);
	st = wait_opts(pid, WUNTRACED);
	check("SIGTSTP stops it too", st >= 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "%s", status_text(st));
	check_eq("wait4 without WUNTRACED does not report a stop",
		 syscall(SYS_wait4, pid, &st, WNOHANG, NULL), 0);
	kill(pid, SIGKILL);
	st = wait_opts(pid, WUNTRACED | WCONTINUED);
	check_signaled("SIGKILL ends a stopped process (no 'continued' first)", st, SIGKILL);

	/* A signal sent while stopped waits for SIGCONT; so does its handler. */
	pipe(note);
	pid = t_fork();
	if (pid == 0) {
		notify_fd = note[1];
		install(SIGUSR1, counting_handler, 0);
		install(SIGCONT, counting_handler, 0);
		write(note[1], "r", 1);
		sleep_forever();
	}
	read_byte(note[0]);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	wait_opts(pid, WUNTRACED);
	kill(pid, SIGUSR1);
	t_nap(100); /* long enough for a wrong delivery to show */
	check("while stopped, the handler does not run", !byte_ready(note[0]), "it did");
	kill(pid, SIGCONT);
	check_eq("after SIGCONT: the SIGUSR1 handler runs...", read_byte(note[0]), 'h');
	check_eq("...and the SIGCONT handler", read_byte(note[0]), 'h');
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	/* Caught or blocked SIGTSTP does not stop; SIGSTOP cannot be blocked. */
	pid = t_fork();
	if (pid == 0) {
		sigset_t all;
		notify_fd = note[1];
		install(SIGTSTP, counting_handler, 0);
		install(SIGTTIN, counting_handler, 0);
		write(note[1], "r", 1);
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		sleep_forever();
	}
	read_byte(note[0]);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGTSTP);
	kill(pid, SIGTTIN);
	t_nap(100);
	check_eq("blocked SIGTSTP, SIGTTIN: not stopped", syscall(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, NULL), 0);
	kill(pid, SIGSTOP);
	st = wait_opts(pid, WUNTRACED);
	check("everything blocked: SIGSTOP still stops", st >= 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "%s",
	      status_text(st));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	pid = t_fork();
	if (pid == 0) {
		notify_fd = note[1];
		install(SIGTSTP, counting_handler, 0);
		write(note[1], "r", 1);
		sleep_forever();
	}
	read_byte(note[0]);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGTSTP);
	check_eq("a caught SIGTSTP runs its handler", read_byte(note[0]), 'h');
	check_eq("and does not stop", syscall(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, NULL), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(note[0]);
	close(note[1]);
}

/* ---- /bin/kill (sysgate only: the host's kill is another program) -------------------------------------- */

/* Runs argv with stdout and stderr on /dev/null; returns the wait status. */
static int run_quietly(char *const argv[])
{
	pid_t pid = t_fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return t_wait(pid, T_WAIT_TICKS);
}

static void kill_command_reaches(const char *what, char *sig_arg, char *sig_arg2)
{
	int ready[2], out[2];
	char pid_text[16];

	pipe(ready);
	pipe(out);
	block(SIGUSR1);
	pid_t target = t_fork();
	if (target == 0)
		await_usr1(ready[1], out[1]);
	read_byte(ready[0]);
	snprintf(pid_text, sizeof(pid_text), "%d", target);
	char *argv[] = { "/bin/kill", sig_arg, sig_arg2 ? sig_arg2 : pid_text, sig_arg2 ? pid_text : NULL, NULL };
	check_exited(cname("%s: exit 0", what), run_quietly(argv), 0);
	check_eq(cname("%s: the process got SIGUSR1", what), read_byte(out[0]), 'g');
	t_wait(target, T_WAIT_TICKS);
	sigset_t s = one(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
}

static void test_kill_command(void)
{
	if (!on_sysgate()) {
		t_skip("/bin/kill", "sysgate only");
		return;
	}
	kill_command_reaches("kill -SIGUSR1 PID", "-SIGUSR1", NULL);
	kill_command_reaches("kill -USR1 PID", "-USR1", NULL);
	kill_command_reaches("kill -10 PID", "-10", NULL);
	kill_command_reaches("kill -s USR1 PID", "-s", "USR1");
	check_exited("kill -SIGNOPE 1: exit 1", run_quietly((char *[]){ "/bin/kill", "-SIGNOPE", "1", NULL }), 1);
	char gone[16];
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(0);
	t_wait(pid, T_WAIT_TICKS);
	snprintf(gone, sizeof(gone), "%d", pid);
	check_exited("kill of a pid that is gone: exit 1", run_quietly((char *[]){ "/bin/kill", gone, NULL }), 1);
	check_exited("kill -l: exit 0", run_quietly((char *[]){ "/bin/kill", "-l", NULL }), 0);
}

/* ---- the terminal's foreground group (sysgate only) --------------------------------------------------------- */

static void test_foreground_group(void)
{
	if (!on_sysgate() || !isatty(0)) {
		t_skip("terminal foreground group", "needs sysgate's console as stdin");
		return;
	}
	pid_t fg = tcgetpgrp(0);
	check("tcgetpgrp (TIOCGPGRP) answers", fg > 0, "got %d", fg);
	check_ok("tcsetpgrp (TIOCSPGRP) to our group", tcsetpgrp(0, getpgrp()));
	check_eq("and reads back", tcgetpgrp(0), getpgrp());
	check_errno("TIOCSPGRP -1: EINVAL", tcsetpgrp(0, -1), EINVAL);
	check_errno("TIOCSPGRP to a group that does not exist: ESRCH", tcsetpgrp(0, 30000), ESRCH);
	check_eq("the foreground group is unchanged", tcgetpgrp(0), getpgrp());
	check_errno("TIOCGPGRP to (void *)-1: EFAULT", ioctl(0, TIOCGPGRP, (void *)-1), EFAULT);
	check_errno("TIOCSPGRP from (void *)-1: EFAULT", ioctl(0, TIOCSPGRP, (void *)-1), EFAULT);
	tcsetpgrp(0, fg);
}

int main(int argc, char **argv)
{
	struct leak_mark mark;

	if (argc > 1 && strcmp(argv[1], "--sigstate") == 0)
		return exec_helper();
	t_set_self(argv);
	t_begin("signals2");
	t_group("sigsuspend", group_sigsuspend);
	t_group("alarm", group_alarm);
	t_group("interval timers", group_itimers);
	t_group("sigtimedwait", group_sigtimedwait);
	test_kill_everyone();
	test_foreground_group();
	test_kill_command();
	test_sigpipe();

	/* The heavy part, between two counts of the kernel's free memory.
	 * (Our own process has touched its pages by now: what it allocates
	 * below is only pipes and children, which must all be given back.) */
	int leaks = leak_mark(&mark);
	t_group("fork", group_fork);
	test_exec();
	t_group("kill to a process group", group_kill_pgrp);
	t_group("ping-pong", group_ping_pong);
	test_interrupted_calls();
	t_group("SIGCHLD", group_sigchld);
	t_group("SIGCHLD ignored", group_sigchld_ignored);
	t_group("stop and continue", group_stop_continue);
	/* As init on sysgate we inherit orphans of groups that failed: reap
	 * them, or their zombies would look like a leak. */
	while (syscall(SYS_wait4, -1, NULL, WNOHANG, NULL) > 0)
		;
	if (leaks)
		leak_check("no frames or heap lost to fork, exec, 10,000 signals, stops and interrupted calls", &mark);
	else
		t_skip("leaks", "sysgate only");
	return t_end();
}
