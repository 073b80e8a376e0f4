/*
 * C library: scheduling (course section: the C library on raw syscalls).
 *
 * sched_yield gives up the CPU: the scheduler runs another ready task, if
 * there is one, and this one later continues where it was.
 */
#ifndef LIBC_SCHED_H
#define LIBC_SCHED_H

#include <sys/types.h>

int sched_yield(void);

/* clone(2) and clone3(2): flags and struct clone_args. */
#include <abi/sched.h>

#endif
