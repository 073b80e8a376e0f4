/*
 * timerload: many timers cannot stall the machine (course section: time;
 * robustness).
 *
 * One process may own 1,024 POSIX timers. Armed every 1 ms, they once made
 * a 10 ms sleep take a minute: the kernel kept timers on a sorted list and
 * re-inserted each one on every expiry, in the tick. Now they live on a
 * timer wheel (kernel/time/ktimer.c) and a timer whose signal is pending
 * waits off the wheel. The cases, each about a second of guest time:
 *   - 1,024 timers at 1 ms with their signal blocked: the owner's own 10 ms
 *     sleeps and another process's stay close to 10 ms;
 *   - four processes taking 1,024 timers' signals in handlers beside a
 *     sleeper: the sleeper still wakes, and everything can be killed;
 *   - nothing leaks (sysgate).
 * Latencies are measured in guest time and printed as INFO lines; the
 * checks are generous bounds (no test depends on the host's speed).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

#define MS 1000000L
#define TIMERS 1024
#define SLEEPS 10
#define LATE_BOUND_MS 500 /* generous: emulation, and a busy host */

static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* The worst lateness, in microseconds, of SLEEPS sleeps of 10 ms. */
static long worst_sleep_lateness_us(void)
{
	long worst = 0;
	for (int i = 0; i < SLEEPS; i++) {
		struct timespec ten_ms = { 0, 10 * MS };
		long start = now_ns();
		while (nanosleep(&ten_ms, &ten_ms) != 0 && errno == EINTR)
			;
		long late = now_ns() - start - 10 * MS;
		if (late > worst)
			worst = late;
	}
	return worst / 1000;
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* TIMERS periodic 1 ms timers sending sig; returns how many were made. */
static int arm_timers(int sig)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = sig;
	struct itimerspec its = { { 0, 1 * MS }, { 0, 1 * MS } };
	int made = 0;
	for (; made < TIMERS; made++) {
		timer_t id;
		if (timer_create(CLOCK_MONOTONIC, &ev, &id) != 0 || timer_settime(id, 0, &its, NULL) != 0)
			break;
	}
	return made;
}

static volatile long handled;

static void count_it(int sig)
{
	(void)sig;
	handled++;
}

/* A child that arms the timers with a handler, tells the parent, and runs. */
static pid_t start_signal_taker(void)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = count_it;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGRTMIN, &sa, NULL);
		alarm(30); /* if the test is killed, this child goes too */
		block(SIGRTMIN); /* arm first: once they run, the handler takes all our time */
		char made = arm_timers(SIGRTMIN) == TIMERS;
		write(p[1], &made, 1);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (;;)
			pause();
	}
	close(p[1]);
	char made = 0;
	read(p[0], &made, 1);
	close(p[0]);
	return made ? pid : -1;
}

static void blocked_timers(void)
{
	block(SIGRTMIN);
	long start = now_ns();
	int made = arm_timers(SIGRTMIN);
	long arm_ms = (now_ns() - start) / MS;
	check_eq("1,024 periodic 1 ms timers armed", made, TIMERS);
	printf("INFO timerload: arming 1,024 timers took %ld ms of guest time\n", arm_ms);
	long late = worst_sleep_lateness_us();
	printf("INFO timerload: the owner's 10 ms sleeps, worst lateness %ld us\n", late);
	check("the owner's own 10 ms sleeps end", late < LATE_BOUND_MS * 1000, "%ld us late", late);
	sigset_t set;
	sigpending(&set);
	check("their signal is pending", sigismember(&set, SIGRTMIN), "not pending");
}

static void four_takers(void)
{
	pid_t takers[4];
	int started = 0;
	for (int i = 0; i < 4; i++)
		if ((takers[i] = start_signal_taker()) > 0)
			started++;
	check_eq("four processes each take 1,024 timers' signals", started, 4);
	long late = worst_sleep_lateness_us();
	printf("INFO timerload: a sleeper beside them, worst lateness of a 10 ms sleep %ld us\n", late);
	check("a sleeper beside them still wakes", late < LATE_BOUND_MS * 1000 * 4, "%ld us late", late);
	int reaped = 0;
	for (int i = 0; i < 4; i++) {
		if (takers[i] <= 0)
			continue;
		kill(takers[i], SIGKILL);
		int st = t_wait(takers[i], T_WAIT_TICKS);
		reaped += st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
	}
	check_eq("all killed and reaped", reaped, started);
}

static void nothing(long arg)
{
	(void)arg;
}

static void whole_run(void)
{
	t_group("1,024 blocked timers", blocked_timers);
	t_group("four signal takers and a sleeper", four_takers);
	check_exited("the system still works: fork and exit", run_child(nothing, 0), 0);
}

int main(void)
{
	t_begin("timerload");
	long late = worst_sleep_lateness_us();
	printf("INFO timerload: an idle system's 10 ms sleeps, worst lateness %ld us\n", late);
	whole_run();
	struct leak_mark m;
	if (on_sysgate() && leak_mark(&m)) {
		whole_run();
		leak_check("every frame and heap byte came back", &m);
	} else {
		t_skip("leaks", "sysgate only");
	}
	return t_end();
}
