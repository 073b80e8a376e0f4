/*
 * events: one wake-up path; timerfd; signalfd (course section:  eventfd communication; the
 * integrated event system). One part of the events test: main.c runs it.
 */
#include "events.h"

/* ---- one wake-up path ---------------------------------------------------------------------- */

int sleep_on(int fd, enum sleeper how)
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
void test_one_wakeup_path(void)
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

struct itimerspec timer_ms(long value_ms, long interval_ms)
{
	struct itimerspec its = { { interval_ms / 1000, (interval_ms % 1000) * 1000000 },
				  { value_ms / 1000, (value_ms % 1000) * 1000000 } };
	return its;
}

int is_disarmed(const struct itimerspec *its)
{
	return its->it_value.tv_sec == 0 && its->it_value.tv_nsec == 0 && its->it_interval.tv_sec == 0 &&
	       its->it_interval.tv_nsec == 0;
}

void test_timerfd_create(void)
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

void test_timerfd_errors(void)
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

void test_timerfd_one_shot(void)
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

void test_timerfd_periodic(void)
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
void test_timerfd_abstime_on(clockid_t clock, const char *clock_name)
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

void test_timerfd_clocks(void)
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

sigset_t usr_signals(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	return s;
}

int is_pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

void test_signalfd_errors(void)
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

void test_signalfd_read(void)
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
void test_signalfd_blocking(void)
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
