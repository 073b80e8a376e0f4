/* 4-level page tables (course section: memory). */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include "arch/x86_64/x86.h"
#include "kernel/types.h"
#include "mm/phys.h"

/* The kernel's own PML4 (physical address), the template for every address space. */
extern phys_addr_t kernel_pml4;
extern bool cpu_has_nx, cpu_has_smep, cpu_has_smap;

/* Build the kernel's final page tables and switch to them. */
void paging_init(void);

/* The level-1 entry that maps `va`, creating missing tables if `create`
 * (user tables are created user-accessible; the leaf decides). NULL if
 * absent, or if memory runs out. */
uint64_t *pte_lookup(phys_addr_t pml4, uint64_t va, bool create);

/*
 * A leaf entry with a frame in it: present, or PROT_NONE. A PROT_NONE page
 * is kept not present, so that every access faults -- the program's, and
 * the kernel's user copies too (with only the user bit clear, ring 0 could
 * still read it, and write(fd, p, n) would succeed where Linux says EFAULT)
 * -- while the entry keeps the frame, and the contents come back with
 * mprotect.
 */
static inline bool pte_has_frame(uint64_t e)
{
	return e & (PTE_P | PTE_PROTNONE);
}

/* The entry for frame pa with these flags: present unless PROT_NONE. */
static inline uint64_t pte_make(phys_addr_t pa, uint64_t flags)
{
	return pa | flags | ((flags & PTE_PROTNONE) ? 0 : PTE_P);
}

/* Map one 4 KiB page; -ENOMEM if a page table cannot be allocated. */
int map_page(phys_addr_t pml4, uint64_t va, phys_addr_t pa, uint64_t flags);
/* Remove a mapping; returns the frame it mapped (not freed), or 0. */
phys_addr_t unmap_page(phys_addr_t pml4, uint64_t va);

/* A new address space: empty user half, the shared kernel half. */
phys_addr_t pml4_create(void);
/* Free the user half's page tables (the mapped frames must be released first). */
void pml4_destroy(phys_addr_t pml4);

void kernel_map_page(uint64_t va, phys_addr_t pa, uint64_t flags);
void kernel_unmap_page(uint64_t va);

static inline void switch_address_space(phys_addr_t pml4)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(pml4) : "memory");
}

static inline void flush_tlb_page(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

/* Call fn for every leaf entry with a frame (pte_has_frame) in [start, end),
 * skipping absent tables, so sparse ranges cost little. */
typedef void (*pte_fn)(uint64_t *pte, uint64_t va, void *ctx);
void walk_range(phys_addr_t pml4, uint64_t start, uint64_t end, pte_fn fn, void *ctx);

/* Data pages are never executable when the CPU supports NX. */
uint64_t pte_nx(void);

#endif
