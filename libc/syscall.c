/*
 * C library: the errno convention (course section: the C library on raw
 * syscalls).
 *
 * The kernel reports an error by returning -errno, e.g. -2 for ENOENT. C
 * programs instead expect -1 and the number in the global errno. Every
 * wrapper passes the raw result through __syscall_ret to convert it.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>

#include "syscall_headers.h"

int errno;

/* Why -4095: no successful syscall returns a value that large as an
 * unsigned number (addresses up there belong to the kernel), so the top 4095
 * values are free to mean errors. mmap can legitimately return an address
 * that is "negative" as a long, which is why the test is not simply r < 0. */
long __syscall_ret(unsigned long r)
{
	if (r > -4096UL) {
		errno = -(long)r;
		return -1;
	}
	return (long)r;
}

/*
 * syscall(SYS_write, 1, "hi\n", 3): any syscall by number. The caller passes
 * between zero and six arguments but we cannot know how many, so we always
 * read six. That is harmless on x86_64: the first five arguments after the
 * number travel in registers and the sixth in the caller's stack frame, so
 * reading one that was not passed just picks up a leftover value, which the
 * kernel then ignores because that syscall does not use it.
 */
long syscall(long number, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall6(number, a[0], a[1], a[2], a[3], a[4], a[5]));
}
