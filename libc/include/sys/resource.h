/*
 * C library: resource usage (course section: processes).
 *
 * getrusage reports the CPU time and other counters of the calling process
 * (RUSAGE_SELF) or of its children that have been waited for
 * (RUSAGE_CHILDREN); wait4 fills the same struct for the child it reaps.
 * Linux's x86_64 layout: two timevals and fourteen longs.
 */
#ifndef LIBC_SYS_RESOURCE_H
#define LIBC_SYS_RESOURCE_H

#include <sys/time.h>
#include <sys/types.h>

#include "abi/resource.h"	/* RLIMIT_*, RLIM_INFINITY, struct rlimit */

typedef unsigned long rlim_t;

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct rusage {
	struct timeval ru_utime;	/* time spent in user mode */
	struct timeval ru_stime;	/* time spent in the kernel */
	long ru_maxrss;		/* largest resident set, in KiB */
	long ru_ixrss, ru_idrss, ru_isrss;	/* unused by Linux */
	long ru_minflt;		/* page faults served without I/O */
	long ru_majflt;		/* page faults that needed I/O */
	long ru_nswap;
	long ru_inblock, ru_oublock;	/* file system reads and writes */
	long ru_msgsnd, ru_msgrcv;
	long ru_nsignals;
	long ru_nvcsw;		/* voluntary context switches (waiting) */
	long ru_nivcsw;		/* involuntary ones (preempted) */
};

_Static_assert(sizeof(struct rusage) == 144, "struct rusage is 144 bytes");

int getrusage(int who, struct rusage *usage);

/* Nice values, -20..19 (libc/priority.c): of a process, a group or a user. */
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
int getpriority(int which, int who);
int setpriority(int which, int who, int niceval);

/* Resource limits: the soft limit is enforced, the hard one caps it. */
int getrlimit(unsigned int resource, struct rlimit *rlim);
int setrlimit(unsigned int resource, const struct rlimit *rlim);
/* Another process's limits too (pid 0: ours); old_limit gets the old ones. */
int prlimit64(pid_t pid, unsigned int resource, const struct rlimit *new_limit, struct rlimit *old_limit);

#endif
