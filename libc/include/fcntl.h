/*
 * C library: opening files (course section: the C library on raw syscalls).
 *
 * Flags for open(2) and fcntl(2), with Linux's x86_64 values (octal, as in
 * the kernel's own headers).
 */
#ifndef LIBC_FCNTL_H
#define LIBC_FCNTL_H

#include <sys/types.h>

#include "abi/fcntl.h"

/* A file with no name in the directory given (Linux 3.11). */
#define O_TMPFILE (020000000 | O_DIRECTORY)

/* Opens path, returns the lowest free descriptor. The mode (permissions of
 * a new file) is read only with O_CREAT or O_TMPFILE. */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int creat(const char *path, mode_t mode);	/* O_WRONLY|O_CREAT|O_TRUNC */
/* fcntl(fd, F_GETFL), fcntl(fd, F_SETFD, FD_CLOEXEC), fcntl(fd, F_DUPFD, 10) */
int fcntl(int fd, int cmd, ...);

#define FALLOC_FL_KEEP_SIZE 0x01
int fallocate(int fd, int mode, off_t offset, off_t len);
ssize_t readahead(int fd, off_t offset, size_t count);

/* Move data between a pipe and a file inside the kernel (kernel/fs/splice.c);
 * tee copies from one pipe to another and leaves it in the first. SPLICE_F_*
 * come from <abi/fcntl.h>. */
ssize_t splice(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len, unsigned int flags);
ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags);

#endif
