/* kmalloc/kfree: the kernel heap (course section: memory). */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "kernel/types.h"

void *kmalloc(size_t size);
void *kzalloc(size_t size); /* zeroed */
void kfree(void *p);

/* The allocator itself, under kmalloc and kfree (KASAN wraps it). */
void *heap_alloc(size_t size);
void heap_free(void *p);
/* The slot (object start and size) holding addr, if addr is in the heap. */
bool heap_slot_of(uint64_t addr, uint64_t *start, size_t *size);

/* Every block of the heap, for the leak scanner (kernel/debug/kmemleak.c):
 * a slab's objects, or one large object, and which of them are free. */
struct heap_block {
	uint64_t first;       /* the first object */
	size_t object_size;   /* objects follow each other at this stride */
	size_t count;         /* objects in the block (at most 128) */
	uint64_t free_mask[2]; /* bit i: object i is free */
};
size_t heap_blocks(struct heap_block *out, size_t max); /* call with interrupts off */
size_t heap_block_count(void);

/* Bytes handed out and not yet freed: the tests' leak detector. */
size_t heap_bytes_in_use(void);
/* Frames the heap holds (slabs and large runs): how many depends on how its
 * objects are packed, so a leak check adds them to the free frames. */
size_t heap_frames_held(void);

#endif
