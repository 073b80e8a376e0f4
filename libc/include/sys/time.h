/*
 * C library: microsecond time (course section: the C library on raw syscalls).
 *
 * struct timeval (in <abi/time.h>) is the older seconds-plus-microseconds
 * form of a time, still used by select(2), setitimer(2) and struct rusage.
 */
#ifndef LIBC_SYS_TIME_H
#define LIBC_SYS_TIME_H

#include <abi/time.h>
#include <sys/types.h>
#include <time.h>

/* The wall clock, in microseconds; tz is obsolete and must be NULL. */
int gettimeofday(struct timeval *tv, void *tz);

/* Interval timers (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF): a signal
 * after it_value, then every it_interval (0: once). */
int setitimer(int which, const struct itimerval *new_value, struct itimerval *old_value);
int getitimer(int which, struct itimerval *curr);

#endif
