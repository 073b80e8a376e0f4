/*
 * Physical <-> virtual addresses (course section: memory).
 *
 * All physical memory is mapped at DIRECT_MAP_BASE (the "direct map"), so the
 * kernel reaches physical address p at p + DIRECT_MAP_BASE. The kernel image
 * itself runs at KERNEL_VMA + its physical address (linker.ld).
 *
 * Host unit tests (tests/unit) compile the allocators with HOST_TEST: there,
 * "physical memory" is a buffer in the test program.
 */
#ifndef MM_PHYS_H
#define MM_PHYS_H

#include "kernel/types.h"
#include "mm/layout.h"

#ifdef HOST_TEST
extern uint8_t *host_phys_base;
static inline void *phys_to_virt(phys_addr_t p) { return host_phys_base + p; }
static inline phys_addr_t virt_to_phys(const void *v) { return (phys_addr_t)((const uint8_t *)v - host_phys_base); }
#else
static inline void *phys_to_virt(phys_addr_t p)
{
	return (void *)(p + DIRECT_MAP_BASE);
}

static inline phys_addr_t virt_to_phys(const void *v)
{
	uint64_t a = (uint64_t)v;
	return a >= KERNEL_VMA ? a - KERNEL_VMA : a - DIRECT_MAP_BASE;
}
#endif

#endif
