/*
 * schedlat: interactive work beside CPU hogs (course section: processes;
 * robustness).
 *
 * A scheduler that only takes turns makes a task that wakes wait behind
 * every hog's slice: beside 50 hogs a 10 ms sleep once took half a second.
 * A fair scheduler (by virtual run time) runs a task that slept soon after
 * it wakes. The cases: HOGS CPU-bound children and, beside them,
 *   - 10 ms sleeps: how late they end (guest time);
 *   - pipe round trips with a partner process: how long they take;
 *   - the hogs' CPU shares, from /proc/PID/schedstat where it exists;
 *   - nice: a hog at nice 19 gets less than one at 0 (and setpriority
 *     without privilege to raise priority: EACCES, tried in a child that
 *     drops nothing, so only the arguments are checked here).
 * Timings are printed as INFO lines; the checks are generous bounds, since
 * emulation and a busy host stretch guest time. Run with a number as
 * argv[1] for that many hogs (the figures for 50: `schedlat 50`).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "testlib.h"

#define MS 1000000L
#define DEFAULT_HOGS 20
#define MAX_HOGS 64
#define ROUNDS 20

static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

#define SYS_sched_setaffinity_linux 203

/* Share one CPU: on a Linux with several, two hogs would each get a CPU of
 * their own and nice would change nothing. (sysgate has one CPU and no
 * sched_setaffinity: the call fails there and changes nothing.) */
static void pin_to_cpu0(void)
{
	unsigned long mask = 1;
	syscall(SYS_sched_setaffinity_linux, 0, sizeof(mask), &mask);
}

static pid_t start_hog_on(bool one_cpu)
{
	pid_t pid = t_fork();
	if (pid < 0)
		printf("INFO schedlat: fork: %s\n", errno_name(errno));
	if (pid == 0) {
		if (one_cpu)
			pin_to_cpu0();
		alarm(60); /* if the test dies, the hogs go too */
		for (volatile unsigned long n = 0;; n++)
			;
	}
	return pid;
}

static pid_t start_hog(void)
{
	return start_hog_on(false);
}

static void stop(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			t_wait(pids[i], T_WAIT_TICKS);
}

static void sleep_lateness(long *worst_us, long *mean_us)
{
	long worst = 0, sum = 0;
	for (int i = 0; i < ROUNDS; i++) {
		struct timespec ten_ms = { 0, 10 * MS };
		long start = now_ns();
		nanosleep(&ten_ms, NULL);
		long late = now_ns() - start - 10 * MS;
		sum += late;
		worst = late > worst ? late : worst;
	}
	*worst_us = worst / 1000;
	*mean_us = sum / ROUNDS / 1000;
}

/* Round trips of one byte through two pipes with an echoing partner. */
static void pipe_round_trips(long *worst_us, long *mean_us)
{
	int there[2], back[2];
	*worst_us = *mean_us = -1;
	if (pipe(there) || pipe(back))
		return;
	pid_t echo = t_fork();
	if (echo == 0) {
		char c;
		while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	long worst = 0, sum = 0;
	for (int i = 0; i < ROUNDS; i++) {
		char c = 'x';
		long start = now_ns();
		if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
			break;
		long took = now_ns() - start;
		sum += took;
		worst = took > worst ? took : worst;
		t_nap(2); /* an interactive task: it sleeps between requests */
	}
	close(there[1]);
	close(back[0]);
	t_wait(echo, T_WAIT_TICKS);
	*worst_us = worst / 1000;
	*mean_us = sum / ROUNDS / 1000;
}

/* CPU time in ns from /proc/PID/schedstat's first field; -1 without it. */
static long cpu_ns(pid_t pid)
{
	char path[64], buf[128] = { 0 };
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long v = fgets(buf, sizeof(buf), f) ? strtol(buf, NULL, 10) : -1;
	fclose(f);
	return v;
}

static void hog_shares(pid_t *hogs, int n)
{
	long before[MAX_HOGS], min = -1, max = 0;
	for (int i = 0; i < n; i++)
		before[i] = cpu_ns(hogs[i]);
	if (before[0] < 0) {
		t_skip("the hogs' shares", "no /proc/PID/schedstat");
		return;
	}
	t_nap(1000);
	for (int i = 0; i < n; i++) {
		long got = cpu_ns(hogs[i]) - before[i];
		min = min < 0 || got < min ? got : min;
		max = got > max ? got : max;
	}
	printf("INFO schedlat: over 1 s, %d hogs got %ld..%ld ms of CPU each\n", n, min / MS, max / MS);
	/* Only a figure: a hog that ran ahead waits while the others catch up. */
	long least = -1;
	for (int i = 0; i < n; i++) {
		long total = cpu_ns(hogs[i]);
		least = least < 0 || total < least ? total : least;
	}
	check("every hog has run", least > 0, "one has %ld ns", least);
}

static void beside_hogs(int nhogs)
{
	pid_t hogs[MAX_HOGS];
	int started = 0;
	for (int i = 0; i < nhogs; i++)
		started += (hogs[i] = start_hog()) > 0;
	check_eq(cname("%d hogs started", nhogs), started, nhogs);
	t_nap(50);
	long worst, mean;
	sleep_lateness(&worst, &mean);
	printf("INFO schedlat: beside %d hogs, 10 ms sleeps end late by %ld us on average, %ld us at worst\n", nhogs,
	       mean, worst);
	check("10 ms sleeps end beside the hogs", worst < 2000 * 1000, "%ld us late", worst);
	pipe_round_trips(&worst, &mean);
	printf("INFO schedlat: beside %d hogs, pipe round trips take %ld us on average, %ld us at worst\n", nhogs,
	       mean, worst);
	check("pipe round trips complete beside the hogs", worst >= 0 && worst < 4000 * 1000, "%ld us", worst);
	hog_shares(hogs, nhogs);
	stop(hogs, nhogs);
}

static void nice_weights(void)
{
	check_errno("setpriority: bad which", setpriority(99, 0, 0), EINVAL);
	check_errno("setpriority: no such process", setpriority(PRIO_PROCESS, 999999, 0), ESRCH);
	errno = 0;
	int was = getpriority(PRIO_PROCESS, 0);
	check("getpriority of self", errno == 0 && was >= -20 && was <= 19, "got %d", was);
	pid_t pid = t_fork();
	if (pid == 0) {
		setpriority(PRIO_PROCESS, 0, 25); /* clamped to 19 */
		errno = 0;
		int now = getpriority(PRIO_PROCESS, 0);
		_exit(now == 19 && errno == 0 ? 0 : 1);
	}
	check_exited("nice 25 is clamped to 19", t_wait(pid, T_WAIT_TICKS), 0);
	/* Two hogs, one at nice 19: the nice one gets far less (weights 15 and 1024). */
	pid_t hogs[2] = { start_hog_on(true), start_hog_on(true) };
	check_ok("setpriority of a child to 19", setpriority(PRIO_PROCESS, hogs[1], 19));
	check_eq("getpriority reads it back", getpriority(PRIO_PROCESS, hogs[1]), 19);
	long a0 = cpu_ns(hogs[0]), b0 = cpu_ns(hogs[1]);
	if (a0 >= 0) {
		t_nap(500);
		long a = cpu_ns(hogs[0]) - a0, b = cpu_ns(hogs[1]) - b0;
		printf("INFO schedlat: nice 0 and nice 19 hogs got %ld ms and %ld ms\n", a / MS, b / MS);
		check("the nice 19 hog gets less than a third of the nice 0 one", b * 3 < a, "%ld vs %ld ns", b, a);
	} else {
		t_skip("nice weighs the share", "no /proc/PID/schedstat");
	}
	stop(hogs, 2);
}

int main(int argc, char **argv)
{
	int nhogs = argc > 1 ? atoi(argv[1]) : DEFAULT_HOGS;
	if (nhogs < 1 || nhogs > MAX_HOGS)
		nhogs = DEFAULT_HOGS;
	t_begin("schedlat");
	long worst, mean;
	sleep_lateness(&worst, &mean);
	printf("INFO schedlat: alone, 10 ms sleeps end late by %ld us on average, %ld us at worst\n", mean, worst);
	beside_hogs(nhogs);
	nice_weights();
	return t_end();
}
