/*
 * C library: sendfile (course section: files; high-performance patterns).
 *
 * Copies count bytes from in_fd (a regular file) to out_fd inside the
 * kernel: at *offset, which moves, or at in_fd's position when offset is
 * NULL (kernel/fs/splice.c).
 */
#ifndef LIBC_SYS_SENDFILE_H
#define LIBC_SYS_SENDFILE_H

#include <sys/types.h>

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);

#endif
