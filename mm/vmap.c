/*
 * vmap: frames seen at consecutive kernel addresses (course section:
 * memory).
 *
 * The direct map shows physical memory as it is: a block of frames is
 * contiguous there only if the frames are. vmap builds a view of its own in
 * an area of the kernel half kept for it (VMAP_AREA): any frames, in any
 * order, even the same frame twice. A BPF ring buffer maps its data pages
 * twice in a row, so that a record running off the end continues at the
 * start without the writer noticing (kernel/bpf/map_ringbuf.c).
 *
 * Addresses are handed out upward from the start of the area; a range that
 * is given back goes on a free list and is reused by a later request it
 * can hold. Each range keeps an unmapped guard page after it, so a run past
 * its end faults instead of writing into a neighbour.
 */
#include "mm/vmap.h"
#include "arch/x86_64/cpu.h"
#include "kernel/list.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/paging.h"

struct free_range {
	struct list_node node;
	uint64_t start;
	size_t pages; /* guard page included */
};

static uint64_t next_free = VMAP_AREA;    /* below it: handed out at least once */
static struct list_node free_ranges = LIST_INIT(free_ranges);

/* A free range of pages (guard included), or 0. */
static uint64_t range_alloc(size_t pages)
{
	struct list_node *n;
	list_for_each(n, &free_ranges) {
		struct free_range *r = list_entry(n, struct free_range, node);
		if (r->pages < pages)
			continue;
		uint64_t start = r->start;
		r->start += pages * PAGE_SIZE;
		r->pages -= pages;
		if (!r->pages) {
			list_remove(&r->node);
			kfree(r);
		}
		return start;
	}
	if (pages > (VMAP_AREA + VMAP_AREA_SIZE - next_free) / PAGE_SIZE)
		return 0;
	uint64_t start = next_free;
	next_free += pages * PAGE_SIZE;
	return start;
}

static void range_free(uint64_t start, size_t pages)
{
	struct free_range *r = kmalloc(sizeof(*r));
	if (!r)
		return; /* the addresses are lost, not the memory behind them */
	r->start = start;
	r->pages = pages;
	list_push_back(&free_ranges, &r->node);
}

void *vmap(const phys_addr_t *frames, size_t n)
{
	uint64_t irq = irq_save();
	uint64_t start = range_alloc(n + 1);
	irq_restore(irq);
	if (!start)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (map_page(kernel_pml4, start + i * PAGE_SIZE, frames[i], PTE_W | PTE_G | pte_nx())) {
			vunmap((void *)start, i); /* out of memory for a page table */
			return NULL;
		}
	return (void *)start;
}

void vunmap(void *addr, size_t n)
{
	uint64_t start = (uint64_t)addr;
	for (size_t i = 0; i < n; i++)
		kernel_unmap_page(start + i * PAGE_SIZE); /* and its TLB entry */
	uint64_t irq = irq_save();
	range_free(start, n + 1);
	irq_restore(irq);
}
