/*
 * C library: scheduling (course section: the C library on raw syscalls).
 *
 * sched_yield gives up the CPU: the scheduler runs another ready task, if
 * there is one, and this one later continues where it was.
 */
#ifndef LIBC_SCHED_H
#define LIBC_SCHED_H

#include <sys/types.h>

int sched_yield(void);

/* clone(2) flags, for when the kernel grows threads and fork. */
#define CSIGNAL 0x000000ff		/* signal sent to the parent at exit */
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

#endif
