/*
 * The vDSO: kernel code that runs in user mode (course section: syscall
 * basics -- the vDSO, or why clock_gettime needs no trap).
 *
 * Reading the clock is the commonest syscall there is, and it changes
 * nothing in the kernel: it only reads the TSC and some numbers the kernel
 * keeps. So the kernel puts those numbers on a page every process can read
 * ([vvar], struct vvar_data) and the code that turns them into a time into
 * a small shared library it maps into every process ([vdso]). The C
 * library finds the library through AT_SYSINFO_EHDR in the auxiliary
 * vector and calls __vdso_clock_gettime instead of making the syscall:
 * a function call, no trip through the gate. Whatever the vDSO cannot do
 * itself (another clock, no usable TSC) it passes on to the real syscall.
 *
 * This file is built on its own as a position-independent shared object
 * (arch/x86_64/vdso/vdso.lds) and the kernel carries its bytes
 * (kernel/vdso/vdso.c). No libc, no globals of its own: the only data is
 * the vvar page, one page below the vDSO's first byte.
 */
#include <stddef.h>
#include "kernel/vdso/vvar.h"
#include "libc/include/abi/time.h"

/* Defined by the linker script, one page below the load address: the
 * compiler reaches it relative to rip, wherever the kernel maps us. */
extern const volatile struct vvar_data vvar_page __attribute__((visibility("hidden")));

#define SYS_gettimeofday 96
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_getcpu 309

struct timezone_abi {
	int tz_minuteswest, tz_dsttime;
};

static long syscall2(long n, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}

/* lfence: the TSC is read after every earlier load, not speculated ahead. */
static uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static uint32_t read_begin(const volatile struct vvar_data *v)
{
	uint32_t seq;
	while ((seq = v->seq) & 1)
		__asm__ volatile("pause");
	__asm__ volatile("" ::: "memory");
	return seq;
}

static int read_retry(const volatile struct vvar_data *v, uint32_t seq)
{
	__asm__ volatile("" ::: "memory");
	return v->seq != seq;
}

/* Nanoseconds on clock `clock` (the same arithmetic as drivers/timer.c);
 * 0 if the vDSO does not serve it. */
static int read_ns(int clock, uint64_t *ns)
{
	const volatile struct vvar_data *v = &vvar_page;
	uint32_t seq;
	do {
		seq = read_begin(v);
		if (v->clock_mode != VCLOCK_TSC)
			return 0;
		switch (clock) {
		case CLOCK_REALTIME:
		case CLOCK_MONOTONIC:
		case CLOCK_MONOTONIC_RAW:
		case CLOCK_BOOTTIME: {
			uint64_t cycles = rdtsc_ordered() - v->tsc_base;
			*ns = (uint64_t)(((unsigned __int128)cycles * v->ns_per_tsc_q32) >> 32);
			if (clock == CLOCK_REALTIME)
				*ns += v->realtime_base_ns;
			break;
		}
		case CLOCK_REALTIME_COARSE:
			*ns = v->coarse_real_ns;
			break;
		case CLOCK_MONOTONIC_COARSE:
			*ns = v->coarse_mono_ns;
			break;
		default:
			return 0;
		}
	} while (read_retry(v, seq));
	return 1;
}

int __vdso_clock_gettime(int clock, struct timespec *ts)
{
	uint64_t ns;
	if (!read_ns(clock, &ns))
		return (int)syscall2(SYS_clock_gettime, clock, (long)ts);
	ts->tv_sec = (long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
	return 0;
}

int __vdso_gettimeofday(struct timeval *tv, struct timezone_abi *tz)
{
	uint64_t ns;
	if (!read_ns(CLOCK_REALTIME, &ns))
		return (int)syscall2(SYS_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		tv->tv_sec = (long)(ns / NSEC_PER_SEC);
		tv->tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
	}
	if (tz)
		tz->tz_minuteswest = tz->tz_dsttime = 0; /* sysgate keeps UTC */
	return 0;
}

/* time() is the seconds of the last tick, as Linux's: it may be up to a
 * tick behind clock_gettime(CLOCK_REALTIME), never ahead of it. */
long __vdso_time(long *t)
{
	uint64_t ns;
	if (!read_ns(CLOCK_REALTIME_COARSE, &ns))
		return syscall2(SYS_time, (long)t, 0);
	long secs = (long)(ns / NSEC_PER_SEC);
	if (t)
		*t = secs;
	return secs;
}

/* One CPU, one NUMA node. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

/* The names without __vdso_, as Linux exports them too. */
int clock_gettime(int, struct timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct timeval *, struct timezone_abi *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
