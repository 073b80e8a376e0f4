/* kmalloc/kfree: the kernel heap (course section: memory). */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include "kernel/types.h"

void *kmalloc(size_t size);
void *kzalloc(size_t size); /* zeroed */
void kfree(void *p);

/* Bytes handed out and not yet freed: the tests' leak detector. */
size_t heap_bytes_in_use(void);

#endif
