/*
 * C library: sysinfo (course section: the C library on raw syscalls).
 *
 * One call for the system's vital signs: uptime, memory and processes.
 * Memory counts are in units of mem_unit bytes (multiply before comparing).
 * `free` gets the same numbers from /proc/meminfo.
 */
#ifndef LIBC_SYS_SYSINFO_H
#define LIBC_SYS_SYSINFO_H

struct sysinfo {
	long uptime;             /* seconds since boot */
	unsigned long loads[3];  /* load averages over 1, 5, 15 minutes, times 65536 */
	unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs;    /* processes that exist */
	unsigned short pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _reserved[4];
};

int sysinfo(struct sysinfo *info);

#endif
