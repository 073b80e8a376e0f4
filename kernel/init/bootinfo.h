/* What the boot loader told us: memory map, modules, command line (course section: booting). */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include "kernel/types.h"

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024
#define BOOT_MAX_ARGS 32

struct phys_range {
	uint64_t start, end; /* [start, end) */
};

struct boot_module {
	struct phys_range range;
	char name[64]; /* the module's command line in grub.cfg, e.g. "initrd" */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[64];
	struct phys_range ram[BOOT_MAX_REGIONS]; /* usable RAM */
	int ram_count;
	struct boot_module modules[BOOT_MAX_MODULES];
	int module_count;
	struct phys_range info; /* the multiboot2 information itself */
	/* The command line split into words ("quoted words" allowed). */
	char *argv[BOOT_MAX_ARGS + 1];
	int argc;
};

extern struct boot_info boot_info;

#define PVH_BOOT_MAGIC 0x336ec578 /* eax from boot.asm's pvh_start */

/* Parse the boot information at physical address `info`: multiboot2's
 * (from GRUB) or, when magic is PVH_BOOT_MAGIC, PVH's start_info. */
void bootinfo_parse(uint32_t magic, uint32_t info);
/* PVH's start_info (kernel/init/bootinfo_pvh.c). */
void bootinfo_parse_pvh(uint32_t start_info);
/* What either parser found, recorded in boot_info. */
void bootinfo_add_ram(uint64_t base, uint64_t len);
void bootinfo_add_module(uint64_t start, uint64_t end, const char *name);
void bootinfo_set_cmdline(const char *cmdline);
/* The value of `key=value` on the command line, or NULL. */
const char *bootinfo_option(const char *key);
/* Is the bare word `flag` on the command line? */
bool bootinfo_flag(const char *flag);

/* Split `s` in place into words; returns their count. Pure: host-tested. */
int split_cmdline(char *s, char **argv, int max);

#endif
