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
 *
 * Its parts, one concept a file: inherit.c, waiting.c, eintr.c, jobs.c; main.c keeps the shared
 * helpers and runs them all.
 */
#include "signals2.h"

/* ---- helpers ---------------------------------------------------------------------- */

volatile sig_atomic_t got, got_sig;
volatile int got_code, got_pid, got_status;
int notify_fd = -1;	/* handlers write a byte here, if set */

void counting_handler(int sig)
{
	got++;
	got_sig = sig;
	if (notify_fd >= 0)
		write(notify_fd, "h", 1);
}

void info_handler(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	got++;
	got_sig = sig;
	got_code = info->si_code;
	got_pid = info->si_pid;
	got_status = info->si_status;
}

void install(int sig, void (*fn)(int), unsigned long flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

void install_info(int sig, unsigned long flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = flags | SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

sigset_t one(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

void block(int sig)
{
	sigset_t s = one(sig);

	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* wait4 with options, but bounded: -2 if nothing came. */
int wait_opts(pid_t pid, int options)
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
int read_byte(int fd)
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
int byte_ready(int fd)
{
	int n = 0;

	ioctl(fd, FIONREAD, &n);
	return n > 0;
}

/* Signals the child until it has left the call it sleeps in (its exit is
 * the sign), at most a bounded number of times: one early signal -- caught
 * before the child went to sleep -- then only costs a repeat. */
int signal_until_exit(pid_t pid, int sig)
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
