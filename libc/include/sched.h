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

/* Run fn(arg) in a new task on `stack` (its highest address), sharing what
 * flags say; then ptid, tls, ctid as CLONE_PARENT_SETTID, CLONE_SETTLS and
 * CLONE_CHILD_SETTID/CLEARTID ask. The new tid, or -1 and errno. */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);

#endif
