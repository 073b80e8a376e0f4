/* KASAN, the kernel address sanitizer (course section: memory debugging). */
#ifndef KERNEL_DEBUG_KASAN_H
#define KERNEL_DEBUG_KASAN_H

#include "kernel/types.h"

/* shadow(addr) = (addr >> 3) + KASAN_SHADOW_OFFSET: one shadow byte says
 * how many of the 8 bytes it stands for may be touched (0: all 8; 1..7: the
 * first N; negative: none, and the value says why). The offset is Linux's
 * and must match the Makefile's -fasan-shadow-offset. */
#define KASAN_SHADOW_OFFSET 0xdffffc0000000000ul
#define KASAN_GRANULE 8

/* Why a granule may not be touched (Linux's values, shown in reports). */
#define KASAN_PAGE_REDZONE 0xfe   /* a large block's tail */
#define KASAN_SLAB_REDZONE 0xfc   /* after a kmalloc object */
#define KASAN_SLAB_FREE 0xfb      /* a freed object, in quarantine */
#define KASAN_GLOBAL_REDZONE 0xf9 /* after a global variable */

#ifdef CONFIG_KASAN
#define KASAN_ENABLED 1
#else
#define KASAN_ENABLED 0
#endif

/* Map the shadow of the direct map and of the kernel image (after paging
 * and the per-CPU area are up), then poison the globals' redzones. */
void kasan_init(void);
extern bool kasan_ready;

static inline int8_t *kasan_shadow(uint64_t addr)
{
	return (int8_t *)((addr >> 3) + KASAN_SHADOW_OFFSET);
}
/* Does KASAN watch this address (direct map or kernel image)? */
bool kasan_covers(uint64_t addr);
/* Mark [addr, addr + size) untouchable with `value`, or touchable. addr
 * is 8-byte aligned; unpoison handles a partial last granule. */
void kasan_poison(const void *addr, size_t size, uint8_t value);
void kasan_unpoison(const void *addr, size_t size);

/* The heap with redzones, metadata and a quarantine (kasan_heap.c). */
void *kasan_kmalloc(size_t size);
void kasan_kfree(void *p);
/* Really free everything in quarantine: before the heap and frame counts
 * are read, so leak checks see true figures. */
void kasan_quarantine_drain(void);

/* What a report tells about a heap address, or false if none. */
struct kasan_object_info {
	uint64_t start, size, slot;
	int alloc_pid, free_pid;
	const uint64_t *alloc_stack, *free_stack;
	bool freed;
};
bool kasan_heap_describe(uint64_t addr, struct kasan_object_info *info);
#define KASAN_STACK_DEPTH 5

/* Report a bad access (kasan_report.c); caller_rbp starts the call trace. */
void kasan_report(uint64_t addr, size_t size, bool write, uint64_t ip, uint64_t caller_rbp);
void kasan_report_bad_free(void *p, const char *kind, uint64_t ip, uint64_t caller_rbp);
/* A global's name for an address in its redzone (from the compiler's list). */
const char *kasan_global_name(uint64_t addr, uint64_t *start, uint64_t *size);
extern unsigned long kasan_report_count;

#endif
