/*
 * C library: files and descriptors, the hand-written wrappers (course
 * section: files).
 *
 * Most file syscalls get their wrapper generated from kernel/syscalls.tbl.
 * These are the ones whose C interface differs from the raw syscall:
 *   - open, openat, fcntl are variadic in C (the mode or argument is
 *     optional) while the kernel always takes the full set of registers;
 *   - fstatat and faccessat are the C names of newfstatat and (a flag-less)
 *     faccessat; fchmodat likewise;
 *   - sync returns nothing in C;
 *   - getcwd returns a pointer in C but a length from the kernel;
 *   - pread, pwrite are the C names of pread64, pwrite64;
 *   - preadv and friends pass the offset as two halves (low, high), the
 *     layout 32-bit kernels need, and the flags after them;
 *   - isatty is not a syscall at all: "is this a terminal?" is answered by
 *     asking for the terminal's modes and seeing whether that works.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "syscall_headers.h"

/* The mode matters only when a file may be created; otherwise whatever is
 * in the register is ignored by the kernel, and reading an argument the
 * caller did not pass is not allowed in C, so we pass 0. */
static mode_t mode_arg(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return va_arg(ap, mode_t);
	return 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(__NR_open, (long)path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return (int)__syscall_ret(__syscall4(__NR_openat, dirfd, (long)path, flags, mode));
}

/* Every fcntl command takes either nothing, an int or a pointer: all fit
 * in the one 64-bit register, so reading it as unsigned long is enough. */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	unsigned long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(__NR_fcntl, fd, cmd, (long)arg));
}

/* "new" because Linux kept an older fstatat with a smaller struct stat. */
int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)__syscall_ret(__syscall4(__NR_newfstatat, dirfd, (long)path,
					     (long)st, flags));
}

/* Syscall 269 has no flags argument: faccessat2 (439) added one
 * (AT_EACCESS...), so flags go there, as glibc does. */
int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (flags == 0)
		return (int)__syscall_ret(__syscall3(__NR_faccessat, dirfd, (long)path, mode));
	return (int)__syscall_ret(__syscall4(__NR_faccessat2, dirfd, (long)path, mode, flags));
}

/* Syscall 268 has no flags argument either (fchmodat2 added one). */
int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	if (flags != 0) {
		errno = EINVAL;
		return -1;
	}
	return (int)__syscall_ret(__syscall3(__NR_fchmodat, dirfd, (long)path, mode));
}

/* sync cannot fail, so C gives it no result. */
void sync(void)
{
	__syscall0(__NR_sync);
}

/* The kernel returns the length of the path (with its NUL); C wants buf. */
char *getcwd(char *buf, size_t size)
{
	if (__syscall_ret(__syscall2(__NR_getcwd, (long)buf, (long)size)) < 0)
		return NULL;
	return buf;
}

ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)
{
	return __syscall_ret(__syscall6(__NR_preadv2, fd, (long)iov, iovcnt, offset, 0, flags));
}

ssize_t pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)
{
	return __syscall_ret(__syscall6(__NR_pwritev2, fd, (long)iov, iovcnt, offset, 0, flags));
}

ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return __syscall_ret(__syscall5(__NR_preadv, fd, (long)iov, iovcnt, offset, 0));
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return __syscall_ret(__syscall5(__NR_pwritev, fd, (long)iov, iovcnt, offset, 0));
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	return pread64(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return pwrite64(fd, buf, count, offset);
}

ssize_t getdents64(int fd, void *buf, size_t count)
{
	return __syscall_ret(__syscall3(__NR_getdents64, fd, (long)buf, (long)count));
}

/* Only a terminal answers TCGETS; anything else fails with ENOTTY. */
int isatty(int fd)
{
	struct termios t;

	return ioctl(fd, TCGETS, &t) == 0;
}

/* remove() works for both kinds of name: try unlink, and if that refuses
 * because it is a directory, rmdir. */
int remove(const char *path)
{
	if (unlink(path) == 0)
		return 0;
	if (errno == EISDIR)
		return rmdir(path);
	return -1;
}

/* The kernel takes bufsiz as an int: a size past INT_MAX is cut there,
 * so that it cannot turn negative on the way in. */
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz)
{
	int n = bufsiz > 0x7fffffff ? 0x7fffffff : (int)bufsiz;
	return __syscall_ret(__syscall4(__NR_readlinkat, dirfd, (long)path, (long)buf, n));
}

ssize_t readlink(const char *path, char *buf, size_t bufsiz)
{
	return readlinkat(AT_FDCWD, path, buf, bufsiz);
}
