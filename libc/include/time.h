/*
 * C library: time (course section: the C library on raw syscalls).
 *
 * A struct timespec is seconds plus nanoseconds. CLOCK_REALTIME is the wall
 * clock (it can jump when someone sets the date); CLOCK_MONOTONIC only moves
 * forward, from some unspecified start such as boot, so it is the one to
 * measure intervals with. The struct and the clock ids are the kernel's
 * (<abi/time.h>).
 */
#ifndef LIBC_TIME_H
#define LIBC_TIME_H

#include <abi/time.h>
#include <sys/types.h>

#define TIMER_ABSTIME 1		/* flag for clock_nanosleep */

int clock_gettime(clockid_t clockid, struct timespec *tp);
int clock_getres(clockid_t clockid, struct timespec *res);
int nanosleep(const struct timespec *req, struct timespec *rem);
/* Like nanosleep on the given clock, until an absolute time with
 * TIMER_ABSTIME. Returns 0 or an error number (not -1 and errno). */
int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *req,
		    struct timespec *rem);
time_t time(time_t *t);

/* POSIX timers (timer_create(2)): a timer is the kernel's small integer id.
 * SIGEV_THREAD (run a function in a new thread) needs threads, which this
 * libc does not have: timer_create says ENOTSUP. */
struct sigevent;
struct itimerspec;
typedef int timer_t;
int timer_create(clockid_t clockid, struct sigevent *sevp, timer_t *timerid);
int timer_settime(timer_t timerid, int flags, const struct itimerspec *new_value,
		  struct itimerspec *old_value);
int timer_gettime(timer_t timerid, struct itimerspec *curr_value);
int timer_getoverrun(timer_t timerid);
int timer_delete(timer_t timerid);

#endif
