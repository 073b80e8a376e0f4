/*
 * Resource limits, Linux's x86_64 ABI (course section: processes).
 *
 * Each limit is a pair: the soft limit (rlim_cur), which the kernel
 * enforces, and the hard limit (rlim_max), the ceiling up to which a
 * process may raise its soft limit. Shared by the kernel and libc.
 */
#ifndef ABI_RESOURCE_H
#define ABI_RESOURCE_H

#include <stdint.h>

#define RLIMIT_CPU 0		/* seconds of CPU time: SIGXCPU, then SIGKILL at the hard limit */
#define RLIMIT_FSIZE 1		/* bytes a file may grow to: SIGXFSZ and EFBIG beyond */
#define RLIMIT_DATA 2		/* bytes of heap (brk) */
#define RLIMIT_STACK 3		/* bytes of stack a new program gets */
#define RLIMIT_CORE 4		/* bytes of core file (sysgate never writes one) */
#define RLIMIT_RSS 5		/* ignored, as by Linux */
#define RLIMIT_NPROC 6		/* processes (root, as every sysgate process is, is exempt) */
#define RLIMIT_NOFILE 7		/* one more than the highest descriptor number */
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9		/* bytes of address space: mmap and brk fail beyond */
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16

#define RLIM_INFINITY (~0ul)

struct rlimit {
	unsigned long rlim_cur;	/* soft: what is enforced */
	unsigned long rlim_max;	/* hard: how far rlim_cur may be raised */
};

_Static_assert(sizeof(struct rlimit) == 16, "struct rlimit is two longs on x86_64");

#endif
