/*
 * C library: the kernel's basic types (course section: the C library on raw
 * syscalls).
 *
 * The sizes are those of the Linux x86_64 ABI, because the same binaries run
 * on Linux and on sysgate and the kernel reads and writes these types in
 * structs shared with user programs (struct stat, struct timespec, ...).
 */
#ifndef LIBC_SYS_TYPES_H
#define LIBC_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;		/* a size, or -1 for an error */
typedef long off_t;		/* a position in a file */
typedef int pid_t;		/* process (and thread) id */
typedef int id_t;		/* any of pid_t, uid_t, gid_t (for waitid) */
typedef unsigned int uid_t;	/* user id */
typedef unsigned int gid_t;	/* group id */
typedef unsigned int mode_t;	/* file type and permission bits */
typedef unsigned long dev_t;	/* device number (major and minor) */
typedef unsigned long ino_t;	/* inode number */
typedef unsigned long nlink_t;	/* number of hard links */
typedef long blksize_t;
typedef long blkcnt_t;
typedef long time_t;		/* seconds since 1970-01-01 00:00 UTC */
typedef long suseconds_t;	/* microseconds */
typedef unsigned int useconds_t;
typedef int clockid_t;		/* CLOCK_REALTIME, CLOCK_MONOTONIC, ... */
typedef long clock_t;		/* clock ticks (times) */
typedef int key_t;

#endif
