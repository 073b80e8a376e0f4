/*
 * events2: creating; epoll_ctl; epoll_wait; triggering (course section: the integrated event
 * system). One part of the events2 test: main.c runs it.
 */
#include "events2.h"

/* ---- creating ------------------------------------------------------------------------- */

void test_create(void)
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

void test_ctl_errors(void)
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
void test_nesting_depth(void)
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

void test_wait_errors(void)
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

void test_wait_timeouts(void)
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

void test_level_triggered(void)
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

void test_edge_triggered(void)
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

void test_oneshot(void)
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
void test_fair_turns(void)
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
