/*
 * C library: error numbers (course section: the C library on raw syscalls).
 *
 * A failing syscall returns -E... in rax; the libc wrapper stores E... in
 * errno and returns -1. The numbers themselves (EPERM 1 ... EHWPOISON 133,
 * Linux's x86_64 values) are in <abi/errno.h>, which the kernel includes
 * too, so both sides always agree. libc/strerror.c has their messages.
 */
#ifndef LIBC_ERRNO_H
#define LIBC_ERRNO_H

#include <abi/errno.h>

/* One global: sysgate's programs are single-threaded (a threaded libc needs
 * one errno per thread, in thread-local storage). */
extern int errno;

#endif
