/*
 * testlib: watching and prodding other processes (course section: testing
 * the syscall interface).
 *
 * Tests of blocking calls must know that a child really is asleep before
 * they wake it -- a wake-up sent too early proves nothing -- and must not
 * measure time to find out. /proc/PID/stat says it: its third field is the
 * state letter ('S' asleep, 'T' stopped, 'Z' zombie), on Linux and on
 * sysgate alike. And a test that a blocking call ends with EINTR needs a
 * signal that arrives whenever the call starts: a "pester" child that sends
 * one every few milliseconds, and a handler that counts them.
 */
#include <fcntl.h>
#include <string.h>

#include "testlib.h"

char t_proc_state(pid_t pid)
{
	char path[64], buf[256], *close_paren;
	long n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* "pid (name) S ...": the name may hold spaces, so look after its ')' */
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : '?';
}

char t_wait_for_state(pid_t pid, char want)
{
	char now = '?';

	for (int i = 0; i < 3000 && (now = t_proc_state(pid)) != want; i++)
		t_nap(10);
	return now;
}

pid_t t_pester_start(int sig)
{
	pid_t target = getpid(), pid = t_fork();

	if (pid == 0) {
		for (;;) {
			kill(target, sig);
			t_nap(5);
		}
	}
	return pid;
}

void t_pester_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	t_wait(pid, T_WAIT_TICKS);
}

volatile sig_atomic_t t_signal_count;

static void count_it(int sig)
{
	(void)sig;
	t_signal_count++;
}

void t_count_signal(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_it; /* no SA_RESTART: a blocking call it interrupts ends with EINTR */
	sigaction(sig, &sa, NULL);
	t_signal_count = 0;
}

sigset_t t_blocked_now(void)
{
	sigset_t s = 0;

	sigprocmask(SIG_BLOCK, NULL, &s);
	return s;
}

sigset_t t_pending_now(void)
{
	sigset_t s = 0;

	sigpending(&s);
	return s;
}
