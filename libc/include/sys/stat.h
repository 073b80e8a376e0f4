/*
 * C library: file metadata (course section: the C library on raw syscalls).
 *
 * struct stat as the x86_64 kernel fills it (144 bytes), and the bits of
 * st_mode: the file type in the top bits (S_IFMT), the permissions in the
 * low twelve (octal 07777).
 */
#ifndef LIBC_SYS_STAT_H
#define LIBC_SYS_STAT_H

#include <sys/types.h>
#include <time.h>

#include "abi/stat.h"

/* stat follows a symbolic link, lstat describes the link itself, fstat an
 * open descriptor; fstatat takes a path relative to a directory descriptor
 * (or AT_FDCWD) and AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH in flags. */
int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int fstatat(int dirfd, const char *path, struct stat *st, int flags);

int mkdir(const char *path, mode_t mode);
/* The permission bits (and set-id, sticky): mode & 07777. */
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
int fchmodat(int dirfd, const char *path, mode_t mode, int flags);

/* Sets the bits new files and directories never get; returns the old mask. */
mode_t umask(mode_t mask);
int mkdirat(int dirfd, const char *path, mode_t mode);

/* utimensat: set atime and mtime (times[0], times[1]); NULL: both now.
 * A tv_nsec of UTIME_NOW means now, UTIME_OMIT leaves that one. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
struct timespec;
int utimensat(int dirfd, const char *path, const struct timespec *times, int flags);

#endif
