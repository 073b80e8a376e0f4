/*
 * C library: device control and terminal modes (course section: the C
 * library on raw syscalls).
 *
 * ioctl is written by hand rather than generated from kernel/syscalls.tbl
 * because its C prototype is variadic: the third argument is an integer for
 * some requests and a pointer for others, and the caller should not need a
 * cast either way. In registers both are just 64 bits, so we read it as an
 * unsigned long and pass it on.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "syscall_arch.h"
#include "syscall_headers.h"

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	unsigned long arg;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(__NR_ioctl, fd, (long)request, (long)arg));
}

int tcgetattr(int fd, struct termios *t)
{
	return ioctl(fd, TCGETS, t);
}

/* when is TCSANOW, TCSADRAIN or TCSAFLUSH, and the three requests are
 * numbered in the same order: TCSETS, TCSETSW, TCSETSF. */
int tcsetattr(int fd, int when, const struct termios *t)
{
	if (when < TCSANOW || when > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, TCSETS + (unsigned long)when, t);
}
