/*
 * Executable memory for JIT'd programs, write-xor-execute (course section:
 * eBPF, the revolution in kernel programming -- "from bytecode to machine
 * code").
 *
 * A JIT writes code, and code that can be written while it can run is what
 * an attacker wants most: one stray write into it and the kernel runs the
 * attacker's instructions. So, as the kernel's own text (mm/paging.c), no
 * page here is ever writable and executable at once:
 *
 *   jit_mem_alloc   fresh frames mapped read+write, no-execute (NX), filled
 *                   with int3 so that a jump into the slack traps
 *   ...             the JIT's last pass writes the code
 *   jit_mem_seal    the same frames remapped read-only and executable; the
 *                   TLB entry of each page is flushed so the old, writable
 *                   translation cannot linger
 *   jit_mem_free    unmapped, frames back to the allocator
 *
 * The pages live in their own area (mm/layout.h), 1 GiB below the kernel
 * image: close enough that a 32-bit relative call reaches every helper in
 * the kernel's text. Each image gets whole pages and an unmapped page
 * after it, so running off its end faults instead of running the next.
 * (The frames are also in the direct map, writable there as all RAM is --
 * Linux has the same alias; a stray write would have to aim at it.)
 */
#include "kernel/bpf/jit.h"
#include "arch/x86_64/x86.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/paging.h"

#define AREA_PAGES (BPF_JIT_AREA_SIZE / PAGE_SIZE)
#define INT3 0xcc

static uint8_t area_used[AREA_PAGES / 8];

static bool page_used(size_t p) { return area_used[p / 8] & (1 << (p % 8)); }

static void mark(size_t first, size_t pages, bool used)
{
	for (size_t p = first; p < first + pages; p++) {
		if (used)
			area_used[p / 8] |= 1 << (p % 8);
		else
			area_used[p / 8] &= ~(1 << (p % 8));
	}
}

/* The first run of `pages` free pages with a free guard page after it.
 * First fit, so that a load after an unload takes the same pages again:
 * the page tables under the area are made once, at the high-water mark,
 * and a program's load and unload leave no trace. Returns the first page's
 * number, or -1. */
static long area_alloc(size_t pages)
{
	size_t run = 0;
	for (size_t p = 0; p < AREA_PAGES; p++) {
		run = page_used(p) ? 0 : run + 1;
		if (run == pages + 1) {
			size_t first = p + 1 - run;
			mark(first, pages, true);
			return first;
		}
	}
	return -1;
}

static uint64_t page_va(size_t page) { return BPF_JIT_AREA + page * PAGE_SIZE; }

static size_t pages_of(uint32_t size) { return ALIGN_UP((size_t)size, PAGE_SIZE) / PAGE_SIZE; }

static void unmap_and_free(uint64_t va, size_t pages)
{
	for (size_t i = 0; i < pages; i++) {
		phys_addr_t f = unmap_page(kernel_pml4, va + i * PAGE_SIZE);
		if (f)
			frame_free(f);
	}
	mark((va - BPF_JIT_AREA) / PAGE_SIZE, pages, false);
}

void *jit_mem_alloc(uint32_t size)
{
	size_t pages = pages_of(size);
	long first = pages ? area_alloc(pages) : -1;
	if (first < 0)
		return NULL;
	uint64_t va = page_va(first);
	for (size_t i = 0; i < pages; i++) {
		phys_addr_t f = frame_alloc();
		if (!f) {
			unmap_and_free(va, pages);
			return NULL;
		}
		kernel_map_page(va + i * PAGE_SIZE, f, PTE_W | pte_nx()); /* writable, not executable */
	}
	memset((void *)va, INT3, pages * PAGE_SIZE);
	return (void *)va;
}

void jit_mem_seal(void *image, uint32_t size)
{
	uint64_t va = (uint64_t)image;
	for (size_t i = 0; i < pages_of(size); i++) {
		uint64_t *pte = pte_lookup(kernel_pml4, va + i * PAGE_SIZE, false);
		kernel_map_page(va + i * PAGE_SIZE, *pte & PTE_ADDR_MASK, 0); /* read+execute only */
	}
}

void jit_mem_free(void *image, uint32_t size)
{
	unmap_and_free((uint64_t)image, pages_of(size));
}
