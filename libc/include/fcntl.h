/*
 * C library: opening files (course section: the C library on raw syscalls).
 *
 * Flags for open(2) and fcntl(2), with Linux's x86_64 values (octal, as in
 * the kernel's own headers). The open and fcntl functions arrive with the
 * file system.
 */
#ifndef LIBC_FCNTL_H
#define LIBC_FCNTL_H

#include <sys/types.h>

#include "abi/fcntl.h"

#endif
