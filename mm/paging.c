/*
 * 4-level paging (course section: memory).
 *
 * A virtual address is split into four 9-bit indexes and a 12-bit offset:
 *   PML4 index (bits 47-39) -> PDPT index (38-30) -> PD index (29-21)
 *   -> PT index (20-12) -> offset in the 4 KiB page (11-0).
 * Each table is one 4 KiB frame of 512 entries. An entry holds the physical
 * address of the next table (or of the page) and permission bits
 * (arch/x86_64/x86.h): present, writable, user, no-execute...
 *
 * The kernel half of every address space is the same: entries 256-511 of
 * each PML4 are copied from kernel_pml4, and the tables under them are
 * created once at boot, so a kernel mapping added later is seen by all.
 */
#include "mm/paging.h"
#include "arch/x86_64/cpu.h"
#include "kernel/init/bootinfo.h"
#include "kernel/printk.h"
#include "libc/include/abi/errno.h"
#include "mm/frame.h"

phys_addr_t kernel_pml4;
bool cpu_has_nx, cpu_has_smep, cpu_has_smap;

extern char _text_start[], _text_end[], _rodata_end[], _data_end[], _kernel_end[];
extern char boot_stack_guard[];
extern uint8_t uaccess_smap; /* arch/x86_64/usercopy.asm */

#define KERNEL_HALF_FIRST 256
#define PML4_INDEX(va) (((va) >> 39) & 511)
#define KSTACK_PML4 PML4_INDEX(KSTACK_AREA)
#define VMAP_PML4 PML4_INDEX(VMAP_AREA)
#define DIRECT_MAP_PML4 PML4_INDEX(DIRECT_MAP_BASE)
#define KERNEL_PML4 PML4_INDEX(KERNEL_VMA)

static inline uint64_t *table(phys_addr_t pa) { return phys_to_virt(pa & PTE_ADDR_MASK); }

uint64_t pte_nx(void) { return cpu_has_nx ? PTE_NX : 0; }

/* Return the next-level table under entry e, creating it if asked. */
static uint64_t *next_level(uint64_t *e, bool create, uint64_t flags)
{
	if (!(*e & PTE_P)) {
		if (!create)
			return NULL;
		phys_addr_t t = frame_alloc();
		if (!t)
			return NULL;
		*e = t | flags;
	}
	BUG_ON(*e & PTE_PS); /* no large pages below the direct map */
	return table(*e);
}

uint64_t *pte_lookup(phys_addr_t pml4, uint64_t va, bool create)
{
	/* Intermediate entries are permissive; the leaf entry decides. */
	uint64_t flags = PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
	uint64_t *t = table(pml4);
	for (int shift = 39; shift > 12; shift -= 9) {
		t = next_level(&t[(va >> shift) & 511], create, flags);
		if (!t)
			return NULL;
	}
	return &t[(va >> 12) & 511];
}

int map_page(phys_addr_t pml4, uint64_t va, phys_addr_t pa, uint64_t flags)
{
	uint64_t *pte = pte_lookup(pml4, va, true);
	if (!pte)
		return -ENOMEM;
	*pte = pte_make(pa, flags);
	flush_tlb_page(va);
	return 0;
}

phys_addr_t unmap_page(phys_addr_t pml4, uint64_t va)
{
	uint64_t *pte = pte_lookup(pml4, va, false);
	if (!pte || !(*pte & PTE_P))
		return 0;
	phys_addr_t pa = *pte & PTE_ADDR_MASK;
	*pte = 0;
	flush_tlb_page(va);
	return pa;
}

/* Visit only the entries of table t (covering [base, base + 512 << shift))
 * that overlap [start, end): the walk of a small range costs a few entries
 * a level, not 512. */
static void walk_level(uint64_t *t, int shift, uint64_t base, uint64_t start, uint64_t end, pte_fn fn,
		       void *ctx)
{
	uint64_t span = 1ull << shift;
	int first = start > base ? (int)((start - base) >> shift) : 0;
	int last = MIN((end - 1 - base) >> shift, 511ull);
	for (int i = first; i <= last; i++) {
		uint64_t lo = base + i * span;
		if (!(shift == 12 ? pte_has_frame(t[i]) : (t[i] & PTE_P)))
			continue;
		if (shift == 12)
			fn(&t[i], lo, ctx);
		else
			walk_level(table(t[i]), shift - 9, lo, start, end, fn, ctx);
	}
}

void walk_range(phys_addr_t pml4, uint64_t start, uint64_t end, pte_fn fn, void *ctx)
{
	/* Only the user half: its addresses need no sign extension. */
	end = MIN(end, (uint64_t)USER_TOP);
	if (start < end)
		walk_level(table(pml4), 39, 0, start, end, fn, ctx);
}

phys_addr_t pml4_create(void)
{
	phys_addr_t p = frame_alloc();
	if (!p)
		return 0;
	uint64_t *dst = table(p), *src = table(kernel_pml4);
	for (int i = KERNEL_HALF_FIRST; i < 512; i++)
		dst[i] = src[i];
	return p;
}

static void free_table(phys_addr_t t, int level)
{
	uint64_t *e = table(t);
	if (level > 1)
		for (int i = 0; i < 512; i++)
			if (e[i] & PTE_P)
				free_table(e[i] & PTE_ADDR_MASK, level - 1);
	frame_free(t);
}

void pml4_destroy(phys_addr_t pml4)
{
	uint64_t *e = table(pml4);
	for (int i = 0; i < KERNEL_HALF_FIRST; i++)
		if (e[i] & PTE_P)
			free_table(e[i] & PTE_ADDR_MASK, 3);
	frame_free(pml4);
}

void kernel_map_page(uint64_t va, phys_addr_t pa, uint64_t flags)
{
	BUG_ON(!(table(kernel_pml4)[PML4_INDEX(va)] & PTE_P)); /* kernel half is fixed at boot */
	if (map_page(kernel_pml4, va, pa, flags | PTE_G))
		panic("out of memory for kernel page tables");
}

void kernel_unmap_page(uint64_t va)
{
	unmap_page(kernel_pml4, va);
}

static void detect_features(void)
{
	uint32_t a, b, c, d;
	cpuid(CPUID_EXT_FEATURES, 0, &a, &b, &c, &d);
	cpu_has_nx = d & CPUID_EXT_EDX_NX;
	cpuid(7, 0, &a, &b, &c, &d);
	cpu_has_smep = b & CPUID_7_EBX_SMEP;
	cpu_has_smap = b & CPUID_7_EBX_SMAP;
}

/* Map all RAM at DIRECT_MAP_BASE with 2 MiB pages: read/write, never executable. */
static void map_direct(uint64_t *pdpt, uint64_t top)
{
	for (uint64_t pa = 0; pa < top; pa += LARGE_PAGE_SIZE) {
		uint64_t *pd = next_level(&pdpt[(pa >> 30) & 511], true, PTE_P | PTE_W);
		if (!pd)
			panic("out of memory building the direct map");
		pd[(pa >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | pte_nx();
	}
}

/* Map [start, end) of the kernel image with 4 KiB pages and these rights. */
static void map_image(char *start, char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE) {
		if (va == (uint64_t)boot_stack_guard)
			continue; /* the guard page below the boot stack stays unmapped */
		if (map_page(kernel_pml4, va, va - KERNEL_VMA, flags | PTE_G))
			panic("out of memory mapping the kernel");
	}
}

void paging_init(void)
{
	detect_features();
	kernel_pml4 = frame_alloc();
	uint64_t *pml4 = table(kernel_pml4);

	/* The kernel half's top-level entries that will ever be used. */
	int slots[] = { DIRECT_MAP_PML4, VMAP_PML4, KSTACK_PML4, KERNEL_PML4 };
	for (size_t i = 0; i < ARRAY_SIZE(slots); i++)
		if (!next_level(&pml4[slots[i]], true, PTE_P | PTE_W))
			panic("out of memory for the kernel page tables");

	uint64_t top = 0;
	for (int i = 0; i < boot_info.ram_count; i++)
		top = MAX(top, boot_info.ram[i].end);
	top = MAX(top, (uint64_t)VGA_TEXT_PHYS + PAGE_SIZE);
	map_direct(table(pml4[DIRECT_MAP_PML4]), ALIGN_UP(top, LARGE_PAGE_SIZE));

	map_image(_text_start, _text_end, 0);                       /* text: read, execute */
	map_image(_text_end, _rodata_end, pte_nx());                /* rodata: read only */
	map_image(_rodata_end, _data_end, PTE_W | pte_nx());        /* data, bss: read/write */
	map_image(_data_end, _kernel_end, pte_nx());                /* symbol table */

	write_cr4(read_cr4() | CR4_PGE);
	switch_address_space(kernel_pml4);
	if (cpu_has_smep)
		write_cr4(read_cr4() | CR4_SMEP); /* ring 0 may not execute user pages */
	if (cpu_has_smap) {
		write_cr4(read_cr4() | CR4_SMAP); /* ring 0 may not touch user pages, except under stac */
		uaccess_smap = 1;
	}
}
