/* Resource limits (course section: processes). */
#ifndef KERNEL_RLIMIT_H
#define KERNEL_RLIMIT_H

#include "kernel/types.h"
#include "libc/include/abi/resource.h"

struct task;

/* Linux's defaults, for the first process; fork copies them. */
void rlimits_init(struct task *t);
/* The calling process's soft limit for one resource (RLIMIT_*). */
unsigned long rlimit(int resource);
/* RLIMIT_FSIZE, before a file grows to pos + *n: cuts *n at the limit, or,
 * if pos is at or past it, sends SIGXFSZ and returns -EFBIG. */
int fsize_limit_check(uint64_t pos, size_t *n);
/* RLIMIT_CPU, from the timer tick: SIGXCPU past the soft limit, SIGKILL
 * at the hard one. */
void cpu_limit_tick(struct task *t);

#endif
