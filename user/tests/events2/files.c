/*
 * events2: the files; many files; leaks (sysgate only) (course section: the integrated event
 * system). One part of the events2 test: main.c runs it.
 */
#include "events2.h"

/* ---- the files --------------------------------------------------------------------------------- */

void test_pipe_and_timer(void)
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

void test_signalfd_in_epoll(void)
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
void test_nested(void)
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

void test_close_removes(void)
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
void test_set_outlives_signalfd_owner(void)
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

void test_thousand(void)
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

void test_epoll_ping_pong(void)
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
void make_and_close_event_files(int rounds)
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

void test_leaks(void)
{
	struct leak_mark m;
	leak_mark(&m);                 /* warm up: the first reading pages in testlib's buffer */
	make_and_close_event_files(2); /* and let the kernel's caches fill */
	leak_mark(&m);
	make_and_close_event_files(200);
	leak_check("200 rounds of eventfd, timerfd, signalfd and epoll sets: no frame or heap byte lost", &m);
}
