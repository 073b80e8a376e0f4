/*
 * C library: nice values (course section: processes).
 *
 * The kernel's getpriority returns 20 - nice (1..40), so that no nice
 * value looks like an error; the library turns it back into -20..19, as
 * every C library does. So a caller must clear errno first to tell a nice
 * of -1 from a failure. nice(inc) is setpriority on the caller, returning
 * the new value (Linux has no nice syscall on x86_64).
 */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "syscall_headers.h"

int getpriority(int which, int who)
{
	long r = __syscall2(__NR_getpriority, which, who);
	if (r < 0)
		return (int)__syscall_ret(r);
	return 20 - (int)r;
}

int nice(int inc)
{
	errno = 0;
	int now = getpriority(PRIO_PROCESS, 0);
	if (now == -1 && errno)
		return -1;
	if (setpriority(PRIO_PROCESS, 0, now + inc) != 0) {
		if (errno == EACCES)
			errno = EPERM; /* nice(2)'s errno for "not allowed", as glibc and musl say */
		return -1;
	}
	return getpriority(PRIO_PROCESS, 0);
}
