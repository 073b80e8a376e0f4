/*
 * The vDSO's data page, [vvar]: the layout the kernel writes and the vDSO
 * (arch/x86_64/vdso/vdso.c) reads (course section: syscall basics -- the
 * vDSO). Shared by both sides, so it uses only fixed-size types.
 */
#ifndef KERNEL_VVAR_H
#define KERNEL_VVAR_H

#include <stdint.h>

/*
 * A reader takes seq, reads the fields, and takes seq again: an odd seq,
 * or one that changed, means the kernel was writing meanwhile, so it reads
 * again. The kernel makes seq odd, writes, makes it even. Nobody waits and
 * nobody locks: the timer interrupt never stops for a reader.
 */
struct vvar_data {
	uint32_t seq;
	uint32_t clock_mode;        /* VCLOCK_TSC, or VCLOCK_NONE: every call makes the syscall */
	uint64_t tsc_base;          /* the TSC at boot: CLOCK_MONOTONIC's zero */
	uint64_t ns_per_tsc_q32;    /* nanoseconds per TSC cycle, 32.32 fixed point */
	uint64_t realtime_base_ns;  /* CLOCK_REALTIME at CLOCK_MONOTONIC's zero */
	uint64_t coarse_mono_ns;    /* CLOCK_MONOTONIC at the last tick (the COARSE clocks, time()) */
	uint64_t coarse_real_ns;
};

#define VCLOCK_NONE 0
#define VCLOCK_TSC 1

#endif
