/*
 * C library: syscall numbers (course section: the syscall gate).
 *
 * SYS_read, SYS_write, ... and the __NR_ names come from syscall_nr.h, which
 * tools/gensyscalls.awk generates from kernel/syscalls.tbl: the same numbers
 * the kernel dispatches on, and the same as Linux's.
 */
#ifndef LIBC_SYS_SYSCALL_H
#define LIBC_SYS_SYSCALL_H

#include "syscall_nr.h"

/* Performs syscall `number` with up to six long arguments. Returns the result,
 * or -1 with errno set if the kernel returned -errno. */
long syscall(long number, ...);

#endif
