/* Linux x86_64's struct sysinfo, 112 bytes (course section: the Linux ABI). */
#ifndef ABI_SYSINFO_H
#define ABI_SYSINFO_H

/* Memory counts are in units of mem_unit bytes. */
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

_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo is 112 bytes");

#endif
