/*
 * What user/bench.c and its scaling benchmarks (scaling.c) share (course
 * section: the syscall gate -- what each mechanism costs).
 */
#ifndef USER_BENCHLIB_BENCH_H
#define USER_BENCHLIB_BENCH_H

#include <stddef.h>
#include <stdint.h>

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

enum kind { CYCLES, MB_S };

struct benchmark {
	const char *name;
	long rounds;		/* operations (or MiB) per batch */
	uint64_t (*run)(long rounds);
	enum kind kind;		/* CYCLES: run returns cycles; MB_S: nanoseconds */
};

/* How the costs grow with the size of the work (scaling.c). */
extern const struct benchmark scaling_benchmarks[];
extern const size_t scaling_count;
/* What an eBPF instruction costs, JIT'd and interpreted (bpf.c). */
extern const struct benchmark bpf_benchmarks[];
extern const size_t bpf_count;
/* What a hash map lookup costs with 10 and 10,000 keys (bpf_map.c). */
extern const struct benchmark bpf_map_benchmarks[];
extern const size_t bpf_map_count;

#endif
