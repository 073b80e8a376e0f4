/* The physical frame allocator (course section: memory). */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include "kernel/types.h"
#include "kernel/init/bootinfo.h"

/* Set up from the usable RAM, keeping every reserved range out. */
void frames_init(const struct phys_range *ram, int nram, const struct phys_range *reserved, int nreserved);

/* One zeroed 4 KiB frame with a reference count of 1, or 0 when memory is full. */
phys_addr_t frame_alloc(void);
/* n physically contiguous frames for the heap's large blocks, or 0. Not
 * zeroed: kmalloc's memory never is (kzalloc zeroes what it needs), and an
 * exec's 256 KiB argument buffer should not cost 64 pages of zeroing. */
phys_addr_t frame_alloc_contig(size_t n);
/* Drop one reference; the frame is free again when none is left. */
void frame_free(phys_addr_t frame);
void frame_free_contig(phys_addr_t frame, size_t n);
/* One more reference: a frame shared by two mappings (fork, shared memory). */
void frame_ref(phys_addr_t frame);
unsigned frame_refcount(phys_addr_t frame);

/* Counters used by the tests to prove nothing leaks. */
size_t frames_free_count(void);
size_t frames_total_count(void);

#endif
