/*
 * events: poll; signal-driven I/O: F_SETOWN and O_ASYNC; select and pselect (course section:
 * eventfd communication; the integrated event system). One part of the events test: main.c runs
 * it.
 */
#include "events.h"

/* ---- poll ---------------------------------------------------------------------------------- */

void test_poll_events(void)
{
	int e = eventfd(0, EFD_NONBLOCK);
	check_eq("eventfd at zero: POLLOUT only", poll_now(e, POLLIN | POLLOUT), POLLOUT);
	t_write_u64(e, 1);
	check_eq("eventfd after a write: POLLIN|POLLOUT", poll_now(e, POLLIN | POLLOUT), POLLIN | POLLOUT);
	check_eq("only the events asked for are reported", poll_now(e, POLLIN), POLLIN);
	struct pollfd none = { e, 0, 0 };
	check_eq("events 0: poll returns 0", poll(&none, 1, 0), 0);
	check_eq("events 0: revents 0", none.revents, 0);

	int p[2];
	pipe(p);
	check_eq("empty pipe: the read end is not ready", poll_now(p[0], POLLIN), 0);
	check_eq("empty pipe: the write end has POLLOUT", poll_now(p[1], POLLOUT), POLLOUT);
	write(p[1], "ab", 2);
	check_eq("pipe with data: POLLIN", poll_now(p[0], POLLIN), POLLIN);
	close(p[1]);
	check_eq("data then the writer closed: POLLIN|POLLHUP", poll_now(p[0], POLLIN), POLLIN | POLLHUP);
	char buf[4];
	read(p[0], buf, sizeof(buf));
	check_eq("a closed pipe's read end gives POLLHUP", poll_now(p[0], POLLIN), POLLHUP);
	check_eq("POLLHUP is reported even when not asked for", poll_now(p[0], 0), POLLHUP);
	close(p[0]);
	pipe(p);
	close(p[0]);
	check_eq("no reader left: the write end gives POLLOUT|POLLERR", poll_now(p[1], POLLOUT), POLLOUT | POLLERR);
	close(p[1]);

	check_eq("a closed descriptor gives POLLNVAL", poll_now(p[1], POLLIN), POLLNVAL);
	check_eq("the console or log on stdout is writable", poll_now(1, POLLOUT), POLLOUT);
	int null = open("/dev/null", O_RDWR);
	check_eq("a file without a poll operation (/dev/null) is always ready", poll_now(null, POLLIN | POLLOUT),
		 POLLIN | POLLOUT);
	close(null);

	struct pollfd set[4] = { { e, POLLIN, 0 }, { -1, POLLIN, 7 }, { 999, POLLIN, 0 }, { e, POLLOUT, 0 } };
	check_eq("poll counts the ready entries (3 of 4)", poll(set, 4, 0), 3);
	check_eq("a negative fd is ignored, its revents zeroed", set[1].revents, 0);
	check_eq("the same fd twice is reported twice", set[0].revents | set[3].revents, POLLIN | POLLOUT);
	check_eq("nfds 0 with NULL: 0", poll(NULL, 0, 0), 0);
	close(e);
}

void test_poll_timeouts(void)
{
	int p[2];
	pipe(p);
	struct pollfd fd = { p[0], POLLIN, 0 };
	check_eq("timeout 0 with nothing ready: 0 at once", poll(&fd, 1, 0), 0);

	uint64_t start = now_ns(CLOCK_MONOTONIC);
	int n = poll(&fd, 1, 30);
	uint64_t waited = now_ns(CLOCK_MONOTONIC) - start;
	check_eq("timeout 30 ms with nothing ready: 0", n, 0);
	check("and it waited at least the timeout", waited >= 29000000, "waited %lu ns", (unsigned long)waited);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_nap(30);
		write(p[1], "x", 1);
		_exit(0);
	}
	check_eq("timeout -1: woken by another process's write", poll(&fd, 1, -1), 1);
	check_eq("with POLLIN", fd.revents, POLLIN);
	t_wait(pid, T_WAIT_TICKS);
	close(p[0]);
	close(p[1]);
}

void test_poll_errors(void)
{
	struct pollfd fd = { 0, POLLIN, 0 };
	check_errno("fds NULL: EFAULT", poll(NULL, 1, 0), EFAULT);
	check_errno("fds at a kernel address: EFAULT", poll((struct pollfd *)KERNEL_ADDR, 1, 0), EFAULT);
	check_errno("fds in read-only text (revents cannot be written): EFAULT",
		    poll((struct pollfd *)(void *)test_poll_errors, 1, 0), EFAULT);
	check_errno("nfds UINT_MAX, over any descriptor limit: EINVAL", poll(&fd, UINT_MAX, 0), EINVAL);
	check_errno("nfds 2^31: EINVAL", poll(&fd, 0x80000000u, 0), EINVAL);
	if (on_sysgate())
		check_errno("nfds 1025, one over sysgate's 1024 descriptors: EINVAL", poll(&fd, 1025, 0), EINVAL);

	t_count_signal(SIGUSR1);
	pid_t pester = t_pester_start(SIGUSR1);
	long r = poll(NULL, 0, -1);
	int e = errno;
	t_pester_stop(pester);
	errno = e;
	check_errno("poll(-1) interrupted by a handled signal: EINTR", r, EINTR);
}

/*
 * What ppoll and pselect are for: a signal blocked until the call unblocks
 * it for the wait, in one step, so it cannot slip in between an unblock and
 * the wait. SIGUSR1 is made pending while blocked; the call with an empty
 * mask must run its handler once, end with EINTR, and put the mask back.
 */
void check_mask_lets_signal_in(const char *call, int (*wait_with_mask)(const sigset_t *mask))
{
	sigset_t block, old, empty, now;

	t_count_signal(SIGUSR1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, &old);
	kill(getpid(), SIGUSR1);
	check_eq("SIGUSR1 blocked and pending: the handler has not run", t_signal_count, 0);
	check_errno(cname("%s with a mask that unblocks it: EINTR", call), wait_with_mask(&empty), EINTR);
	check_eq(cname("the handler ran once, during %s", call), t_signal_count, 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	check(cname("the old mask is back after %s", call), sigismember(&now, SIGUSR1) == 1, "mask %#lx",
	      (unsigned long)now);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int ppoll_with_mask(const sigset_t *mask)
{
	return ppoll(NULL, 0, NULL, mask);
}

int pselect_with_mask(const sigset_t *mask)
{
	return pselect(0, NULL, NULL, NULL, NULL, mask);
}

void test_ppoll(void)
{
	int e = eventfd(0, EFD_NONBLOCK);
	struct pollfd fd = { e, POLLIN, 0 };
	struct timespec zero = { 0, 0 }, short_wait = { 0, 20000000 };
	check_eq("ppoll {0, 0}: 0 at once", ppoll(&fd, 1, &zero, NULL), 0);
	check_eq("ppoll 20 ms, nothing ready: 0", ppoll(&fd, 1, &short_wait, NULL), 0);
	t_write_u64(e, 1);
	check_eq("ppoll NULL timeout, ready: 1", ppoll(&fd, 1, NULL, NULL), 1);
	check_eq("with POLLIN", fd.revents, POLLIN);
	/* The kernel writes the time left into the timeout (libc's ppoll
	 * hides that by passing a copy; the raw syscall shows it). */
	struct timespec five = { 5, 0 };
	check_eq("raw ppoll, 5 s, ready at once: 1", raw_syscall(SYS_ppoll, (long)&fd, 1, (long)&five, 0, 8, 0), 1);
	check("and the timeout now holds the time left, under 5 s", five.tv_sec < 5 && five.tv_sec >= 0,
	      "got {%ld, %ld}", (long)five.tv_sec, (long)five.tv_nsec);

	struct timespec bad_ns = { 0, 1000000000 }, bad_sec = { -1, 0 };
	check_errno("tv_nsec 1e9: EINVAL", ppoll(&fd, 1, &bad_ns, NULL), EINVAL);
	check_errno("tv_sec -1: EINVAL", ppoll(&fd, 1, &bad_sec, NULL), EINVAL);
	check_raw_errno("timeout at a kernel address: EFAULT",
			raw_syscall(SYS_ppoll, (long)&fd, 1, KERNEL_ADDR, 0, 8, 0), EFAULT);
	sigset_t mask = 0;
	check_raw_errno("sigsetsize 4: EINVAL", raw_syscall(SYS_ppoll, (long)&fd, 1, (long)&zero, (long)&mask, 4, 0),
			EINVAL);
	check_raw_errno("sigmask at a kernel address: EFAULT",
			raw_syscall(SYS_ppoll, (long)&fd, 1, (long)&zero, KERNEL_ADDR, 8, 0), EFAULT);
	close(e);

	/* The point of ppoll: unblock a signal only while waiting, in one step. */
	check_mask_lets_signal_in("ppoll", ppoll_with_mask);
}

/* ---- signal-driven I/O: F_SETOWN and O_ASYNC ---------------------------------------------- */

/* In a child, in a group of its own (a SIGIO to our test's group would
 * also reach the shell that started it): the write end's owner is the
 * group, and a reader making room in a full pipe signals it. */
void sigio_to_group(long unused)
{
	int p[2];
	static char fill[65536];

	(void)unused;
	setpgid(0, 0);
	t_count_signal(SIGIO);
	pipe2(p, O_NONBLOCK);
	/* F_GETOWN answers minus the group: from a C library that reads
	 * -1..-4095 as errors, a small group number comes back as "-1, errno
	 * 5" -- Linux's own quirk (F_GETOWN_EX exists for it). Ask raw. */
	if (fcntl(p[1], F_SETOWN, -getpgrp()) != 0 || raw_syscall(SYS_fcntl, p[1], F_GETOWN, 0, 0, 0, 0) != -getpgrp())
		_exit(1);
	fcntl(p[1], F_SETFL, O_ASYNC | O_NONBLOCK);
	write(p[1], fill, sizeof(fill)); /* full */
	int before = t_signal_count;
	read(p[0], fill, 100);
	_exit(t_signal_count > before ? 0 : 2);
}

void test_sigio(void)
{
	int p[2];
	static char fill[65536];

	pipe2(p, O_NONBLOCK);
	check_eq("F_GETOWN of a new pipe: nobody", fcntl(p[0], F_GETOWN), 0);
	check_eq("F_SETOWN getpid()", fcntl(p[0], F_SETOWN, getpid()), 0);
	check_eq("F_GETOWN says so", fcntl(p[0], F_GETOWN), getpid());
	check_errno("F_SETOWN to a pid that does not exist: ESRCH", fcntl(p[0], F_SETOWN, 30000), ESRCH);
	check_errno("F_SETOWN to a group that does not exist: ESRCH", fcntl(p[0], F_SETOWN, -30000), ESRCH);
	check_eq("the owner stays", fcntl(p[0], F_GETOWN), getpid());

	t_count_signal(SIGIO);
	write(p[1], "a", 1);
	check_eq("without O_ASYNC, no SIGIO", t_signal_count, 0);
	check_eq("F_SETFL O_ASYNC on the read end", fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK), 0);
	check("F_GETFL shows it", (fcntl(p[0], F_GETFL) & O_ASYNC) != 0, "flags %#x", fcntl(p[0], F_GETFL));
	write(p[1], "b", 1);
	check("data arrives: SIGIO to the owner", t_signal_count >= 1, "%d", (int)t_signal_count);
	int before = t_signal_count;
	read(p[0], fill, sizeof(fill));
	check_eq("room for writers is nothing to the read end's owner", t_signal_count, before);

	pid_t child = t_fork();
	if (child == 0) {
		write(p[1], "c", 1);
		_exit(0);
	}
	t_wait(child, T_WAIT_TICKS);
	check("another process's write signals us too", t_signal_count > before, "%d", (int)t_signal_count);
	read(p[0], fill, sizeof(fill));

	check_exited("room in a full pipe: SIGIO to the write end's owner, a process group",
		     run_child(sigio_to_group, 0), 0);

	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	read(p[0], fill, sizeof(fill));
	before = t_signal_count;
	write(p[1], "d", 1);
	read(p[0], fill, 1);
	check_eq("O_ASYNC off again: no more SIGIO", t_signal_count, before);
	close(p[0]);
	close(p[1]);
	check_errno("F_SETOWN on a closed descriptor: EBADF", fcntl(p[0], F_SETOWN, getpid()), EBADF);
	signal(SIGIO, SIG_DFL);
}

/* ---- select and pselect ------------------------------------------------------------------- */

void test_select(void)
{
	int e = eventfd(0, EFD_NONBLOCK), p[2];
	fd_set rd, wr;
	struct timeval zero = { 0, 0 };

	pipe(p);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(e, &rd);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	int n = (p[1] > e ? p[1] : e) + 1;
	check_eq("select: only the pipe's write end is ready", select(n, &rd, &wr, NULL, &zero), 1);
	check("the read set came back empty, the write set holds the pipe",
	      !FD_ISSET(e, &rd) && !FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr), "sets wrong");
	t_write_u64(e, 1);
	write(p[1], "x", 1);
	FD_ZERO(&rd);
	FD_SET(e, &rd);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	check_eq("two readable, one writable: 3 bits", select(n, &rd, &wr, NULL, NULL), 3);
	check("both read bits kept", FD_ISSET(e, &rd) && FD_ISSET(p[0], &rd), "sets wrong");
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(e, &rd);
	FD_SET(e, &wr);
	check_eq("one descriptor readable and writable counts twice", select(e + 1, &rd, &wr, NULL, NULL), 2);

	struct timeval five = { 5, 0 };
	FD_ZERO(&rd);
	FD_SET(e, &rd);
	check_eq("select with 5 s, ready at once", select(e + 1, &rd, NULL, NULL, &five), 1);
	check("the timeout now holds the time left, under 5 s", five.tv_sec < 5 && five.tv_sec >= 0,
	      "got {%ld, %ld}", (long)five.tv_sec, (long)five.tv_usec);
	struct timeval short_wait = { 0, 20000 };
	check_eq("select with 20 ms and no sets: a sleep, 0", select(0, NULL, NULL, NULL, &short_wait), 0);
	check("and the time left is 0", short_wait.tv_sec == 0 && short_wait.tv_usec == 0,
	      "got {%ld, %ld}", (long)short_wait.tv_sec, (long)short_wait.tv_usec);
	struct timeval carried = { 0, 1000000 };
	FD_ZERO(&rd);
	FD_SET(e, &rd);
	check_eq("tv_usec 1,000,000 is a second, not an error", select(e + 1, &rd, NULL, NULL, &carried), 1);

	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	read(p[0], (char[1]){ 0 }, 1);
	check_eq("a pipe whose writer is gone is readable (end of file)", select(p[0] + 1, &rd, NULL, NULL, &zero), 1);
	close(p[0]);

	/* A descriptor just closed, not a large number: Linux skips bits past
	 * the size its descriptor table has grown to (64 at first). */
	int closed = dup(e);
	close(closed);
	FD_ZERO(&rd);
	FD_SET(e, &rd);
	FD_SET(closed, &rd);
	check_errno("a bit for a descriptor that is not open: EBADF", select(closed + 1, &rd, NULL, NULL, &zero), EBADF);
	check_errno("nfds -1: EINVAL", select(-1, NULL, NULL, NULL, &zero), EINVAL);
	struct timeval bad_sec = { -1, 0 }, bad_usec = { 0, -1 };
	check_errno("tv_sec -1: EINVAL", select(0, NULL, NULL, NULL, &bad_sec), EINVAL);
	check_errno("tv_usec -1: EINVAL", select(0, NULL, NULL, NULL, &bad_usec), EINVAL);
	check_raw_errno("read set at a kernel address: EFAULT",
			raw_syscall(SYS_select, e + 1, KERNEL_ADDR, 0, 0, (long)&zero, 0), EFAULT);
	check_raw_errno("timeout at a kernel address: EFAULT",
			raw_syscall(SYS_select, e + 1, 0, 0, 0, KERNEL_ADDR, 0), EFAULT);

	struct timespec ts_zero = { 0, 0 }, bad_ns = { 0, 1000000000 };
	FD_ZERO(&rd);
	FD_SET(e, &rd);
	check_eq("pselect: the eventfd is readable", pselect(e + 1, &rd, NULL, NULL, &ts_zero, NULL), 1);
	check_errno("pselect tv_nsec 1e9: EINVAL", pselect(0, NULL, NULL, NULL, &bad_ns, NULL), EINVAL);
	struct { sigset_t *set; size_t size; } bad_size = { &(sigset_t){ 0 }, 4 };
	check_raw_errno("pselect6 with a sigset size of 4: EINVAL",
			raw_syscall(SYS_pselect6, 0, 0, 0, 0, (long)&ts_zero, (long)&bad_size), EINVAL);
	check_raw_errno("pselect6 with its mask argument at a kernel address: EFAULT",
			raw_syscall(SYS_pselect6, 0, 0, 0, 0, (long)&ts_zero, KERNEL_ADDR), EFAULT);
	close(e);

	/* As with ppoll: a blocked signal is let in only while pselect waits. */
	check_mask_lets_signal_in("pselect", pselect_with_mask);
}
