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
 *
 * Its parts, one concept a file: eventfd.c, poll_select.c, timerfd_signalfd.c; main.c keeps the
 * shared helpers and runs them all.
 */
#include "events.h"

/* ---- helpers ------------------------------------------------------------------------- */

uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* revents of one descriptor after poll(timeout 0), or -1 - errno. */
int poll_now(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int n = poll(&p, 1, 0);
	return n < 0 ? -1 - errno : p.revents;
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
