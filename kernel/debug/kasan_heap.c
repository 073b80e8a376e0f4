/*
 * KASAN and the heap: redzones, allocation records, a quarantine
 * (course section: memory debugging).
 *
 * Under KASAN, kmalloc(size) asks the heap (mm/heap.c) for more than size:
 *
 *   | object: size bytes | redzone (>= 16 bytes) ... | record (96 bytes) |
 *   ^ returned pointer                                    end of the slot ^
 *
 * The object's shadow says "accessible", the rest of the slot "redzone":
 * reading one byte past the end hits the redzone and is reported as
 * slab-out-of-bounds. The record at the end of the slot keeps who
 * allocated the object (pid and the first return addresses) and, once
 * freed, who freed it, for the report.
 *
 * kfree does not give the memory back at once. The object is poisoned as
 * freed and put at the tail of a FIFO quarantine; only when the
 * quarantine holds more than QUARANTINE_BYTES is its oldest object really
 * freed. So a use-after-free is caught as long as the memory has not been
 * reused -- a dangling pointer reads poison, not someone else's object --
 * and a second kfree of the same pointer finds the "freed" poison: a
 * double-free.
 *
 * Compiled without the sanitizer: it writes into poisoned memory on purpose.
 */
#include "kernel/debug/kasan.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/oops.h"
#include "kernel/proc/task.h"
#include "mm/heap.h"
#include "mm/layout.h"

#define REDZONE_MIN 16
#define RECORD_MAGIC 0x4b41534e /* "KASN" */
#define QUARANTINE_BYTES (2ul << 20)

struct alloc_record {
	uint32_t magic;
	uint32_t size;
	int32_t alloc_pid, free_pid;
	uint64_t alloc_stack[KASAN_STACK_DEPTH];
	uint64_t free_stack[KASAN_STACK_DEPTH];
};
_Static_assert(sizeof(struct alloc_record) == 96, "a record is 96 bytes");

static void *quarantine_head, *quarantine_tail; /* linked through each object's first word */
static size_t quarantine_bytes;

static struct alloc_record *record_of(void *object, size_t slot)
{
	return (struct alloc_record *)((char *)object + slot - sizeof(struct alloc_record));
}

static int current_pid(void)
{
	return kasan_ready && current ? current->pid : 0;
}

/* The return addresses of kmalloc's (or kfree's) callers: the frame of
 * this function is skipped; kasan_kmalloc's return address (into kmalloc, or
 * into its caller where kmalloc was a tail call) is the first kept. */
static __attribute__((noinline)) void save_stack(uint64_t *out, int depth)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0), top = stack_top_of(rbp);
	for (int i = -1; i < depth; i++) {
		bool ok = rbp >= top - 0x10000 && rbp + 16 <= top && !(rbp & 7);
		if (i >= 0)
			out[i] = ok ? ((uint64_t *)rbp)[1] : 0;
		if (ok)
			rbp = ((uint64_t *)rbp)[0];
	}
}

void *kasan_kmalloc(size_t size)
{
	size_t rounded = ALIGN_UP(size ? size : 1, KASAN_GRANULE);
	void *p = heap_alloc(rounded + REDZONE_MIN + sizeof(struct alloc_record));
	uint64_t start;
	size_t slot;
	if (!p || !heap_slot_of((uint64_t)p, &start, &slot))
		return p;
	struct alloc_record *r = record_of(p, slot);
	r->magic = RECORD_MAGIC;
	r->size = (uint32_t)size;
	r->alloc_pid = current_pid();
	r->free_pid = -1;
	save_stack(r->alloc_stack, KASAN_STACK_DEPTH);
	kasan_unpoison(p, size);
	kasan_poison((char *)p + rounded, slot - rounded, KASAN_SLAB_REDZONE);
	return p;
}

/* Really free the oldest objects until the quarantine fits its budget. */
static void quarantine_trim(size_t budget)
{
	while (quarantine_head && quarantine_bytes > budget) {
		void *p = quarantine_head;
		quarantine_head = *(void **)p;
		if (!quarantine_head)
			quarantine_tail = NULL;
		uint64_t start;
		size_t slot = 0;
		heap_slot_of((uint64_t)p, &start, &slot);
		quarantine_bytes -= slot;
		kasan_unpoison(p, slot); /* the heap may hand it out again */
		heap_free(p);
	}
}

void kasan_kfree(void *p)
{
	if (!p)
		return;
	uint64_t ip = (uint64_t)__builtin_return_address(0);
	uint64_t rbp = *(uint64_t *)__builtin_frame_address(0);
	uint64_t start;
	size_t slot;
	if (!heap_slot_of((uint64_t)p, &start, &slot) || start != (uint64_t)p ||
	    record_of(p, slot)->magic != RECORD_MAGIC) {
		kasan_report_bad_free(p, "invalid-free", ip, rbp);
		return;
	}
	if (kasan_ready && (uint8_t)*kasan_shadow((uint64_t)p) == KASAN_SLAB_FREE) {
		kasan_report_bad_free(p, "double-free", ip, rbp);
		return;
	}
	struct alloc_record *r = record_of(p, slot);
	r->free_pid = current_pid();
	save_stack(r->free_stack, KASAN_STACK_DEPTH);
	kasan_poison(p, ALIGN_UP(r->size ? r->size : 1, KASAN_GRANULE), KASAN_SLAB_FREE);

	uint64_t flags = irq_save();
	*(void **)p = NULL;
	if (quarantine_tail)
		*(void **)quarantine_tail = p;
	else
		quarantine_head = p;
	quarantine_tail = p;
	quarantine_bytes += slot;
	quarantine_trim(QUARANTINE_BYTES);
	irq_restore(flags);
}

void kasan_quarantine_drain(void)
{
	uint64_t flags = irq_save();
	quarantine_trim(0);
	irq_restore(flags);
}

bool kasan_heap_describe(uint64_t addr, struct kasan_object_info *info)
{
	uint64_t start;
	size_t slot;
	if (addr < DIRECT_MAP_BASE || addr >= DIRECT_MAP_BASE + DIRECT_MAP_MAX ||
	    !heap_slot_of(addr, &start, &slot))
		return false;
	struct alloc_record *r = record_of((void *)start, slot);
	if (r->magic != RECORD_MAGIC)
		return false;
	info->start = start;
	info->size = r->size;
	info->slot = slot;
	info->alloc_pid = r->alloc_pid;
	info->free_pid = r->free_pid;
	info->alloc_stack = r->alloc_stack;
	info->free_stack = r->free_stack;
	info->freed = r->free_pid >= 0;
	return true;
}
