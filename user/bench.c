/*
 * bench: what does crossing into the kernel cost? (course section: the
 * syscall gate)
 *
 * Each benchmark repeats one operation many times between two readings of
 * the time-stamp counter (rdtsc) and divides: cycles per operation. The
 * TSC ticks at a constant rate (about the CPU's nominal clock), so these are
 * "TSC cycles", comparable between runs on one machine. A run can be slowed
 * by an interrupt or by another process, never sped up, so each figure is
 * the minimum over several batches: the least disturbed one.
 *
 * Output is one name=value line per benchmark, for scripts to compare the
 * same binary on Linux and on sysgate.
 *   bench [-b BATCHES] [NAME...]     only the named benchmarks, if given
 *
 * Adding a benchmark: write a function that runs `rounds` operations and
 * returns the cycles they took (setup and cleanup outside the timing), and
 * add a line to the table.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The time-stamp counter: a 64-bit count in edx:eax. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The failure value of a benchmark function: the operation did not work
 * (say, the kernel does not have that syscall yet). */
#define FAILED UINT64_MAX

/* The cheapest real syscall: enter the kernel, read one field, return. */
static uint64_t bench_getpid(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		getpid();
	return rdtsc() - t0;
}

/* A syscall number nobody implements: the kernel only looks it up in its
 * table and returns -ENOSYS. The pure cost of the gate, both ways. */
static uint64_t bench_enosys(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		syscall(1000);
	return rdtsc() - t0;
}

/* A whole process's life: fork copies our address space (or, with
 * copy-on-write, just its page tables), the child exits at once, the
 * parent waits for it and frees what is left. */
static uint64_t bench_fork(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return FAILED;
	}
	return rdtsc() - t0;
}

/* One byte to a child over one pipe and back over another: two writes,
 * two reads, and two switches between processes per round trip, since each
 * side sleeps until the other has written. */
static uint64_t bench_pipe(long rounds)
{
	int to_child[2], to_parent[2];
	uint64_t t0, t1;
	pid_t pid;
	char c = 'x';

	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		return FAILED;
	pid = fork();
	if (pid == 0) {			/* the echo: until the parent closes its end */
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			write(to_parent[1], &c, 1);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	t0 = rdtsc();
	for (long i = 0; i < rounds && pid > 0; i++) {
		if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1) {
			pid = -1;
			break;
		}
	}
	t1 = rdtsc();
	close(to_child[1]);		/* the child reads end of file and exits */
	close(to_parent[0]);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return t1 - t0;
}

static volatile long signals_caught;

static void on_usr1(int sig)
{
	(void)sig;
	signals_caught++;
}

/* kill, then delivery on the way out of the kernel: the kernel builds a
 * signal frame on our stack, runs the handler, which returns into
 * rt_sigreturn, a second syscall that restores the registers. */
static uint64_t bench_signal(long rounds)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	uint64_t t0, t1;
	pid_t me = getpid();

	if (sigaction(SIGUSR1, &sa, &old) < 0)
		return FAILED;
	signals_caught = 0;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		kill(me, SIGUSR1);
	t1 = rdtsc();
	sigaction(SIGUSR1, &old, NULL);
	return signals_caught == rounds ? t1 - t0 : FAILED;
}

static const struct {
	const char *name;
	long rounds;		/* operations per batch */
	uint64_t (*run)(long rounds);
} benchmarks[] = {
	{ "getpid_cycles", 1000000, bench_getpid },
	{ "enosys_cycles", 1000000, bench_enosys },
	{ "fork_exit_wait_cycles", 1000, bench_fork },
	{ "pipe_pingpong_cycles", 100000, bench_pipe },
	{ "signal_roundtrip_cycles", 100000, bench_signal },
};

#define NBENCH (sizeof(benchmarks) / sizeof(benchmarks[0]))

static int selected(const char *name, int argc, char **argv, int first)
{
	if (first == argc)
		return 1;		/* no names given: run them all */
	for (int i = first; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int batches = 3, first = 1, status = 0;

	if (argc > 2 && strcmp(argv[1], "-b") == 0) {
		batches = atoi(argv[2]);
		first = 3;
		if (batches < 1) {
			fprintf(stderr, "usage: bench [-b BATCHES] [NAME...]\n");
			return 2;
		}
	}
	for (size_t k = 0; k < NBENCH; k++) {
		uint64_t best = FAILED;

		if (!selected(benchmarks[k].name, argc, argv, first))
			continue;
		for (int b = 0; b < batches; b++) {
			uint64_t cycles = benchmarks[k].run(benchmarks[k].rounds);

			if (cycles == FAILED)
				break;
			if (cycles / (uint64_t)benchmarks[k].rounds < best)
				best = cycles / (uint64_t)benchmarks[k].rounds;
		}
		if (best == FAILED) {
			fprintf(stderr, "bench: %s: failed (%s)\n", benchmarks[k].name,
				strerror(errno));
			status = 1;
			continue;
		}
		printf("%s=%lu\n", benchmarks[k].name, (unsigned long)best);
		fflush(stdout);
	}
	return status;
}
