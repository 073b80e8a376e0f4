/* What the perf and tracing tests share: opening events, instruction counts (tracepoint ids: testlib's t_tracepoint_id)
 * (course section: performance profiling tools). */
#ifndef TESTS_LIB_PERFLIB_H
#define TESTS_LIB_PERFLIB_H

#include <stdint.h>
#include <sys/types.h>

struct perf_event_attr;

long perf_open(struct perf_event_attr *a, pid_t pid, int cpu, int group, unsigned long flags);
/* The TSC: guest instructions under ICOUNT=1. */
uint64_t t_rdtsc(void);
/* TSC cycles per getpid (through libc's syscall()), the best of 5 batches of 10000. */
uint64_t getpid_cost(void);

#endif
