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

#endif
