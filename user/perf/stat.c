/*
 * perf stat: count what a program does (course section: performance
 * profiling tools).
 *
 *     perf stat [-e EVENT[,EVENT...]] CMD [ARGS...]
 *
 * runs CMD and prints, in the layout of Linux's `perf stat`, the software
 * counters of perf_event_open(2): task-clock, context-switches,
 * cpu-migrations, page-faults and minor-faults; or, with -e, the events
 * named: those software ones, or tracepoints as SYSTEM:EVENT, whose number
 * perf reads from /sys/kernel/tracing/events/SYSTEM/EVENT/id as Linux's does. How: fork; the child waits
 * on a pipe; the parent opens one counter per event on the child's pid,
 * disabled with enable_on_exec, so that counting starts exactly when the
 * child's execve replaces it with CMD; then lets it go and waits.
 *
 * Like Linux's, the report goes to stderr, so CMD's own output stays apart.
 * Figures are printed with integer arithmetic (our libc's printf has no
 * floating point): milliseconds with two decimals, rates per second.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "perf.h"

struct counter {
	const char *name;
	unsigned config;
	int fd;
	uint64_t value;
	unsigned type;
};

#define MAX_COUNTERS 16

static struct counter counters[MAX_COUNTERS] = {
	{ "task-clock", PERF_COUNT_SW_TASK_CLOCK, -1, 0, PERF_TYPE_SOFTWARE },
	{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES, -1, 0, PERF_TYPE_SOFTWARE },
	{ "cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS, -1, 0, PERF_TYPE_SOFTWARE },
	{ "page-faults", PERF_COUNT_SW_PAGE_FAULTS, -1, 0, PERF_TYPE_SOFTWARE },
	{ "minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN, -1, 0, PERF_TYPE_SOFTWARE },
};
static size_t ncounters = 5;

static const struct counter software[] = {
	{ "task-clock", PERF_COUNT_SW_TASK_CLOCK, -1, 0, PERF_TYPE_SOFTWARE },
	{ "cpu-clock", PERF_COUNT_SW_CPU_CLOCK, -1, 0, PERF_TYPE_SOFTWARE },
	{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES, -1, 0, PERF_TYPE_SOFTWARE },
	{ "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, -1, 0, PERF_TYPE_SOFTWARE },
	{ "cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS, -1, 0, PERF_TYPE_SOFTWARE },
	{ "page-faults", PERF_COUNT_SW_PAGE_FAULTS, -1, 0, PERF_TYPE_SOFTWARE },
	{ "faults", PERF_COUNT_SW_PAGE_FAULTS, -1, 0, PERF_TYPE_SOFTWARE },
	{ "minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN, -1, 0, PERF_TYPE_SOFTWARE },
	{ "major-faults", PERF_COUNT_SW_PAGE_FAULTS_MAJ, -1, 0, PERF_TYPE_SOFTWARE },
};

int perf_tracepoint_id(const char *name)
{
	char path[300], buf[32] = { 0 };
	const char *colon = strchr(name, ':');
	if (!colon)
		return -1;
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%.*s/%s/id", (int)(colon - name), name, colon + 1);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return atoi(buf);
}

bool perf_parse_event(const char *name, uint32_t *type, uint64_t *config)
{
	for (size_t i = 0; i < sizeof(software) / sizeof(software[0]); i++) {
		if (!strcmp(software[i].name, name)) {
			*type = PERF_TYPE_SOFTWARE;
			*config = software[i].config;
			return true;
		}
	}
	int id = perf_tracepoint_id(name);
	*type = PERF_TYPE_TRACEPOINT;
	*config = (uint64_t)id;
	return id >= 0;
}

/* -e a,b,c: replace the default counters. */
static int choose_events(char *list)
{
	ncounters = 0;
	for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		if (ncounters == MAX_COUNTERS)
			return -1;
		uint32_t type;
		uint64_t config;
		if (!perf_parse_event(name, &type, &config)) {
			fprintf(stderr, "perf: event syntax error: '%s'\n", name);
			return -1;
		}
		counters[ncounters++] = (struct counter){ name, (unsigned)config, -1, 0, type };
	}
	return ncounters ? 0 : -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int open_counter(struct counter *c, pid_t pid)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = c->type;
	a.size = sizeof(a);
	a.config = c->config;
	a.flags = PERF_ATTR_FLAG_DISABLED | PERF_ATTR_FLAG_ENABLE_ON_EXEC | PERF_ATTR_FLAG_INHERIT; /* children count too */
	c->fd = (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	return c->fd;
}

/* "123.456" from a value in thousandths. */
static void print_milli(char *buf, size_t size, uint64_t thousandths)
{
	snprintf(buf, size, "%lu.%03lu", (unsigned long)(thousandths / 1000), (unsigned long)(thousandths % 1000));
}

/* Per second of task-clock, as Linux shows: "/sec", "K/sec" or "M/sec". */
static void print_rate(char *buf, size_t size, uint64_t count, uint64_t task_ns)
{
	if (task_ns == 0) {
		snprintf(buf, size, "0.000 /sec");
		return;
	}
	/* rate in thousandths per second */
	uint64_t milli_per_s = count * 1000000000000u / task_ns;
	const char *unit = "/sec";
	if (milli_per_s >= 1000000000u) {
		milli_per_s /= 1000000;
		unit = "M/sec";
	} else if (milli_per_s >= 1000000) {
		milli_per_s /= 1000;
		unit = "K/sec";
	}
	char v[32];
	print_milli(v, sizeof(v), milli_per_s);
	snprintf(buf, size, "%s %s", v, unit);
}

static void report(char **argv, uint64_t elapsed_ns, const struct rusage *ru)
{
	fprintf(stderr, "\n Performance counter stats for '");
	for (int i = 0; argv[i]; i++)
		fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
	fprintf(stderr, "':\n\n");
	uint64_t task_ns = 0;
	char ms[32], note[48];
	for (size_t i = 0; i < ncounters; i++) {
		if (counters[i].type != PERF_TYPE_SOFTWARE || counters[i].config > PERF_COUNT_SW_TASK_CLOCK)
			continue;
		uint64_t ns = counters[i].value; /* the clocks count nanoseconds */
		task_ns = ns;
		snprintf(ms, sizeof(ms), "%lu.%02lu", (unsigned long)(ns / 1000000), (unsigned long)(ns / 10000 % 100));
		print_milli(note, sizeof(note), elapsed_ns ? ns * 1000 / elapsed_ns : 0);
		fprintf(stderr, "%18s msec %-33s #  %9s CPUs utilized\n", ms, counters[i].name, note);
	}
	for (size_t i = 0; i < ncounters; i++) {
		if (counters[i].type == PERF_TYPE_SOFTWARE && counters[i].config <= PERF_COUNT_SW_TASK_CLOCK)
			continue;
		print_rate(note, sizeof(note), counters[i].value, task_ns);
		fprintf(stderr, "%18lu      %-33s #  %9s\n", (unsigned long)counters[i].value, counters[i].name, note);
	}
	fprintf(stderr, "\n %14lu.%09lu seconds time elapsed\n\n", (unsigned long)(elapsed_ns / 1000000000u),
	       (unsigned long)(elapsed_ns % 1000000000u));
	fprintf(stderr, " %14ld.%06ld seconds user\n", (long)ru->ru_utime.tv_sec, (long)ru->ru_utime.tv_usec);
	fprintf(stderr, " %14ld.%06ld seconds sys\n\n", (long)ru->ru_stime.tv_sec, (long)ru->ru_stime.tv_usec);
}

static int stat_command(char **argv)
{
	int go[2];
	if (pipe(go) < 0) {
		perror("perf: pipe");
		return 1;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("perf: fork");
		return 1;
	}
	if (child == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127); /* the parent gave up */
		execvp(argv[0], argv);
		fprintf(stderr, "perf: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	for (size_t i = 0; i < ncounters; i++) {
		if (open_counter(&counters[i], child) < 0) {
			fprintf(stderr, "perf: perf_event_open %s: %s\n", counters[i].name, strerror(errno));
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			return 1;
		}
	}
	uint64_t t0 = now_ns();
	write(go[1], "g", 1);
	close(go[1]);
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	wait4(child, &status, 0, &ru);
	uint64_t elapsed = now_ns() - t0;
	for (size_t i = 0; i < ncounters; i++) {
		if (read(counters[i].fd, &counters[i].value, sizeof(uint64_t)) != sizeof(uint64_t))
			counters[i].value = 0;
		close(counters[i].fd);
	}
	report(argv, elapsed, &ru);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* argv[0] is "stat". */
int perf_stat_main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "-e")) {
		if (choose_events(argv[2]))
			return 2;
		return stat_command(argv + 3);
	}
	if (argc >= 2 && argv[1][0] != '-')
		return stat_command(argv + 1);
	fprintf(stderr, "usage: perf stat [-e EVENT[,EVENT...]] COMMAND [ARGS...]\n");
	return 2;
}
