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
 *
 * Its parts, one concept a file: interface.c, files.c; main.c keeps the shared helpers and runs
 * them all.
 */
#include "events2.h"

/* ---- helpers ------------------------------------------------------------------------- */

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { events, { .u64 = data } };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { events, { .u64 = data } };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait(timeout 0) for one event: its data, or -1 if none, -2 on error. */
long ready_data(int ep)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, 0);
	return n == 1 ? (long)ev.data.u64 : n == 0 ? -1 : -2;
}

/* The events of the one ready item, or 0. */
long ready_events(int ep)
{
	struct epoll_event ev;
	return epoll_wait(ep, &ev, 1, 0) == 1 ? (long)ev.events : 0;
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
