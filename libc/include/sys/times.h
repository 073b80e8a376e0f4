/*
 * C library: times (course section: the C library on raw syscalls).
 *
 * The CPU time of this process and of its reaped children, in clock ticks
 * of sysconf(_SC_CLK_TCK) -- 100 a second on Linux x86_64. The result
 * counts ticks since some fixed moment: subtract two of them.
 */
#ifndef LIBC_SYS_TIMES_H
#define LIBC_SYS_TIMES_H

#include <sys/types.h>

struct tms {
	clock_t tms_utime;  /* user mode */
	clock_t tms_stime;  /* kernel mode, on our behalf */
	clock_t tms_cutime; /* the reaped children's user mode */
	clock_t tms_cstime; /* and their kernel mode */
};

clock_t times(struct tms *buf);

#endif
