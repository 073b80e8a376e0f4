/*
 * How many CPUs there can be (course section: advanced eBPF tracing):
 * per-CPU maps hold one value per possible CPU, and a perf buffer needs
 * one perf event per CPU. Linux says it in /sys/devices/system/cpu/possible
 * ("0-1"); where that file is missing, /proc/cpuinfo's "processor" lines
 * are counted, and with neither there is one CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpflib.h"

static int from_possible(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char line[64];
	if (!f)
		return 0;
	int n = 0;
	if (fgets(line, sizeof(line), f)) {
		/* A list of ranges: "0-3,5" is 5 CPUs, numbered up to 5: we need 6 slots. */
		char *p = line;
		while (*p >= '0' && *p <= '9') {
			long last = strtol(p, &p, 10);
			if (*p == '-')
				last = strtol(p + 1, &p, 10);
			if (last + 1 > n)
				n = (int)last + 1;
			if (*p != ',')
				break;
			p++;
		}
	}
	fclose(f);
	return n;
}

static int from_cpuinfo(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	int n = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "processor", 9) == 0)
			n++;
	fclose(f);
	return n;
}

int possible_cpus(void)
{
	static int cached;
	if (!cached) {
		cached = from_possible();
		if (cached <= 0)
			cached = from_cpuinfo();
		if (cached <= 0)
			cached = 1;
	}
	return cached;
}
