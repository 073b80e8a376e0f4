/*
 * C library: limits (course section: the C library on raw syscalls).
 *
 * The sizes of the integer types (INT_MAX, LONG_MIN, ...) come from the
 * compiler's own limits.h, which #include_next finds after this directory;
 * this file adds the Linux limits on paths, pipes and arguments.
 */
#ifndef LIBC_LIMITS_H
#define LIBC_LIMITS_H

#include_next <limits.h>

#define PATH_MAX 4096		/* a path, with its NUL */
#define NAME_MAX 255		/* one component of a path */
#define PIPE_BUF 4096		/* writes up to this size to a pipe are atomic */
#define ARG_MAX 131072		/* argv and envp together, traditionally */
#define HOST_NAME_MAX 64
#define LOGIN_NAME_MAX 256
#define IOV_MAX 1024
#define SSIZE_MAX LONG_MAX

#endif
