/*
 * C library: sysinfo (course section: the C library on raw syscalls).
 *
 * One call for the system's vital signs: uptime, memory and processes.
 * Memory counts are in units of mem_unit bytes (multiply before comparing).
 * `free` gets the same numbers from /proc/meminfo.
 */
#ifndef LIBC_SYS_SYSINFO_H
#define LIBC_SYS_SYSINFO_H

#include "abi/sysinfo.h"

int sysinfo(struct sysinfo *info);

#endif
