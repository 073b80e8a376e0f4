/* vmap: frames seen at consecutive kernel addresses (course section: memory). */
#ifndef MM_VMAP_H
#define MM_VMAP_H

#include "kernel/types.h"

/* Map n frames, in order, at consecutive kernel addresses (read/write,
 * never executable); a frame may appear more than once. NULL if the area
 * or memory for page tables runs out. The frames stay the caller's. */
void *vmap(const phys_addr_t *frames, size_t n);
/* Undo vmap(addr, ..., n): the addresses are free again, the frames untouched. */
void vunmap(void *addr, size_t n);

#endif
