/*
 * Reading PVH's start_info: booting without GRUB (course section: booting).
 *
 * `qemu -kernel build/kernel.elf -initrd FILE -append "CMDLINE"` needs no
 * boot loader on a disk: QEMU finds the "Xen" PHYS32_ENTRY note in the ELF
 * (arch/x86_64/boot.asm), loads the segments at their physical addresses,
 * and a small option ROM of QEMU's (pvh.bin) enters pvh_start with ebx
 * pointing at a start_info structure -- the PVH boot ABI that Xen defined
 * and Linux's own `vmlinux` uses under QEMU. It holds what multiboot2's tags
 * hold: the command line, the modules (the initrd is module 0) and, from
 * version 1 on, the memory map in the e820 format. Test boots use it
 * because skipping GRUB saves nine tenths of the boot; `make run` keeps GRUB.
 */
#include "kernel/init/bootinfo.h"
#include "kernel/printk.h"
#include "libc/include/string.h"
#include "mm/paging.h"

#define E820_RAM 1

struct pvh_start_info {
	uint32_t magic; /* PVH_BOOT_MAGIC */
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct pvh_module {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct pvh_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

void bootinfo_parse_pvh(uint32_t start_info)
{
	const struct pvh_start_info *si = phys_to_virt(start_info);
	if (si->magic != PVH_BOOT_MAGIC || si->version < 1)
		panic("PVH start_info: magic %#x version %u (a memory map needs version 1)", si->magic,
		      si->version);
	boot_info.info = (struct phys_range){ start_info, start_info + sizeof(*si) };
	strncpy(boot_info.loader, "PVH (qemu -kernel)", sizeof(boot_info.loader) - 1);
	if (si->cmdline_paddr)
		bootinfo_set_cmdline(phys_to_virt(si->cmdline_paddr));

	const struct pvh_module *mods = phys_to_virt(si->modlist_paddr);
	for (uint32_t k = 0; si->modlist_paddr && k < si->nr_modules; k++) {
		const char *name = mods[k].cmdline_paddr ? phys_to_virt(mods[k].cmdline_paddr) : "initrd";
		bootinfo_add_module(mods[k].paddr, mods[k].paddr + mods[k].size, name);
	}

	const struct pvh_memmap_entry *map = phys_to_virt(si->memmap_paddr);
	for (uint32_t k = 0; k < si->memmap_entries; k++)
		if (map[k].type == E820_RAM)
			bootinfo_add_ram(map[k].addr, map[k].size);
}
