/*
 * Scaling benchmarks: does a cost grow with the size of the work, and how
 * fast? (course section: performance optimisation; high-performance
 * patterns).
 *
 * One figure is not enough to judge a data structure: a directory that is
 * a list answers quickly at 10 names and slowly at 10,000. So each
 * benchmark here runs at several sizes, and the figures are read side by
 * side (and beside Linux's: `make costs`):
 *
 *   open_close_dirN     open and close one file in a directory of N files
 *   create_dirN         create (and close) one more file in it; the unlink
 *                       that keeps the size at N is outside the timing
 *   pollN               one poll (timeout 0) over N eventfds, none ready
 *   epoll_ctl_addN      one EPOLL_CTL_ADD, averaged over filling a set of N
 *   epoll_wait_setN_roomR  epoll_wait (timeout 0) on a set of N eventfds,
 *                       one ready, with room for R events
 *   fork_Nmib           fork, _exit and wait with N MiB touched in the parent
 *
 * Each function returns the cycles its `rounds` operations took (setup and
 * cleanup outside the timing); bench.c divides and keeps the best batch.
 * The file names start at the root: the one writable place wherever the
 * benchmark runs, as init on sysgate or on Linux (tools/bench-linux).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define MAX_SET 1000

/* --- directories ------------------------------------------------------- */

static char dir_path[64];

static const char *file_in_dir(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir_path, name);
	return path;
}

static const char *numbered(long k)
{
	static char name[32];

	snprintf(name, sizeof(name), "f%ld", k);
	return name;
}

/* /bench-dirN holding f0 ... f(N-1); 0 or -1. */
static int make_dir(long n)
{
	snprintf(dir_path, sizeof(dir_path), "/bench-dir%ld", n);
	if (mkdir(dir_path, 0700) != 0 && errno != EEXIST)
		return -1;
	for (long k = 0; k < n; k++) {
		int fd = open(file_in_dir(numbered(k)), O_WRONLY | O_CREAT, 0600);

		if (fd < 0)
			return -1;
		close(fd);
	}
	return 0;
}

static void remove_dir(long n)
{
	for (long k = 0; k < n; k++)
		unlink(file_in_dir(numbered(k)));
	rmdir(dir_path);
}

static uint64_t open_close_in_dir(long n, long rounds)
{
	uint64_t t0, t1;
	char path[128];

	if (make_dir(n))
		return FAILED;
	strcpy(path, file_in_dir(numbered(n / 2)));
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return FAILED;
		close(fd);
	}
	t1 = rdtsc();
	remove_dir(n);
	return t1 - t0;
}

static uint64_t create_in_dir(long n, long rounds)
{
	uint64_t total = 0;
	char path[128];

	if (make_dir(n))
		return FAILED;
	strcpy(path, file_in_dir("new"));
	for (long i = 0; i < rounds; i++) {
		uint64_t t0 = rdtsc();
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

		if (fd < 0)
			return FAILED;
		close(fd);
		total += rdtsc() - t0;
		unlink(path);
	}
	remove_dir(n);
	return total;
}

/* --- poll and epoll ---------------------------------------------------- */

static int efds[MAX_SET];

/* n eventfds with a count of 0: not readable. */
static int open_eventfds(long n)
{
	for (long k = 0; k < n; k++) {
		efds[k] = (int)syscall(SYS_eventfd2, 0, 0);
		if (efds[k] < 0) {
			while (k-- > 0)
				close(efds[k]);
			return -1;
		}
	}
	return 0;
}

static void close_eventfds(long n)
{
	for (long k = 0; k < n; k++)
		close(efds[k]);
}

static uint64_t poll_set(long n, long rounds)
{
	static struct pollfd fds[MAX_SET];
	uint64_t t0, t1;
	int ok = 1;

	if (open_eventfds(n))
		return FAILED;
	for (long k = 0; k < n; k++)
		fds[k] = (struct pollfd){ .fd = efds[k], .events = POLLIN };
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		ok &= poll(fds, (nfds_t)n, 0) == 0;
	t1 = rdtsc();
	close_eventfds(n);
	return ok ? t1 - t0 : FAILED;
}

/* rounds ADDs in all: sets of n filled one after the other. */
static uint64_t epoll_ctl_add(long n, long rounds)
{
	uint64_t total = 0;

	if (open_eventfds(n))
		return FAILED;
	for (long done = 0; done < rounds; done += n) {
		int ep = epoll_create1(0);
		uint64_t t0;

		if (ep < 0)
			return FAILED;
		t0 = rdtsc();
		for (long k = 0; k < n; k++) {
			struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)k };

			if (epoll_ctl(ep, EPOLL_CTL_ADD, efds[k], &ev) != 0)
				return FAILED;
		}
		total += rdtsc() - t0;
		close(ep);
	}
	close_eventfds(n);
	return total;
}

static uint64_t epoll_wait_set(long n, int room, long rounds)
{
	struct epoll_event out[64];
	uint64_t t0, t1;
	int ep, ok = 1;

	if (open_eventfds(n) || (ep = epoll_create1(0)) < 0)
		return FAILED;
	for (long k = 0; k < n; k++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)k };

		if (epoll_ctl(ep, EPOLL_CTL_ADD, efds[k], &ev) != 0)
			return FAILED;
	}
	uint64_t one = 1;
	if (write(efds[n / 2], &one, sizeof(one)) != sizeof(one))
		return FAILED;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		ok &= epoll_wait(ep, out, room, 0) == 1;
	t1 = rdtsc();
	close(ep);
	close_eventfds(n);
	return ok ? t1 - t0 : FAILED;
}

/* --- fork with memory -------------------------------------------------- */

static uint64_t fork_touched(long mib, long rounds)
{
	size_t len = (size_t)mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;

	if (p == MAP_FAILED)
		return FAILED;
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return FAILED;
	}
	t1 = rdtsc();
	munmap(p, len);
	return t1 - t0;
}

/* --- the table ------------------------------------------------------------ */

/* One function per size, for the table's run(rounds). */
#define AT_SIZE(fn, n) \
	static uint64_t fn##_##n(long rounds) { return fn(n, rounds); }
#define WAIT_AT(n, room) \
	static uint64_t epoll_wait_##n##_##room(long rounds) { return epoll_wait_set(n, room, rounds); }

AT_SIZE(open_close_in_dir, 10)
AT_SIZE(open_close_in_dir, 1000)
AT_SIZE(open_close_in_dir, 10000)
AT_SIZE(create_in_dir, 10)
AT_SIZE(create_in_dir, 1000)
AT_SIZE(create_in_dir, 10000)
AT_SIZE(poll_set, 1)
AT_SIZE(poll_set, 10)
AT_SIZE(poll_set, 100)
AT_SIZE(poll_set, 1000)
AT_SIZE(epoll_ctl_add, 1)
AT_SIZE(epoll_ctl_add, 10)
AT_SIZE(epoll_ctl_add, 100)
AT_SIZE(epoll_ctl_add, 1000)
WAIT_AT(1, 1)
WAIT_AT(1, 64)
WAIT_AT(10, 1)
WAIT_AT(10, 64)
WAIT_AT(100, 1)
WAIT_AT(100, 64)
WAIT_AT(1000, 1)
WAIT_AT(1000, 64)
AT_SIZE(fork_touched, 1)
AT_SIZE(fork_touched, 64)

const struct benchmark scaling_benchmarks[] = {
	{ "open_close_dir10_cycles", 2000, open_close_in_dir_10, CYCLES },
	{ "open_close_dir1000_cycles", 2000, open_close_in_dir_1000, CYCLES },
	{ "open_close_dir10000_cycles", 2000, open_close_in_dir_10000, CYCLES },
	{ "create_dir10_cycles", 1000, create_in_dir_10, CYCLES },
	{ "create_dir1000_cycles", 1000, create_in_dir_1000, CYCLES },
	{ "create_dir10000_cycles", 1000, create_in_dir_10000, CYCLES },
	{ "poll1_cycles", 2000, poll_set_1, CYCLES },
	{ "poll10_cycles", 2000, poll_set_10, CYCLES },
	{ "poll100_cycles", 1000, poll_set_100, CYCLES },
	{ "poll1000_cycles", 100, poll_set_1000, CYCLES },
	{ "epoll_ctl_add1_cycles", 1000, epoll_ctl_add_1, CYCLES },
	{ "epoll_ctl_add10_cycles", 1000, epoll_ctl_add_10, CYCLES },
	{ "epoll_ctl_add100_cycles", 1000, epoll_ctl_add_100, CYCLES },
	{ "epoll_ctl_add1000_cycles", 1000, epoll_ctl_add_1000, CYCLES },
	{ "epoll_wait_set1_room1_cycles", 2000, epoll_wait_1_1, CYCLES },
	{ "epoll_wait_set1_room64_cycles", 2000, epoll_wait_1_64, CYCLES },
	{ "epoll_wait_set10_room1_cycles", 2000, epoll_wait_10_1, CYCLES },
	{ "epoll_wait_set10_room64_cycles", 2000, epoll_wait_10_64, CYCLES },
	{ "epoll_wait_set100_room1_cycles", 2000, epoll_wait_100_1, CYCLES },
	{ "epoll_wait_set100_room64_cycles", 2000, epoll_wait_100_64, CYCLES },
	{ "epoll_wait_set1000_room1_cycles", 2000, epoll_wait_1000_1, CYCLES },
	{ "epoll_wait_set1000_room64_cycles", 2000, epoll_wait_1000_64, CYCLES },
	{ "fork_1mib_cycles", 100, fork_touched_1, CYCLES },
	{ "fork_64mib_cycles", 10, fork_touched_64, CYCLES },
};

const size_t scaling_count = sizeof(scaling_benchmarks) / sizeof(scaling_benchmarks[0]);
