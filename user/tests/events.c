/*
 * events: eventfd, poll and ppoll, timerfd, signalfd (course section:
 * eventfd communication; the integrated event system).
 *
 * Every file reports readiness through one mechanism -- its poll operation
 * and its wait queues -- and poll, epoll and blocking reads are built on it.
 * This binary tests the files and poll(); events2 tests epoll and the
 * stress cases. Tested here:
 *   - eventfd: the counter (read takes it all) and the semaphore (read takes
 *     1); short buffers, the forbidden value, overflow that blocks or says
 *     EAGAIN, an empty counter likewise; flags; sharing across fork; a
 *     blocking read woken from another process; 100,000 ping-pongs.
 *   - close-on-exec for every kind of event file.
 *   - poll and ppoll: POLLIN, POLLOUT, POLLHUP, POLLERR, POLLNVAL; timeouts
 *     0, -1 and milliseconds; EFAULT, EINVAL, EINTR; ppoll's signal mask.
 *   - select and pselect: the bitmaps rewritten, bits counted, the time
 *     left written back, EBADF for a closed descriptor, pselect's mask.
 *   - signal-driven I/O: F_SETOWN (a process or a group) and O_ASYNC: SIGIO
 *     when a pipe gets data or room.
 *   - one wake-up path: a blocking read, a poll and an epoll_wait, all
 *     sleeping on one eventfd, are all woken by one write.
 *   - timerfd: clocks, one-shot and periodic, absolute times, the
 *     expiration count, gettime/settime and their errors.
 *   - signalfd: blocked signals read as struct signalfd_siginfo records.
 * No case depends on how fast time passes: timers are checked for "at
 * least N expirations", and processes wait for each other through files.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define EVENTFD_MAX 0xfffffffffffffffeull
#define KERNEL_ADDR 0xffffffff80000000UL

/* ---- helpers ------------------------------------------------------------------------- */

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* revents of one descriptor after poll(timeout 0), or -1 - errno. */
static int poll_now(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int n = poll(&p, 1, 0);
	return n < 0 ? -1 - errno : p.revents;
}

/* ---- eventfd ---------------------------------------------------------------------------- */

static void test_eventfd_create(void)
{
	int fd = eventfd(0, 0);
	check_ok("eventfd(0, 0)", fd);
	check_eq("F_GETFL reports O_RDWR", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR);
	check_eq("no FD_CLOEXEC by default", fcntl(fd, F_GETFD), 0);
	close(fd);

	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	check_eq("EFD_NONBLOCK: F_GETFL reports O_RDWR|O_NONBLOCK", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK),
		 O_RDWR | O_NONBLOCK);
	check_eq("EFD_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);

	check_errno("flags -1: EINVAL", eventfd(0, -1), EINVAL);
	check_errno("flags O_APPEND: EINVAL", eventfd(0, O_APPEND), EINVAL);
	check_errno("an undefined flag bit (2): EINVAL", eventfd(0, 2), EINVAL);

	fd = (int)syscall(SYS_eventfd, 7);
	check_ok("the old eventfd syscall (no flags)", fd);
	check_eq("it starts at its initial value", t_read_u64(fd), 7);
	close(fd);
}

/* After exec: is fd still open? The program runs itself with
 * "--is-open FD" and exits 0 for open, 1 for closed. */
static int open_after_exec(int fd)
{
	char arg[16];
	snprintf(arg, sizeof(arg), "%d", fd);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "--is-open", arg, NULL };
		execv(t_self(), argv);
		_exit(2);
	}
	int st = t_wait(pid, T_WAIT_TICKS);
	return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) == 0 : -1;
}

static void test_cloexec_on_exec(void)
{
	int keep = eventfd(0, 0), drop = eventfd(0, EFD_CLOEXEC), ep = epoll_create1(EPOLL_CLOEXEC);
	int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	int s = signalfd(-1, &mask, SFD_CLOEXEC);
	check_eq("a plain eventfd stays open across exec", open_after_exec(keep), 1);
	check_eq("an EFD_CLOEXEC eventfd is closed by exec", open_after_exec(drop), 0);
	check_eq("an EPOLL_CLOEXEC epoll set is closed by exec", open_after_exec(ep), 0);
	check_eq("a TFD_CLOEXEC timerfd is closed by exec", open_after_exec(t), 0);
	check_eq("an SFD_CLOEXEC signalfd is closed by exec", open_after_exec(s), 0);
	close(keep);
	close(drop);
	close(ep);
	close(t);
	close(s);
}

static void test_eventfd_counter(void)
{
	uint32_t small = 1;
	uint64_t big[2] = { 0, 0 };
	int fd = eventfd(5, EFD_NONBLOCK);

	check_errno("read with a 4-byte buffer: EINVAL", read(fd, &small, sizeof(small)), EINVAL);
	check_errno("write with a 4-byte buffer: EINVAL", write(fd, &small, sizeof(small)), EINVAL);
	check_errno("read of 0 bytes: EINVAL", read(fd, big, 0), EINVAL);
	check_eq("read returns the initial value", t_read_u64(fd), 5);
	check_errno("the read zeroed it: a non-blocking read of zero says EAGAIN", read(fd, big, 8), EAGAIN);

	t_write_u64(fd, 3);
	t_write_u64(fd, 4);
	check_eq("writes add: 3 + 4", t_read_u64(fd), 7);
	t_write_u64(fd, 9);
	check_eq("a 16-byte read still moves 8 bytes", read(fd, big, sizeof(big)), 8);
	check_eq("and the value is in the first 8", (long)big[0], 9);

	check_errno("write 0xffffffffffffffff: EINVAL", t_write_u64(fd, UINT64_MAX), EINVAL);
	check_eq("write 0xfffffffffffffffe (the largest count) to zero", t_write_u64(fd, EVENTFD_MAX), 8);
	check_errno("full counter + write 1 on a non-blocking fd: EAGAIN", t_write_u64(fd, 1), EAGAIN);
	check_eq("a full counter is readable but not writable", poll_now(fd, POLLIN | POLLOUT), POLLIN);
	check_eq("writing 0 to a full counter is allowed", t_write_u64(fd, 0), 8);
	check_eqx("read returns the full count", (unsigned long)t_read_u64(fd), EVENTFD_MAX);

	check_eq("writing 0 to zero succeeds", t_write_u64(fd, 0), 8);
	check_errno("but leaves nothing to read: EAGAIN", read(fd, big, 8), EAGAIN);
	check_errno("write from NULL: EFAULT", write(fd, NULL, 8), EFAULT);
	check_errno("write from a kernel address: EFAULT", write(fd, (void *)KERNEL_ADDR, 8), EFAULT);
	t_write_u64(fd, 1);
	check_errno("read into a kernel address: EFAULT", read(fd, (void *)KERNEL_ADDR, 8), EFAULT);
	close(fd);

	fd = eventfd(0, 0);
	for (int i = 0; i < 100000; i++)
		if (t_write_u64(fd, 1) != 8) {
			t_fail("100,000 writes of 1", "write %d failed: %s", i, errno_name(errno));
			break;
		}
	check_eq("100,000 writes of 1 then one read: 100000", t_read_u64(fd), 100000);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	check_errno("O_NONBLOCK set by F_SETFL: EAGAIN at zero", read(fd, big, 8), EAGAIN);
	close(fd);
}

static void test_eventfd_semaphore(void)
{
	int fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	check_eq("semaphore: first read returns 1", t_read_u64(fd), 1);
	check_eq("semaphore: second read returns 1", t_read_u64(fd), 1);
	check_eq("semaphore: third read returns 1", t_read_u64(fd), 1);
	check_eq("semaphore: the fourth finds zero: EAGAIN", t_read_u64(fd), -EAGAIN);
	t_write_u64(fd, 2);
	check_eq("semaphore: after writing 2, one read takes 1", t_read_u64(fd), 1);
	check_eq("semaphore: the count left is readable", poll_now(fd, POLLIN), POLLIN);
	check_eq("semaphore: and the next takes the last", t_read_u64(fd), 1);
	check_eq("semaphore: now nothing is readable", poll_now(fd, POLLIN), 0);
	close(fd);

	fd = eventfd(3, EFD_NONBLOCK);
	check_eq("counter: one read takes all 3", t_read_u64(fd), 3);
	close(fd);
}

/* Shared across fork: one counter, not a copy. */
static void test_eventfd_fork(void)
{
	int fd = eventfd(0, 0);
	t_write_u64(fd, 11);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(t_read_u64(fd) == 11 ? 0 : 1);
	check_exited("the child reads what the parent wrote before fork", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("and its read emptied the parent's counter", poll_now(fd, POLLIN), 0);

	pid = t_fork();
	if (pid == 0) {
		t_nap(50); /* let the parent block in read */
		t_write_u64(fd, 42);
		_exit(0);
	}
	check_eq("a blocking read is woken by another process's write", t_read_u64(fd), 42);
	t_wait(pid, T_WAIT_TICKS);
	close(fd);
}

/* A write that would overflow sleeps until a read makes room. */
static void test_eventfd_overflow_blocks(void)
{
	int fd = eventfd(0, 0);
	t_write_u64(fd, EVENTFD_MAX);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(t_write_u64(fd, 5) == 8 ? 0 : 1);
	t_nap(50);
	int st = 0;
	check_eq("the overflowing write is still blocked", waitpid(pid, &st, WNOHANG), 0);
	check_eqx("the read gets the full count", (unsigned long)t_read_u64(fd), EVENTFD_MAX);
	check_eq("which lets the blocked write add its 5", t_read_u64(fd), 5);
	check_exited("the writer finished", t_wait(pid, T_WAIT_TICKS), 0);
	close(fd);
}

static void test_eventfd_eintr(void)
{
	int fd = eventfd(0, 0);
	uint64_t v;
	t_count_signal(SIGUSR1);
	pid_t pester = t_pester_start(SIGUSR1);
	long r = read(fd, &v, sizeof(v));
	int e = errno;
	t_pester_stop(pester);
	errno = e;
	check_errno("a blocking read interrupted by a handled signal: EINTR", r, EINTR);
	check("the handler ran", t_signal_count > 0, "t_signal_count %d", (int)t_signal_count);
	close(fd);
}

/*
 * 100,000 round trips between two processes, each blocking in read: a lost
 * wake-up anywhere would hang one side (and t_wait would report it).
 */
#define PING_PONGS 100000

static void test_ping_pong(void)
{
	int ping = eventfd(0, 0), pong = eventfd(0, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < PING_PONGS; i++) {
			long v = t_read_u64(ping);
			if (v != 1 || t_write_u64(pong, (uint64_t)i + 1) != 8)
				_exit(1);
		}
		_exit(0);
	}
	int good = 0;
	for (int i = 0; i < PING_PONGS; i++) {
		if (t_write_u64(ping, 1) != 8 || t_read_u64(pong) != i + 1)
			break;
		good++;
	}
	check_eq("100,000 eventfd ping-pongs between two processes", good, PING_PONGS);
	check_exited("the other player finished", t_wait(pid, T_WAIT_TICKS), 0);
	close(ping);
	close(pong);
}

/* ---- poll ---------------------------------------------------------------------------------- */

static void test_poll_events(void)
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

static void test_poll_timeouts(void)
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

static void test_poll_errors(void)
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
static void check_mask_lets_signal_in(const char *call, int (*wait_with_mask)(const sigset_t *mask))
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

static int ppoll_with_mask(const sigset_t *mask)
{
	return ppoll(NULL, 0, NULL, mask);
}

static int pselect_with_mask(const sigset_t *mask)
{
	return pselect(0, NULL, NULL, NULL, NULL, mask);
}

static void test_ppoll(void)
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
static void sigio_to_group(long unused)
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

static void test_sigio(void)
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

static void test_select(void)
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

/* ---- one wake-up path ---------------------------------------------------------------------- */

enum sleeper { BY_READ, BY_POLL, BY_EPOLL };

static int sleep_on(int fd, enum sleeper how)
{
	if (how == BY_READ)
		return t_read_u64(fd) == 1;
	if (how == BY_POLL) {
		struct pollfd p = { fd, POLLIN, 0 };
		return poll(&p, 1, -1) == 1 && p.revents == POLLIN;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, { .u64 = 77 } }, got;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	return epoll_wait(ep, &got, 1, -1) == 1 && got.data.u64 == 77 && got.events == EPOLLIN;
}

/* One semaphore eventfd; a blocking read, a poll and an epoll_wait sleep on
 * it in three processes. One write of 3 must wake all three: the read takes
 * 1 and leaves 2, so the other two still find it readable. */
static void test_one_wakeup_path(void)
{
	int fd = eventfd(0, EFD_SEMAPHORE);
	pid_t pids[3];
	for (int how = BY_READ; how <= BY_EPOLL; how++) {
		pids[how] = t_fork();
		if (pids[how] == 0)
			_exit(sleep_on(fd, (enum sleeper)how) ? 0 : 1);
	}
	t_nap(100); /* very likely all asleep by now; correct either way */
	t_write_u64(fd, 3);
	check_exited("one write wakes a blocking read", t_wait(pids[BY_READ], T_WAIT_TICKS), 0);
	check_exited("the same write wakes a poll", t_wait(pids[BY_POLL], T_WAIT_TICKS), 0);
	check_exited("and an epoll_wait", t_wait(pids[BY_EPOLL], T_WAIT_TICKS), 0);
	close(fd);
}

/* ---- timerfd --------------------------------------------------------------------------------- */

static struct itimerspec timer_ms(long value_ms, long interval_ms)
{
	struct itimerspec its = { { interval_ms / 1000, (interval_ms % 1000) * 1000000 },
				  { value_ms / 1000, (value_ms % 1000) * 1000000 } };
	return its;
}

static int is_disarmed(const struct itimerspec *its)
{
	return its->it_value.tv_sec == 0 && its->it_value.tv_nsec == 0 && its->it_interval.tv_sec == 0 &&
	       its->it_interval.tv_nsec == 0;
}

static void test_timerfd_create(void)
{
	check_errno("clock 99: EINVAL", timerfd_create(99, 0), EINVAL);
	check_errno("CLOCK_PROCESS_CPUTIME_ID: EINVAL", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	check_errno("flags 1: EINVAL", timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	check_ok("timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK|TFD_CLOEXEC)", fd);
	check_eq("TFD_NONBLOCK sets O_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	check_eq("TFD_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	struct itimerspec cur;
	memset(&cur, 0xff, sizeof(cur));
	check_eq("gettime of a new timer", timerfd_gettime(fd, &cur), 0);
	check("says disarmed (all zero)", is_disarmed(&cur), "value %ld.%09ld", cur.it_value.tv_sec,
	      cur.it_value.tv_nsec);
	uint64_t v;
	uint32_t small;
	check_errno("read with a 4-byte buffer: EINVAL", read(fd, &small, sizeof(small)), EINVAL);
	check_errno("read of a disarmed non-blocking timer: EAGAIN", read(fd, &v, 8), EAGAIN);
	check_errno("write: EINVAL", write(fd, &v, 8), EINVAL);
	check_eq("a disarmed timer is not readable", poll_now(fd, POLLIN | POLLOUT), 0);
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME, 0);
	check_ok("timerfd_create(CLOCK_REALTIME, 0)", fd);
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	check_ok("timerfd_create(CLOCK_BOOTTIME, 0)", fd);
	close(fd);
}

static void test_timerfd_errors(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), e = eventfd(0, 0);
	struct itimerspec its = timer_ms(1000, 0), cur;
	check_errno("settime flags 4: EINVAL", timerfd_settime(fd, 4, &its, NULL), EINVAL);
	its.it_value.tv_nsec = 1000000000;
	check_errno("settime tv_nsec 1e9: EINVAL", timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = timer_ms(0, 0);
	its.it_interval.tv_sec = -1;
	check_errno("settime a negative interval: EINVAL", timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = timer_ms(1000, 0);
	check_errno("settime NULL new value: EFAULT", timerfd_settime(fd, 0, NULL, NULL), EFAULT);
	check_errno("settime on fd 999: EBADF", timerfd_settime(999, 0, &its, NULL), EBADF);
	check_errno("settime on an eventfd: EINVAL", timerfd_settime(e, 0, &its, NULL), EINVAL);
	check_errno("settime old value at a kernel address: EFAULT",
		    timerfd_settime(fd, 0, &its, (struct itimerspec *)KERNEL_ADDR), EFAULT);
	check_errno("settime NULL new value on fd 999: EFAULT first, as Linux checks",
		    timerfd_settime(999, 0, NULL, NULL), EFAULT);
	check_errno("settime bad flags on fd 999: EINVAL before EBADF", timerfd_settime(999, 4, &its, NULL), EINVAL);
	its.it_value.tv_sec = LONG_MAX; /* saturates: never fires, never wraps round */
	check_eq("settime centuries ahead (tv_sec LONG_MAX)", timerfd_settime(fd, 0, &its, NULL), 0);
	check_eq("it has not fired", poll_now(fd, POLLIN), 0);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 1000000;
	its.it_interval.tv_sec = LONG_MAX;
	timerfd_settime(fd, 0, &its, NULL);
	check_eq("a first expiry in 1 ms, then a period of LONG_MAX seconds: fires once", t_read_u64(fd), 1);
	check_eq("and not again", poll_now(fd, POLLIN), 0);
	check_errno("gettime on fd 999: EBADF", timerfd_gettime(999, &cur), EBADF);
	check_errno("gettime on an eventfd: EINVAL", timerfd_gettime(e, &cur), EINVAL);
	check_errno("gettime into NULL: EFAULT", timerfd_gettime(fd, NULL), EFAULT);
	close(fd);
	close(e);
}

static void test_timerfd_one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = timer_ms(20, 0), cur;
	check_eq("settime: one-shot in 20 ms", timerfd_settime(fd, 0, &its, NULL), 0);
	timerfd_gettime(fd, &cur);
	check("gettime: armed, at most 20 ms left, no interval",
	      cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0 && cur.it_value.tv_sec == 0 &&
		      cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 20000000,
	      "value %ld.%09ld", cur.it_value.tv_sec, cur.it_value.tv_nsec);
	check_eq("a blocking read returns 1 expiration", t_read_u64(fd), 1);
	timerfd_gettime(fd, &cur);
	check("after it fired, gettime says disarmed", is_disarmed(&cur), "value %ld.%09ld", cur.it_value.tv_sec,
	      cur.it_value.tv_nsec);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	check_eq("and it does not fire again", t_read_u64(fd), -EAGAIN);

	its = timer_ms(10000, 0);
	timerfd_settime(fd, 0, &its, NULL);
	check_eq("armed but not expired: not readable", poll_now(fd, POLLIN), 0);
	struct itimerspec old;
	its = timer_ms(0, 0);
	check_eq("settime zero disarms it", timerfd_settime(fd, 0, &its, &old), 0);
	check("and returns the old setting", old.it_value.tv_sec >= 9 && old.it_value.tv_sec <= 10,
	      "old value %ld.%09ld", old.it_value.tv_sec, old.it_value.tv_nsec);
	timerfd_gettime(fd, &cur);
	check("disarmed: gettime all zero", is_disarmed(&cur), "value %ld.%09ld", cur.it_value.tv_sec,
	      cur.it_value.tv_nsec);
	close(fd);
}

static void test_timerfd_periodic(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = timer_ms(10, 10), cur, old;
	timerfd_settime(fd, 0, &its, NULL);
	t_nap(200);
	long n = t_read_u64(fd);
	check("periodic 10 ms, slept 200 ms: at least 5 expirations in one read", n >= 5, "got %ld", n);
	timerfd_gettime(fd, &cur);
	check("gettime: the 10 ms interval, at most 10 ms to the next",
	      cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10000000 && cur.it_value.tv_sec == 0 &&
		      cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10000000,
	      "interval %ld.%09ld value %ld.%09ld", cur.it_interval.tv_sec, cur.it_interval.tv_nsec,
	      cur.it_value.tv_sec, cur.it_value.tv_nsec);
	check("it keeps firing: the next read returns at least 1", t_read_u64(fd) >= 1, "stopped");
	its = timer_ms(0, 0);
	timerfd_settime(fd, 0, &its, &old);
	check_eq("the old setting's interval is 10 ms", old.it_interval.tv_nsec, 10000000);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	check_eq("disarming forgets unread expirations", t_read_u64(fd), -EAGAIN);
	close(fd);
}

/* An absolute deadline on the timer's own clock. */
static void test_timerfd_abstime_on(clockid_t clock, const char *clock_name)
{
	int fd = timerfd_create(clock, 0);
	uint64_t at = now_ns(clock) + 20000000;
	struct itimerspec its = { { 0, 0 }, { (long)(at / 1000000000), (long)(at % 1000000000) } };
	check_eq(cname("%s TFD_TIMER_ABSTIME now + 20 ms", clock_name), timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL),
		 0);
	check_eq(cname("%s absolute: fires once", clock_name), t_read_u64(fd), 1);
	check(cname("%s absolute: not before its time", clock_name), now_ns(clock) >= at - 1000000, "early");
	its.it_value.tv_sec = 0; /* 1 ns after the clock's zero: in the past */
	its.it_value.tv_nsec = 1;
	check_eq(cname("%s absolute time 1 ns", clock_name), timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL), 0);
	check_eq(cname("%s absolute time in the past: fires at once", clock_name), t_read_u64(fd), 1);
	close(fd);
}

static void test_timerfd_clocks(void)
{
	test_timerfd_abstime_on(CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	test_timerfd_abstime_on(CLOCK_REALTIME, "CLOCK_REALTIME");
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec its = timer_ms(10, 0);
	timerfd_settime(fd, 0, &its, NULL);
	check_eq("CLOCK_REALTIME relative one-shot fires", t_read_u64(fd), 1);
	close(fd);
}

/* ---- signalfd --------------------------------------------------------------------------------- */

static sigset_t usr_signals(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	return s;
}

static int is_pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

static void test_signalfd_errors(void)
{
	sigset_t mask = usr_signals();
	int e = eventfd(0, 0);
	check_errno("flags 1: EINVAL", signalfd(-1, &mask, 1), EINVAL);
	check_raw_errno("sizemask 4: EINVAL", raw_syscall(SYS_signalfd4, -1, (long)&mask, 4, 0, 0, 0), EINVAL);
	check_errno("mask NULL: EFAULT", signalfd(-1, NULL, 0), EFAULT);
	check_errno("mask NULL and flags 1: EFAULT (the mask is checked first)", signalfd(-1, NULL, 1), EFAULT);
	check_errno("fd 999: EBADF", signalfd(999, &mask, 0), EBADF);
	check_errno("fd an eventfd: EINVAL", signalfd(e, &mask, 0), EINVAL);
	close(e);
	int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	check_eq("SFD_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	check_eq("SFD_NONBLOCK sets O_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	struct signalfd_siginfo si;
	check_errno("nothing pending, non-blocking: EAGAIN", read(fd, &si, sizeof(si)), EAGAIN);
	check_errno("read with a buffer under 128 bytes: EINVAL", read(fd, &si, 100), EINVAL);
	check_eq("nothing pending: not readable", poll_now(fd, POLLIN), 0);
	check_eq("a new mask for the same fd returns that fd", signalfd(fd, &mask, 0), fd);
	close(fd);
	fd = (int)syscall(SYS_signalfd, -1, &mask, sizeof(mask));
	check_ok("the old signalfd syscall (no flags)", fd);
	close(fd);
}

static void test_signalfd_read(void)
{
	sigset_t mask = usr_signals();
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int fd = signalfd(-1, &mask, SFD_NONBLOCK);
	struct signalfd_siginfo si[2];

	kill(getpid(), SIGUSR1);
	check_eq("a blocked signal sent: the signalfd is readable", poll_now(fd, POLLIN), POLLIN);
	check_eq("read returns one 128-byte record", read(fd, si, sizeof(si)), 128);
	check_eq("ssi_signo is SIGUSR1", si[0].ssi_signo, SIGUSR1);
	check_eq("ssi_code is SI_USER", si[0].ssi_code, SI_USER);
	check_eq("ssi_pid is the sender", si[0].ssi_pid, getpid());
	check_eq("ssi_uid is the sender's uid", si[0].ssi_uid, getuid());
	check_eq("reading it consumed it: no longer pending", is_pending(SIGUSR1), 0);

	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	check_eq("two pending: a 256-byte read returns both", read(fd, si, sizeof(si)), 256);
	check("lowest number first: SIGUSR1 then SIGUSR2", si[0].ssi_signo == SIGUSR1 && si[1].ssi_signo == SIGUSR2,
	      "got %u %u", si[0].ssi_signo, si[1].ssi_signo);

	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	check_eq("two pending, a 200-byte buffer: one record", read(fd, si, 200), 128);
	check_eq("the other is still pending", is_pending(SIGUSR2), 1);
	read(fd, si, sizeof(si));

	sigset_t only1;
	sigemptyset(&only1);
	sigaddset(&only1, SIGUSR1);
	signalfd(fd, &only1, 0);
	kill(getpid(), SIGUSR2);
	check_eq("after the mask changed to SIGUSR1, SIGUSR2 does not make it readable", poll_now(fd, POLLIN), 0);
	check_eq("SIGUSR2 stays pending", is_pending(SIGUSR2), 1);
	close(fd);
}

/* Another process's kill wakes a blocking read of the signalfd. */
static void test_signalfd_blocking(void)
{
	sigset_t mask = usr_signals();
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int fd = signalfd(-1, &mask, 0);
	pid_t parent = getpid(), pid = t_fork();
	if (pid == 0) {
		t_nap(50);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	struct signalfd_siginfo si;
	check_eq("a blocking read woken by another process's kill", read(fd, &si, sizeof(si)), 128);
	check_eq("ssi_signo is SIGUSR2", si.ssi_signo, SIGUSR2);
	check_eq("ssi_pid is the child", si.ssi_pid, pid);
	t_wait(pid, T_WAIT_TICKS);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--is-open") == 0) /* see open_after_exec */
		return fcntl(atoi(argv[2]), F_GETFD) >= 0 ? 0 : 1;
	t_set_self(argv);
	t_begin("events");
	t_group("eventfd create", test_eventfd_create);
	t_group("close on exec", test_cloexec_on_exec);
	t_group("eventfd counter", test_eventfd_counter);
	t_group("eventfd semaphore", test_eventfd_semaphore);
	t_group("eventfd fork", test_eventfd_fork);
	t_group("eventfd overflow", test_eventfd_overflow_blocks);
	t_group("eventfd EINTR", test_eventfd_eintr);
	t_group("poll events", test_poll_events);
	t_group("poll timeouts", test_poll_timeouts);
	t_group("poll errors", test_poll_errors);
	t_group("ppoll", test_ppoll);
	t_group("select and pselect", test_select);
	t_group("signal-driven I/O", test_sigio);
	t_group("one wake-up path", test_one_wakeup_path);
	t_group("timerfd create", test_timerfd_create);
	t_group("timerfd errors", test_timerfd_errors);
	t_group("timerfd one-shot", test_timerfd_one_shot);
	t_group("timerfd periodic", test_timerfd_periodic);
	t_group("timerfd clocks", test_timerfd_clocks);
	t_group("signalfd errors", test_signalfd_errors);
	t_group("signalfd read", test_signalfd_read);
	t_group("signalfd blocking", test_signalfd_blocking);
	test_ping_pong(); /* not in a group: it may take longer than a group may */
	return t_end();
}
