/*
 * C library: sleeping, alarms and the clock (course section: processes).
 *
 * The kernel sleeps in nanoseconds (nanosleep); sleep and usleep convert.
 * A sleep can end early when a signal handler runs: nanosleep then fails
 * with EINTR and tells how much time was left, which sleep returns.
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "syscall_headers.h"

unsigned int sleep(unsigned int seconds)
{
	struct timespec req = { .tv_sec = seconds }, rem = { 0 };

	if (nanosleep(&req, &rem) == 0)
		return 0;
	/* Interrupted: round what is left up, so that 0 means "all slept". */
	return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
}

int usleep(useconds_t usec)
{
	struct timespec req = {
		.tv_sec = usec / 1000000,
		.tv_nsec = (long)(usec % 1000000) * 1000,
	};

	return nanosleep(&req, NULL);
}

/* Never fails: returns the seconds that were left on the previous alarm. */
unsigned int alarm(unsigned int seconds)
{
	return (unsigned int)__syscall1(__NR_alarm, seconds);
}

/* Returns the error number itself, as POSIX says (and not -1/errno). */
int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	return -(int)__syscall4(__NR_clock_nanosleep, clockid, flags, (long)req, (long)rem);
}

int gettimeofday(struct timeval *tv, void *tz)
{
	return (int)__syscall_ret(__syscall2(__NR_gettimeofday, (long)tv, (long)tz));
}
