/*
 * C library: the time of day (course section: the C library on raw syscalls).
 *
 * time() is the whole seconds of CLOCK_REALTIME. Linux also has a time
 * syscall, but clock_gettime answers the same question and the kernel then
 * needs only one way to read the clock.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "internal.h"
#include "syscall_headers.h"

time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return (time_t)-1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

/* --- POSIX timers: the kernel's calls, as they are ---------------------------------------- */

int timer_create(clockid_t clockid, struct sigevent *sevp, timer_t *timerid)
{
	if (sevp && sevp->sigev_notify == SIGEV_THREAD) {
		errno = ENOTSUP;
		return -1;
	}
	return (int)__syscall_ret(__syscall3(__NR_timer_create, clockid, (long)sevp, (long)timerid));
}

int timer_settime(timer_t timerid, int flags, const struct itimerspec *new_value, struct itimerspec *old_value)
{
	return (int)__syscall_ret(__syscall4(__NR_timer_settime, timerid, flags, (long)new_value, (long)old_value));
}

int timer_gettime(timer_t timerid, struct itimerspec *curr_value)
{
	return (int)__syscall_ret(__syscall2(__NR_timer_gettime, timerid, (long)curr_value));
}

int timer_getoverrun(timer_t timerid)
{
	return (int)__syscall_ret(__syscall1(__NR_timer_getoverrun, timerid));
}

int timer_delete(timer_t timerid)
{
	return (int)__syscall_ret(__syscall1(__NR_timer_delete, timerid));
}
