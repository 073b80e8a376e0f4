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

/* Bytes handed out and not yet freed: the tests' leak detector. */
size_t heap_bytes_in_use(void);

#endif
