/* What the perf and tracing tests share (course section: performance profiling tools). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "perflib.h"

long perf_open(struct perf_event_attr *a, pid_t pid, int cpu, int group, unsigned long flags)
{
	return syscall(SYS_perf_event_open, a, pid, cpu, group, flags);
}

uint64_t t_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t getpid_cost(void)
{
	uint64_t best = UINT64_MAX;
	for (int b = 0; b < 5; b++) {
		uint64_t t0 = t_rdtsc();
		for (int i = 0; i < 10000; i++)
			syscall(SYS_getpid);
		uint64_t c = (t_rdtsc() - t0) / 10000;
		best = c < best ? c : best;
	}
	return best;
}
