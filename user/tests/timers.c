/*
 * timers: POSIX timers, timer_create and friends (course section: signals;
 * time).
 *
 * A timer announces itself with the signal its sigevent names (SIGALRM and
 * its own id by default), with si_code SI_TIMER, si_timerid and si_value.
 * A periodic timer whose signal is still pending counts the periods it
 * could not signal in si_overrun, and timer_getoverrun repeats that count.
 * SIGEV_NONE sends nothing; SIGEV_THREAD_ID aims at one thread. Relative
 * and absolute (TIMER_ABSTIME) times; timer_gettime counts down; fork does
 * not copy timers and exec deletes them. Every errno Linux gives.
 *
 * Timing: a timer is only waited for (sigwaitinfo) or given time to fire
 * more than once (a nap many periods long): no result depends on speed.
 *
 * Run with "--gone ID" as argv[1], the binary is the program that execve
 * tests: timer ID must not exist after the exec.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

#define MS 1000000L

static sigset_t only(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

static void block(int sig)
{
	sigset_t s = only(sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static struct itimerspec after(long value_ns, long interval_ns)
{
	struct itimerspec its = { { interval_ns / 1000000000L, interval_ns % 1000000000L },
				  { value_ns / 1000000000L, value_ns % 1000000000L } };
	return its;
}

static int arm(timer_t id, long value_ns, long interval_ns)
{
	struct itimerspec its = after(value_ns, interval_ns);
	return timer_settime(id, 0, &its, NULL);
}

static long raw_create(long clock, const void *sev, void *id)
{
	return syscall(SYS_timer_create, clock, sev, id);
}

static struct sigevent signal_event(int notify, int sig, int value)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = notify;
	ev.sigev_signo = sig;
	ev.sigev_value.sival_int = value;
	return ev;
}

/* ---- signals from timers ------------------------------------------------------------ */

static void default_event(void)
{
	timer_t id = -1;
	siginfo_t info;
	block(SIGALRM);
	check_ok("timer_create with no sigevent", timer_create(CLOCK_MONOTONIC, NULL, &id));
	check("gives an id", id >= 0, "id %d", id);
	check_ok("arm it for 10 ms", arm(id, 10 * MS, 0));
	sigset_t s = only(SIGALRM);
	check_eq("it sends SIGALRM (the default)", sigwaitinfo(&s, &info), SIGALRM);
	check_eq("with si_code SI_TIMER", info.si_code, SI_TIMER);
	check_eq("si_timerid: the timer", info.si_timerid, id);
	check_eq("si_value: the timer's id (the default)", info.si_value.sival_int, id);
	check_eq("si_overrun 0", info.si_overrun, 0);
	struct itimerspec cur;
	timer_gettime(id, &cur);
	check("a one-shot timer is disarmed afterwards", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
	      "%ld.%09ld left", cur.it_value.tv_sec, cur.it_value.tv_nsec);
	timer_t second = -1;
	timer_create(CLOCK_MONOTONIC, NULL, &second);
	check("a second timer gets another id", second >= 0 && second != id, "ids %d, %d", id, second);
	check_ok("timer_delete", timer_delete(id));
	check_ok("timer_delete of the second", timer_delete(second));
}

static volatile sig_atomic_t handled;
static volatile int handled_value, handled_code;
static void on_timer(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	handled_value = info->si_value.sival_int;
	handled_code = info->si_code;
	handled++;
}

static void realtime_signal_with_value(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	struct sigevent ev = signal_event(SIGEV_SIGNAL, SIGRTMIN, 4242);
	timer_t id;
	check_ok("a timer that sends SIGRTMIN with the value 4242", timer_create(CLOCK_REALTIME, &ev, &id));
	arm(id, 5 * MS, 0);
	sigset_t none;
	sigemptyset(&none);
	while (!handled)
		sigsuspend(&none);
	check_eq("the handler got the value", handled_value, 4242);
	check_eq("and SI_TIMER", handled_code, SI_TIMER);
	timer_delete(id);
}

static void overruns(void)
{
	timer_t id;
	siginfo_t info;
	struct sigevent ev = signal_event(SIGEV_SIGNAL, SIGRTMIN, 1);
	block(SIGRTMIN);
	timer_create(CLOCK_MONOTONIC, &ev, &id);
	check_ok("a periodic timer, every 10 ms", arm(id, 10 * MS, 10 * MS));
	t_nap(300);
	sigset_t s = only(SIGRTMIN);
	struct timespec zero = { 0, 0 };
	check_eq("after 300 ms there is a signal pending", sigtimedwait(&s, &info, &zero), SIGRTMIN);
	check("whose si_overrun counts the periods it missed (about 29)", info.si_overrun >= 10, "si_overrun %d",
	      info.si_overrun);
	check_eq("timer_getoverrun says the same", timer_getoverrun(id), info.si_overrun);
	/* The timer still runs, so a new period may end while we look: a few
	 * more signals at most, where one per period would be about 30. */
	int more = 0;
	while (more < 30 && sigtimedwait(&s, &info, &zero) == SIGRTMIN)
		more++;
	check("only one signal was queued, though SIGRTMIN queues", more < 4, "%d more", more);
	struct itimerspec cur;
	timer_gettime(id, &cur);
	check("timer_gettime: the period is 10 ms", cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10 * MS,
	      "%ld.%09ld", cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	check("and the next expiry is at most 10 ms away", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 10 * MS,
	      "%ld.%09ld", cur.it_value.tv_sec, cur.it_value.tv_nsec);
	struct itimerspec off = after(0, 0), old;
	check_ok("disarm it", timer_settime(id, 0, &off, &old));
	check_eq("the old setting comes back", old.it_interval.tv_nsec, 10 * MS);
	timer_gettime(id, &cur);
	check("disarmed: it_value is 0", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "%ld.%09ld",
	      cur.it_value.tv_sec, cur.it_value.tv_nsec);
	sigtimedwait(&s, &info, &zero);
	timer_delete(id);
}

static void notify_kinds(void)
{
	timer_t id;
	siginfo_t info;
	struct timespec wait = { 0, 50 * MS };
	block(SIGUSR1);
	sigset_t s = only(SIGUSR1);
	struct sigevent ev = signal_event(SIGEV_NONE, 0, 0);
	check_ok("SIGEV_NONE", timer_create(CLOCK_MONOTONIC, &ev, &id));
	arm(id, 1 * MS, 0);
	check_errno("sends nothing", sigtimedwait(&s, &info, &wait), EAGAIN);
	struct itimerspec cur;
	timer_gettime(id, &cur);
	check("but ran out all the same", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0, "%ld.%09ld",
	      cur.it_value.tv_sec, cur.it_value.tv_nsec);
	timer_delete(id);

	ev = signal_event(SIGEV_THREAD_ID, SIGUSR1, 5);
	ev.sigev_notify_thread_id = (int)syscall(SYS_gettid);
	check_ok("SIGEV_THREAD_ID for our own thread", timer_create(CLOCK_MONOTONIC, &ev, &id));
	arm(id, 1 * MS, 0);
	check_eq("sends its signal", sigwaitinfo(&s, &info), SIGUSR1);
	check_eq("with its value", info.si_value.sival_int, 5);
	timer_delete(id);
}

static void absolute_times(void)
{
	timer_t id;
	siginfo_t info;
	struct timespec now;
	block(SIGALRM);
	sigset_t s = only(SIGALRM);
	timer_create(CLOCK_REALTIME, NULL, &id);
	clock_gettime(CLOCK_REALTIME, &now);
	struct itimerspec its = { { 0, 0 }, { now.tv_sec, now.tv_nsec } };
	its.it_value.tv_nsec += 20 * MS;
	if (its.it_value.tv_nsec >= 1000000000L) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000L;
	}
	check_ok("TIMER_ABSTIME: 20 ms from now on CLOCK_REALTIME", timer_settime(id, TIMER_ABSTIME, &its, NULL));
	check_eq("fires", sigwaitinfo(&s, &info), SIGALRM);
	its.it_value.tv_sec = 1;
	its.it_value.tv_nsec = 0;
	check_ok("an absolute time long past (1970)", timer_settime(id, TIMER_ABSTIME, &its, NULL));
	check_eq("fires at once", sigwaitinfo(&s, &info), SIGALRM);
	check_ok("10 s from now, relative", arm(id, 10000 * MS, 0));
	struct itimerspec cur;
	timer_gettime(id, &cur);
	check("timer_gettime counts down from 10 s", cur.it_value.tv_sec <= 9 || (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0),
	      "%ld.%09ld", cur.it_value.tv_sec, cur.it_value.tv_nsec);
	check("and is above 0", cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0, "0 left");
	timer_delete(id);
}

/* ---- bad input ------------------------------------------------------------------------ */

static void bad_input(void)
{
	int id = -1;
	struct sigevent ev;
	struct itimerspec its = after(0, 0), cur;

	check_errno("clock 99: EINVAL", raw_create(99, NULL, &id), EINVAL);
	check_errno("clock 10 (none): EINVAL", raw_create(10, NULL, &id), EINVAL);
	check_errno("CLOCK_MONOTONIC_RAW has no timers: EOPNOTSUPP", raw_create(CLOCK_MONOTONIC_RAW, NULL, &id),
		    EOPNOTSUPP);
	check_errno("CLOCK_REALTIME_COARSE: EOPNOTSUPP", raw_create(CLOCK_REALTIME_COARSE, NULL, &id), EOPNOTSUPP);
	check_errno("sigevent at address 1: EFAULT", raw_create(CLOCK_MONOTONIC, (void *)1, &id), EFAULT);
	check_errno("a bad sigevent comes before a bad clock: EFAULT", raw_create(99, (void *)1, &id), EFAULT);
	check_errno("the id written to address 1: EFAULT", raw_create(CLOCK_MONOTONIC, NULL, (void *)1), EFAULT);
	ev = signal_event(7, SIGUSR1, 0);
	check_errno("sigev_notify 7: EINVAL", raw_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = signal_event(SIGEV_SIGNAL, 0, 0);
	check_errno("signal 0: EINVAL", raw_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = signal_event(SIGEV_SIGNAL, 65, 0);
	check_errno("signal 65: EINVAL", raw_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = signal_event(SIGEV_THREAD_ID, SIGUSR1, 0);
	ev.sigev_notify_thread_id = 1;
	check_errno("SIGEV_THREAD_ID for another process's thread: EINVAL", raw_create(CLOCK_MONOTONIC, &ev, &id),
		    EINVAL);
	ev = signal_event(SIGEV_NONE, 0, 0);
	check_ok("SIGEV_NONE needs no signal number", raw_create(CLOCK_MONOTONIC, &ev, &id));

	check_errno("timer_settime with no new value: EINVAL", syscall(SYS_timer_settime, id, 0, NULL, NULL), EINVAL);
	check_errno("a missing timer: EINVAL", syscall(SYS_timer_settime, 999, 0, &its, NULL), EINVAL);
	check_errno("new value at address 1: EFAULT", syscall(SYS_timer_settime, id, 0, (void *)1, NULL), EFAULT);
	its.it_value.tv_nsec = 1000000000L;
	check_errno("tv_nsec 1e9: EINVAL", syscall(SYS_timer_settime, id, 0, &its, NULL), EINVAL);
	its.it_value.tv_nsec = 0;
	its.it_interval.tv_sec = -1;
	check_errno("a negative interval: EINVAL", syscall(SYS_timer_settime, id, 0, &its, NULL), EINVAL);
	its = after(10000 * MS, 0);
	check_errno("old value at address 1: EFAULT", syscall(SYS_timer_settime, id, 0, &its, (void *)1), EFAULT);
	check_ok("(the new value was set even so)", syscall(SYS_timer_gettime, id, &cur));
	check("(10 s)", cur.it_value.tv_sec >= 9, "%ld s", cur.it_value.tv_sec);
	check_errno("timer_gettime into address 1: EFAULT", syscall(SYS_timer_gettime, id, (void *)1), EFAULT);
	check_errno("timer_gettime of a missing timer: EINVAL", syscall(SYS_timer_gettime, 999, &cur), EINVAL);
	check_errno("of timer -1: EINVAL", syscall(SYS_timer_gettime, -1, &cur), EINVAL);
	check_eq("timer_getoverrun before any signal: 0", syscall(SYS_timer_getoverrun, id), 0);
	check_errno("timer_getoverrun of a missing timer: EINVAL", syscall(SYS_timer_getoverrun, 999), EINVAL);
	check_errno("timer_delete of a missing timer: EINVAL", syscall(SYS_timer_delete, 999), EINVAL);
	check_ok("timer_delete", syscall(SYS_timer_delete, id));
	check_errno("twice: EINVAL", syscall(SYS_timer_delete, id), EINVAL);
	check_errno("a deleted timer is gone for timer_gettime too", syscall(SYS_timer_gettime, id, &cur), EINVAL);
}

/* ---- fork, exec, exit ---------------------------------------------------------------------- */

static int gone_helper(int id)
{
	struct itimerspec cur;
	return syscall(SYS_timer_gettime, id, &cur) < 0 && errno == EINVAL ? 0 : 1;
}

static void lifetimes(void)
{
	timer_t id;
	block(SIGALRM);
	timer_create(CLOCK_MONOTONIC, NULL, &id);
	arm(id, 10000 * MS, 0);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(gone_helper(id));
	check_exited("a forked child does not have the parent's timer", t_wait(pid, T_WAIT_TICKS), 0);
	pid = t_fork();
	if (pid == 0) {
		timer_t mine;
		timer_create(CLOCK_MONOTONIC, NULL, &mine);
		char arg[16];
		snprintf(arg, sizeof(arg), "%d", mine);
		char *argv[] = { (char *)t_self(), "--gone", arg, NULL };
		execve(argv[0], argv, NULL);
		_exit(98);
	}
	check_exited("execve deletes the process's timers", t_wait(pid, T_WAIT_TICKS), 0);
	timer_delete(id);
}

/* sysgate bounds the timers of one process (Linux bounds them by its
 * memory accounting): the 1025th gets EAGAIN. */
static void timer_limit(void)
{
	timer_t id;
	int made = 0;
	struct sigevent ev = signal_event(SIGEV_NONE, 0, 0);
	while (made < 2000 && timer_create(CLOCK_MONOTONIC, &ev, &id) == 0)
		made++;
	check_eq("1024 timers, then", made, 1024);
	check_errno("one more: EAGAIN", timer_create(CLOCK_MONOTONIC, &ev, &id), EAGAIN);
	check_ok("after one is deleted, one can be made", timer_delete(0) == 0 ? timer_create(CLOCK_MONOTONIC, &ev, &id) : -1);
}

static void timers_left_at_exit(void)
{
	for (int round = 0; round < 20; round++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			block(SIGRTMIN);
			struct sigevent ev = signal_event(SIGEV_SIGNAL, SIGRTMIN, 0);
			for (int k = 0; k < 50; k++) {
				timer_t id;
				timer_create(CLOCK_MONOTONIC, &ev, &id);
				arm(id, 1 * MS, 1 * MS);
			}
			t_nap(5);
			_exit(0);
		}
		t_wait(pid, T_WAIT_TICKS);
	}
	for (int k = 0; k < 100; k++) {
		timer_t id;
		timer_create(CLOCK_MONOTONIC, NULL, &id);
		timer_delete(id);
	}
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	if (argc == 3 && strcmp(argv[1], "--gone") == 0)
		return gone_helper(atoi(argv[2]));
	t_begin("timers");
	t_group("the default sigevent", default_event);
	t_group("a real-time signal with a value", realtime_signal_with_value);
	t_group("overruns", overruns);
	t_group("SIGEV_NONE and SIGEV_THREAD_ID", notify_kinds);
	t_group("absolute times", absolute_times);
	t_group("bad input", bad_input);
	t_group("fork and exec", lifetimes);
	if (on_sysgate())
		t_group("the timer limit", timer_limit);
	else
		t_skip("the timer limit", "sysgate's own");
	if (on_sysgate())
		t_leak_test("20 processes exit with 50 periodic timers each; 100 made and deleted: no frame or heap "
			    "byte lost",
			    timers_left_at_exit);
	else
		t_skip("leaks", "sysgate only");
	return t_end();
}
