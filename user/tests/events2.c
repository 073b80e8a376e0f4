/*
 * events2: epoll (course section: the integrated event system).
 *
 * epoll keeps a set of files inside the kernel and reports the ready ones.
 * It is built on the same mechanism as poll and blocking reads: each file's
 * poll operation and wait queues. Tested here:
 *   - epoll_create1 and epoll_create, and their bad arguments;
 *   - epoll_ctl ADD, MOD, DEL and each errno: EEXIST, ENOENT, EBADF, EPERM
 *     (a file that cannot be polled), EINVAL (the epoll fd itself, a bad op,
 *     EPOLLEXCLUSIVE misuse), ELOOP, EFAULT;
 *   - epoll_wait and epoll_pwait: maxevents, timeouts 0, -1 and ms, EINTR,
 *     the temporary signal mask, EFAULT;
 *   - level-triggered, EPOLLET (once per change), EPOLLONESHOT (disarmed
 *     until MOD); every ready file gets its turn with a small maxevents;
 *   - the files: eventfd, pipe (EPOLLHUP), timerfd, signalfd, an epoll set
 *     inside poll() and inside another epoll set;
 *   - closing a file removes it from every set; a set that outlives the
 *     process that put a signalfd in it;
 *   - 1,000 eventfds in one set, one fires; 10,000 round trips through epoll;
 *   - (sysgate only) no frame or heap byte lost creating and closing many
 *     eventfds, epoll sets, timerfds and signalfds.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define KERNEL_ADDR 0xffffffff80000000UL
#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))

/* ---- helpers ------------------------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { events, { .u64 = data } };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { events, { .u64 = data } };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait(timeout 0) for one event: its data, or -1 if none, -2 on error. */
static long ready_data(int ep)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, 0);
	return n == 1 ? (long)ev.data.u64 : n == 0 ? -1 : -2;
}

/* The events of the one ready item, or 0. */
static long ready_events(int ep)
{
	struct epoll_event ev;
	return epoll_wait(ep, &ev, 1, 0) == 1 ? (long)ev.events : 0;
}

/* ---- creating ------------------------------------------------------------------------- */

static void test_create(void)
{
	check_eq("struct epoll_event is packed: 12 bytes", sizeof(struct epoll_event), 12);
	int ep = epoll_create1(0);
	check_ok("epoll_create1(0)", ep);
	check_eq("no FD_CLOEXEC by default", fcntl(ep, F_GETFD), 0);
	close(ep);
	ep = epoll_create1(EPOLL_CLOEXEC);
	check_eq("EPOLL_CLOEXEC sets FD_CLOEXEC", fcntl(ep, F_GETFD), FD_CLOEXEC);
	close(ep);
	check_errno("epoll_create1 flags 1: EINVAL", epoll_create1(1), EINVAL);
	check_errno("epoll_create1 flags O_NONBLOCK: EINVAL", epoll_create1(O_NONBLOCK), EINVAL);
	check_errno("epoll_create1 flags -1: EINVAL", epoll_create1(-1), EINVAL);
	check_errno("epoll_create(0): EINVAL", epoll_create(0), EINVAL);
	check_errno("epoll_create(-1): EINVAL", epoll_create(-1), EINVAL);
	ep = epoll_create(1);
	check_ok("epoll_create(1) (the size is only a hint)", ep);
	check_eq("an empty set: epoll_wait(timeout 0) returns 0", ready_data(ep), -1);
	close(ep);
}

/* ---- epoll_ctl ---------------------------------------------------------------------------- */

static void test_ctl_errors(void)
{
	int ep = epoll_create1(0), e = eventfd(0, 0), e2 = eventfd(0, 0);
	struct epoll_event ev = { EPOLLIN, { .u64 = 1 } };

	check_eq("ADD an eventfd", add(ep, e, EPOLLIN, 1), 0);
	check_errno("ADD it again: EEXIST", add(ep, e, EPOLLIN, 1), EEXIST);
	check_eq("MOD it", mod(ep, e, EPOLLOUT, 2), 0);
	check_errno("MOD a file not in the set: ENOENT", mod(ep, e2, EPOLLIN, 2), ENOENT);
	check_errno("DEL a file not in the set: ENOENT", epoll_ctl(ep, EPOLL_CTL_DEL, e2, NULL), ENOENT);
	check_errno("epfd 999: EBADF", epoll_ctl(999, EPOLL_CTL_ADD, e2, &ev), EBADF);
	check_errno("fd 999: EBADF", epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	check_errno("fd -1: EBADF", epoll_ctl(ep, EPOLL_CTL_ADD, -1, &ev), EBADF);
	check_errno("the epoll fd itself: EINVAL", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	check_errno("epfd that is not an epoll set: EINVAL", epoll_ctl(e, EPOLL_CTL_ADD, e2, &ev), EINVAL);
	check_errno("op 99: EINVAL", epoll_ctl(ep, 99, e2, &ev), EINVAL);
	check_errno("ADD with event NULL: EFAULT", epoll_ctl(ep, EPOLL_CTL_ADD, e2, NULL), EFAULT);
	check_errno("MOD with event at a kernel address: EFAULT",
		    epoll_ctl(ep, EPOLL_CTL_MOD, e, (struct epoll_event *)KERNEL_ADDR), EFAULT);

	int file = open(t_self(), O_RDONLY);
	check_errno("a regular file cannot be polled: EPERM", epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev), EPERM);
	close(file);
	file = open("/dev/null", O_RDWR);
	check_errno("nor can /dev/null: EPERM", epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev), EPERM);
	close(file);

	check_errno("EPOLLEXCLUSIVE with MOD: EINVAL", mod(ep, e, EPOLLIN | EPOLLEXCLUSIVE, 3), EINVAL);
	check_errno("EPOLLEXCLUSIVE with EPOLLONESHOT: EINVAL", add(ep, e2, EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 3),
		    EINVAL);
	check_eq("EPOLLEXCLUSIVE with ADD", add(ep, e2, EPOLLIN | EPOLLEXCLUSIVE, 3), 0);
	check_errno("and then MOD on that item: EINVAL", mod(ep, e2, EPOLLIN, 3), EINVAL);

	check_eq("DEL", epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL), 0);
	check_errno("DEL again: ENOENT", epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL), ENOENT);
	check_eq("DEL ignores the event pointer (old kernels needed one)",
		 epoll_ctl(ep, EPOLL_CTL_DEL, e2, (struct epoll_event *)KERNEL_ADDR), 0);

	int outer = epoll_create1(0);
	check_eq("an epoll set inside another", add(outer, ep, EPOLLIN, 9), 0);
	check_errno("and the other inside it (a loop): ELOOP", add(ep, outer, EPOLLIN, 9), ELOOP);
	close(outer);
	close(ep);
	close(e);
	close(e2);
}

/*
 * Nesting: a chain of epoll sets may have at most 4 links (Linux's
 * EP_MAX_NESTS), however it is built; a wake-up at the bottom of the
 * deepest chain reaches the top.
 */
static void test_nesting_depth(void)
{
	int down[6], up[6], n_down = 0, n_up = 0;
	for (int i = 0; i < 6; i++) {
		down[i] = epoll_create1(0);
		up[i] = epoll_create1(0);
	}
	for (int i = 0; i < 4; i++) /* top down: down[i+1] goes inside down[i] */
		n_down += add(down[i], down[i + 1], EPOLLIN, (uint64_t)i) == 0;
	check_eq("top down: 4 links of nesting allowed", n_down, 4);
	check_errno("a 5th link: ELOOP", add(down[4], down[5], EPOLLIN, 4), ELOOP);
	for (int i = 0; i < 4; i++) /* bottom up: up[i] goes inside up[i+1] */
		n_up += add(up[i + 1], up[i], EPOLLIN, (uint64_t)i) == 0;
	check_eq("bottom up: 4 links allowed", n_up, 4);
	check_errno("a 5th link: ELOOP", add(up[5], up[4], EPOLLIN, 4), ELOOP);
	check_errno("the bottom set inside the top one (a loop): ELOOP", add(up[0], up[4], EPOLLIN, 4), ELOOP);

	int e = eventfd(0, 0);
	check_eq("an eventfd at the bottom of the 4-link chain", add(down[4], e, EPOLLIN, 99), 0);
	t_write_u64(e, 1);
	check_eq("its write wakes the top set", ready_data(down[0]), 0);
	close(e);
	for (int i = 0; i < 6; i++) {
		close(down[i]);
		close(up[i]);
	}
}

/* ---- epoll_wait ---------------------------------------------------------------------------- */

static void test_wait_errors(void)
{
	int ep = epoll_create1(0), e = eventfd(0, 0);
	struct epoll_event ev[2];
	check_errno("maxevents 0: EINVAL", epoll_wait(ep, ev, 0, 0), EINVAL);
	check_errno("maxevents -1: EINVAL", epoll_wait(ep, ev, -1, 0), EINVAL);
	check_errno("maxevents over INT_MAX / 12: EINVAL", epoll_wait(ep, ev, EP_MAX_EVENTS + 1, 0), EINVAL);
	check_errno("epfd 999: EBADF", epoll_wait(999, ev, 2, 0), EBADF);
	check_errno("epfd an eventfd: EINVAL", epoll_wait(e, ev, 2, 0), EINVAL);
	check_errno("events at a kernel address: EFAULT", epoll_wait(ep, (struct epoll_event *)KERNEL_ADDR, 2, 0),
		    EFAULT);
	add(ep, e, EPOLLOUT, 5);
	check_errno("events NULL with one ready: EFAULT", epoll_wait(ep, NULL, 2, 0), EFAULT);
	check_eq("the level-triggered item is still reported afterwards", ready_data(ep), 5);
	{
		/* An unmapped page (below the user ceiling, so it passes the
		 * range check): the copy faults after the events are taken.
		 * Linux gives an edge-triggered or one-shot event back. */
		struct epoll_event *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int et = eventfd(1, 0), once = eventfd(1, 0), ep2 = epoll_create1(0);

		munmap(gone, 4096);
		add(ep2, et, EPOLLIN | EPOLLET, 6);
		check_errno("EPOLLET event into an unmapped buffer: EFAULT", epoll_wait(ep2, gone, 2, 0), EFAULT);
		check_eq("the edge-triggered event is not lost", ready_data(ep2), 6);
		close(ep2);
		ep2 = epoll_create1(0);
		add(ep2, once, EPOLLIN | EPOLLONESHOT, 7);
		check_errno("EPOLLONESHOT event into an unmapped buffer: EFAULT", epoll_wait(ep2, gone, 2, 0), EFAULT);
		check_eq("the one-shot item is still armed and reports", ready_data(ep2), 7);
		close(ep2);
		close(et);
		close(once);
	}
	check_errno("epoll_pwait maxevents 0: EINVAL", epoll_pwait(ep, ev, 0, 0, NULL), EINVAL);
	sigset_t mask = 0;
	check_raw_errno("epoll_pwait sigsetsize 4: EINVAL",
			raw_syscall(SYS_epoll_pwait, ep, (long)ev, 2, 0, (long)&mask, 4), EINVAL);
	check_raw_errno("epoll_pwait sigmask at a kernel address: EFAULT",
			raw_syscall(SYS_epoll_pwait, ep, (long)ev, 2, 0, KERNEL_ADDR, 8), EFAULT);
	close(ep);
	close(e);
}

static void test_wait_timeouts(void)
{
	int ep = epoll_create1(0), e = eventfd(0, 0);
	add(ep, e, EPOLLIN, 8);
	struct epoll_event ev;
	check_eq("timeout 0, nothing ready: 0", epoll_wait(ep, &ev, 1, 0), 0);
	uint64_t start = now_ns();
	int n = epoll_wait(ep, &ev, 1, 30);
	uint64_t waited = now_ns() - start;
	check_eq("timeout 30 ms, nothing ready: 0", n, 0);
	check("and it waited at least the timeout", waited >= 29000000, "waited %lu ns", (unsigned long)waited);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_nap(30);
		t_write_u64(e, 1);
		_exit(0);
	}
	check_eq("timeout -1: woken by another process's write", epoll_wait(ep, &ev, 1, -1), 1);
	check("with EPOLLIN and the data", ev.events == EPOLLIN && ev.data.u64 == 8, "events %#x data %lu",
	      ev.events, (unsigned long)ev.data.u64);
	t_wait(pid, T_WAIT_TICKS);
	t_read_u64(e);

	t_count_signal(SIGUSR1);
	pid_t pester = t_pester_start(SIGUSR1);
	long r = epoll_wait(ep, &ev, 1, -1);
	int err = errno;
	t_pester_stop(pester);
	errno = err;
	check_errno("epoll_wait(-1) interrupted by a handled signal: EINTR", r, EINTR);

	/* epoll_pwait unblocks a signal only while it waits, in one step. */
	sigset_t block, old, empty, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, &old);
	t_signal_count = 0;
	kill(getpid(), SIGUSR1);
	check_errno("epoll_pwait with a mask unblocking a pending signal: EINTR", epoll_pwait(ep, &ev, 1, -1, &empty),
		    EINTR);
	check_eq("the handler ran once", t_signal_count, 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	check("the old mask is back", sigismember(&now, SIGUSR1) == 1, "mask %#lx", (unsigned long)now);
	sigprocmask(SIG_SETMASK, &old, NULL);
	t_write_u64(e, 1);
	check_eq("epoll_pwait with a NULL mask is epoll_wait", epoll_pwait(ep, &ev, 1, -1, NULL), 1);
	close(ep);
	close(e);
}

/* ---- triggering ------------------------------------------------------------------------------ */

static void test_level_triggered(void)
{
	int ep = epoll_create1(0), e = eventfd(0, EFD_NONBLOCK);
	add(ep, e, EPOLLIN, 21);
	check_eq("level: nothing yet", ready_data(ep), -1);
	t_write_u64(e, 1);
	check_eq("level: reported after a write", ready_data(ep), 21);
	check_eq("level: reported again while still readable", ready_data(ep), 21);
	check_eq("level: the events say EPOLLIN only", ready_events(ep), EPOLLIN);
	t_read_u64(e);
	check_eq("level: not after the read", ready_data(ep), -1);
	mod(ep, e, EPOLLIN | EPOLLOUT, 22);
	check_eq("MOD to EPOLLIN|EPOLLOUT: reported with the new data", ready_data(ep), 22);
	check_eq("with EPOLLOUT", ready_events(ep), EPOLLOUT);
	epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL);
	check_eq("DEL: no longer reported", ready_data(ep), -1);
	close(ep);
	close(e);
}

static void test_edge_triggered(void)
{
	int ep = epoll_create1(0), e = eventfd(0, EFD_NONBLOCK);
	add(ep, e, EPOLLIN | EPOLLET, 31);
	t_write_u64(e, 1);
	check_eq("EPOLLET: reported after a write", ready_data(ep), 31);
	check_eq("EPOLLET: not again, though still readable", ready_data(ep), -1);
	t_write_u64(e, 1);
	check_eq("EPOLLET: a second write is a new change: reported once", ready_data(ep), 31);
	check_eq("EPOLLET: and not again", ready_data(ep), -1);
	check_eq("the counter holds both writes", t_read_u64(e), 2);
	check_eq("EPOLLET: a read is no change to EPOLLIN", ready_data(ep), -1);

	int p[2];
	pipe(p);
	add(ep, p[0], EPOLLIN | EPOLLET, 32);
	write(p[1], "a", 1);
	check_eq("EPOLLET pipe: reported after a write", ready_data(ep), 32);
	check_eq("EPOLLET pipe: not again", ready_data(ep), -1);
	write(p[1], "b", 1);
	check_eq("EPOLLET pipe: reported after the next write", ready_data(ep), 32);
	close(p[0]);
	close(p[1]);
	close(ep);
	close(e);
}

static void test_oneshot(void)
{
	int ep = epoll_create1(0), e = eventfd(0, EFD_NONBLOCK);
	add(ep, e, EPOLLIN | EPOLLONESHOT, 41);
	t_write_u64(e, 1);
	check_eq("EPOLLONESHOT: reported once", ready_data(ep), 41);
	check_eq("EPOLLONESHOT: then disarmed", ready_data(ep), -1);
	t_write_u64(e, 1);
	check_eq("EPOLLONESHOT: a new write does not re-arm it", ready_data(ep), -1);
	check_errno("the disarmed item is still in the set: ADD says EEXIST", add(ep, e, EPOLLIN, 41), EEXIST);
	check_eq("MOD re-arms it", mod(ep, e, EPOLLIN | EPOLLONESHOT, 42), 0);
	check_eq("EPOLLONESHOT: reported again after MOD", ready_data(ep), 42);
	check_eq("EPOLLONESHOT: and disarmed again", ready_data(ep), -1);
	close(ep);
	close(e);
}

/* Ten ready files, maxevents 4: three calls must between them report all
 * ten (a reported file goes to the back of the ready list). */
static void test_fair_turns(void)
{
	int ep = epoll_create1(0), fds[10];
	for (int i = 0; i < 10; i++) {
		fds[i] = eventfd(1, 0);
		add(ep, fds[i], EPOLLIN, (uint64_t)i);
	}
	unsigned seen = 0;
	int total = 0;
	for (int call = 0; call < 3; call++) {
		struct epoll_event ev[4];
		int n = epoll_wait(ep, ev, 4, 0);
		total += n;
		for (int i = 0; i < n; i++)
			seen |= 1u << ev[i].data.u64;
	}
	check_eq("ten ready, maxevents 4: 4 + 4 + 4 reported", total, 12);
	check_eqx("and every one of the ten had its turn", seen, 0x3ff);
	for (int i = 0; i < 10; i++)
		close(fds[i]);
	close(ep);
}

/* ---- the files --------------------------------------------------------------------------------- */

static void test_pipe_and_timer(void)
{
	int ep = epoll_create1(0), p[2];
	pipe(p);
	add(ep, p[0], EPOLLIN, 51);
	add(ep, p[1], EPOLLOUT, 52);
	check_eq("an empty pipe: only the write end is ready", ready_data(ep), 52);
	epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
	write(p[1], "x", 1);
	check_eq("data: the read end is ready", ready_data(ep), 51);
	close(p[1]);
	char c;
	read(p[0], &c, 1);
	check_eq("the writer closed: EPOLLHUP without asking", ready_events(ep), EPOLLHUP);
	close(p[0]);
	pipe(p);
	add(ep, p[0], 0, 54);
	check_eq("a pipe watched for no events: not reported", ready_data(ep), -1);
	close(p[1]);
	check_eq("its writer closes: EPOLLHUP all the same", ready_events(ep), EPOLLHUP);
	close(p[0]);

	int t = timerfd_create(CLOCK_MONOTONIC, 0);
	add(ep, t, EPOLLIN, 53);
	struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };
	timerfd_settime(t, 0, &its, NULL);
	struct epoll_event ev;
	check_eq("a timerfd fires through epoll_wait(-1)", epoll_wait(ep, &ev, 1, -1), 1);
	check_eq("with its data", (long)ev.data.u64, 53);
	check_eq("one expiration", t_read_u64(t), 1);
	check_eq("read: no longer ready", ready_data(ep), -1);
	close(t);
	close(ep);
}

static void test_signalfd_in_epoll(void)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int ep = epoll_create1(0), s = signalfd(-1, &mask, 0);
	add(ep, s, EPOLLIN, 61);
	check_eq("signalfd: not ready with nothing pending", ready_data(ep), -1);
	pid_t parent = getpid(), pid = t_fork();
	if (pid == 0) {
		t_nap(30);
		kill(parent, SIGUSR2);
		_exit(0);
	}
	struct epoll_event ev;
	check_eq("another process's kill wakes epoll_wait(-1) on a signalfd", epoll_wait(ep, &ev, 1, -1), 1);
	struct signalfd_siginfo si;
	check_eq("and the record says SIGUSR2", read(s, &si, sizeof(si)) == sizeof(si) ? (long)si.ssi_signo : -1,
		 SIGUSR2);
	check_eq("read: no longer ready", ready_data(ep), -1);
	t_wait(pid, T_WAIT_TICKS);
	close(s);
	close(ep);
}

/* An epoll set is a file with a poll operation too. */
static void test_nested(void)
{
	int inner = epoll_create1(0), outer = epoll_create1(0), e = eventfd(0, 0);
	add(inner, e, EPOLLIN, 71);
	add(outer, inner, EPOLLIN, 72);
	struct pollfd p = { inner, POLLIN, 0 };
	check_eq("poll on an epoll set with nothing ready: 0", poll(&p, 1, 0), 0);
	check_eq("the outer set: nothing ready", ready_data(outer), -1);
	t_write_u64(e, 1);
	check_eq("poll on the epoll set: POLLIN once a member is ready", poll(&p, 1, 0) == 1 ? p.revents : -1,
		 POLLIN);
	check_eq("the outer set reports the inner one", ready_data(outer), 72);
	check_eq("with EPOLLIN", ready_events(outer), EPOLLIN);
	t_read_u64(e);
	check_eq("read: the outer set is quiet again", ready_data(outer), -1);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_nap(30);
		t_write_u64(e, 1);
		_exit(0);
	}
	p.revents = 0;
	check_eq("poll(-1) on an epoll set, woken by another process's write", poll(&p, 1, -1), 1);
	t_wait(pid, T_WAIT_TICKS);
	close(e);
	close(outer);
	close(inner);
}

static void test_close_removes(void)
{
	int ep1 = epoll_create1(0), ep2 = epoll_create1(0), e = eventfd(1, 0);
	add(ep1, e, EPOLLIN, 81);
	add(ep2, e, EPOLLIN, 82);
	check("ready in both sets", ready_data(ep1) == 81 && ready_data(ep2) == 82, "not reported");
	int d = dup(e);
	close(e);
	check_eq("closed, but a dup keeps the file open: still reported (as Linux does)", ready_data(ep1), 81);
	close(d);
	check_eq("the last descriptor closed: gone from the first set", ready_data(ep1), -1);
	check_eq("and from the second", ready_data(ep2), -1);
	int again = eventfd(1, 0); /* very likely the same number */
	check_errno("a new file under a closed one's number is not in the set",
		    epoll_ctl(ep1, EPOLL_CTL_DEL, again, NULL), ENOENT);
	close(again);
	close(ep1);
	close(ep2);
}

/*
 * The set outlives the process that added a signalfd to it: that process's
 * signal wait queue dies with it, and the epoll item must let go of it.
 * A forked child keeps the set; its parent (a middle process) exits and is
 * reaped; then the child uses and closes the set. The kernel must survive.
 */
static void test_set_outlives_signalfd_owner(void)
{
	int done[2];
	pipe(done);
	pid_t middle = t_fork();
	if (middle == 0) {
		sigset_t mask;
		sigemptyset(&mask);
		sigaddset(&mask, SIGUSR2);
		sigprocmask(SIG_BLOCK, &mask, NULL);
		int ep = epoll_create1(0), s = signalfd(-1, &mask, 0);
		add(ep, s, EPOLLIN, 91);
		pid_t me = getpid();
		if (t_fork() == 0) {
			close(done[0]);
			while (getppid() == me) /* until the middle process is gone */
				t_nap(5);
			t_nap(50); /* and reaped */
			struct epoll_event ev;
			int n = epoll_wait(ep, &ev, 1, 0);
			close(s);
			close(ep);
			char ok = n >= 0 ? 'y' : 'n';
			write(done[1], &ok, 1);
			_exit(0);
		}
		_exit(0);
	}
	close(done[1]);
	check_exited("the process that added the signalfd exits", t_wait(middle, T_WAIT_TICKS), 0);
	char ok = 0;
	check_eq("its child used and closed the set afterwards", read(done[0], &ok, 1) == 1 ? ok : 0, 'y');
	close(done[0]);
}

/* ---- many files ------------------------------------------------------------------------------------ */

#define MANY 1000

static void test_thousand(void)
{
	static int fds[MANY];
	int ep = epoll_create1(0), made = 0;
	for (int i = 0; i < MANY; i++) {
		fds[i] = eventfd(0, 0);
		if (fds[i] < 0 || add(ep, fds[i], EPOLLIN, (uint64_t)i) != 0)
			break;
		made++;
	}
	check_eq("1,000 eventfds in one epoll set", made, MANY);
	check_eq("none ready", ready_data(ep), -1);
	pid_t pid = t_fork();
	if (pid == 0) {
		t_nap(30);
		t_write_u64(fds[537], 1);
		_exit(0);
	}
	struct epoll_event ev[64];
	int n = epoll_wait(ep, ev, 64, -1);
	check_eq("one fires: epoll_wait(-1) returns exactly 1", n, 1);
	check_eq("and it is number 537", n == 1 ? (long)ev[0].data.u64 : -1, 537);
	t_wait(pid, T_WAIT_TICKS);
	static struct pollfd p[MANY];
	for (int i = 0; i < MANY; i++)
		p[i] = (struct pollfd){ fds[i], POLLIN, 0 };
	check_eq("poll over the same 1,000: 1 ready", poll(p, MANY, 0), 1);
	check_eq("the same one", p[537].revents, POLLIN);
	for (int i = 0; i < made; i++)
		close(fds[i]);
	check_eq("all closed: the set is empty", ready_data(ep), -1);
	close(ep);
}

/* The parent waits with epoll_wait, the child with a blocking read. */
#define EPOLL_ROUNDS 10000

static void test_epoll_ping_pong(void)
{
	int ping = eventfd(0, 0), pong = eventfd(0, 0), ep = epoll_create1(0);
	add(ep, pong, EPOLLIN, 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < EPOLL_ROUNDS; i++)
			if (t_read_u64(ping) != 1 || t_write_u64(pong, 1) != 8)
				_exit(1);
		_exit(0);
	}
	int good = 0;
	for (int i = 0; i < EPOLL_ROUNDS; i++) {
		struct epoll_event ev;
		t_write_u64(ping, 1);
		if (epoll_wait(ep, &ev, 1, -1) != 1 || t_read_u64(pong) != 1)
			break;
		good++;
	}
	check_eq("10,000 round trips, one side waiting in epoll_wait", good, EPOLL_ROUNDS);
	check_exited("the other side finished", t_wait(pid, T_WAIT_TICKS), 0);
	close(ping);
	close(pong);
	close(ep);
}

/* ---- leaks (sysgate only) ----------------------------------------------------------------------------- */

/* Every kind of event file, each in an epoll set, some armed or ready. */
static void make_and_close_event_files(int rounds)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	for (int i = 0; i < rounds; i++) {
		int ep = epoll_create1(0), inner = epoll_create1(0);
		int e = eventfd(1, 0), s = signalfd(-1, &mask, 0);
		int t = timerfd_create(CLOCK_MONOTONIC, 0);
		struct itimerspec its = { { 0, 1000000 }, { 0, 1000000 } };
		timerfd_settime(t, 0, &its, NULL);
		add(ep, e, EPOLLIN, 1);
		add(ep, s, EPOLLIN, 2);
		add(ep, t, EPOLLIN | EPOLLET, 3);
		add(inner, e, EPOLLIN | EPOLLONESHOT, 4);
		add(ep, inner, EPOLLIN, 5);
		struct epoll_event ev[8];
		epoll_wait(ep, ev, 8, 0);
		struct pollfd p[3] = { { e, POLLOUT, 0 }, { s, POLLIN, 0 }, { t, POLLIN, 0 } };
		poll(p, 3, 0);
		if (i % 20 == 0) { /* and some real sleeps, which allocate their hooks */
			epoll_wait(inner, ev, 8, 0); /* the one-shot item fires, then is disarmed */
			epoll_wait(inner, ev, 8, 1); /* so this one sleeps */
			poll(p + 1, 1, 1);           /* nothing pending on the signalfd */
		}
		/* Close in an awkward order: members before the sets. */
		close(e);
		close(t);
		close(inner);
		close(s);
		close(ep);
	}
}

static void test_leaks(void)
{
	struct leak_mark m;
	leak_mark(&m);                 /* warm up: the first reading pages in testlib's buffer */
	make_and_close_event_files(2); /* and let the kernel's caches fill */
	leak_mark(&m);
	make_and_close_event_files(200);
	leak_check("200 rounds of eventfd, timerfd, signalfd and epoll sets: no frame or heap byte lost", &m);
}

int main(int argc, char **argv)
{
	(void)argc;
	t_set_self(argv);
	t_begin("events2");
	t_group("create", test_create);
	t_group("ctl errors", test_ctl_errors);
	t_group("nesting depth", test_nesting_depth);
	t_group("wait errors", test_wait_errors);
	t_group("wait timeouts", test_wait_timeouts);
	t_group("level-triggered", test_level_triggered);
	t_group("edge-triggered", test_edge_triggered);
	t_group("oneshot", test_oneshot);
	t_group("fair turns", test_fair_turns);
	t_group("pipe and timer", test_pipe_and_timer);
	t_group("signalfd in epoll", test_signalfd_in_epoll);
	t_group("nested", test_nested);
	t_group("close removes", test_close_removes);
	t_group("set outlives signalfd owner", test_set_outlives_signalfd_owner);
	t_group("1,000 eventfds", test_thousand);
	test_epoll_ping_pong(); /* not in a group: it may take longer than a group may */
	test_leaks();           /* here, so that it sees every group's child reaped */
	return t_end();
}
