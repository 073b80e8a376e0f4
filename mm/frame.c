/*
 * The physical frame allocator (course section: memory).
 *
 * Physical memory is handed out in 4 KiB frames. The allocator keeps:
 *   - a bitmap, one bit a frame (1 = in use), searched from where the last
 *     search stopped ("next fit"), which makes the common case fast;
 *   - a 32-bit reference count a frame, because one frame can be mapped in
 *     several address spaces: after fork (copy-on-write) or in shared
 *     memory. A frame is free only when its last reference is dropped.
 *     16 bits were too few: one process mapping a file page 65,536 times
 *     overflowed them. 32 bits cannot overflow: every reference is a page
 *     table entry, and the per-process map count limit (mm/map_count.c)
 *     times the process limit stays far below 2^32.
 * Both arrays are placed in usable RAM at boot, outside everything that
 * must be kept: the low 1 MiB (BIOS data), the kernel image, the boot
 * information and the modules (our initrd).
 */
#include "mm/frame.h"
#include "arch/x86_64/x86.h"
#include "kernel/printk.h"
#include "libc/include/string.h"
#include "mm/phys.h"

#define LOW_MEMORY_END 0x100000   /* BIOS data, VGA memory, option ROMs */
#define EARLY_MAP_END (1ull << 30) /* boot.asm's direct map covers 1 GiB */

static uint64_t *bitmap;
static uint32_t *refcounts;
static size_t frame_count;   /* frames covered by the arrays */
static size_t free_count, total_count;
static size_t next_search;   /* next-fit cursor */

static bool test_bit(size_t i) { return bitmap[i / 64] & (1ull << (i % 64)); }
static void set_bit(size_t i) { bitmap[i / 64] |= 1ull << (i % 64); }
static void clear_bit(size_t i) { bitmap[i / 64] &= ~(1ull << (i % 64)); }

static bool overlaps(uint64_t s, uint64_t e, const struct phys_range *r, int n)
{
	for (int i = 0; i < n; i++)
		if (s < r[i].end && r[i].start < e)
			return true;
	return false;
}

/* Find room for `bytes` of metadata in RAM, clear of the reserved ranges. */
static uint64_t place_metadata(size_t bytes, const struct phys_range *ram, int nram,
			       const struct phys_range *reserved, int nreserved)
{
	for (int i = 0; i < nram; i++) {
		uint64_t s = ALIGN_UP(MAX(ram[i].start, (uint64_t)LOW_MEMORY_END), PAGE_SIZE);
		for (; s + bytes <= ram[i].end && s + bytes <= EARLY_MAP_END; s += PAGE_SIZE)
			if (!overlaps(s, s + bytes, reserved, nreserved))
				return s;
	}
	panic("no room for the frame allocator's %zu bytes of metadata", bytes);
}

static void mark_free(size_t f)
{
	if (test_bit(f)) {
		clear_bit(f);
		free_count++;
		total_count++;
	}
}

void frames_init(const struct phys_range *ram, int nram, const struct phys_range *reserved, int nreserved)
{
	uint64_t top = 0;
	for (int i = 0; i < nram; i++)
		top = MAX(top, ram[i].end);
	frame_count = ALIGN_UP(top, PAGE_SIZE) / PAGE_SIZE;

	size_t bitmap_bytes = ALIGN_UP(frame_count, 64) / 8;
	size_t meta_bytes = ALIGN_UP(bitmap_bytes + frame_count * sizeof(uint32_t), PAGE_SIZE);
	uint64_t meta = place_metadata(meta_bytes, ram, nram, reserved, nreserved);
	bitmap = phys_to_virt(meta);
	refcounts = phys_to_virt(meta + bitmap_bytes);
	memset(bitmap, 0xFF, bitmap_bytes); /* everything in use until proven free */
	memset(refcounts, 0, frame_count * sizeof(uint32_t));
	free_count = total_count = 0;

	for (int i = 0; i < nram; i++) {
		uint64_t s = ALIGN_UP(MAX(ram[i].start, (uint64_t)LOW_MEMORY_END), PAGE_SIZE);
		for (; s + PAGE_SIZE <= ram[i].end; s += PAGE_SIZE) {
			if (overlaps(s, s + PAGE_SIZE, reserved, nreserved))
				continue;
			if (s >= meta && s < meta + meta_bytes)
				continue;
			mark_free(s / PAGE_SIZE);
		}
	}
	next_search = 0;
}

/* Mark n frames from `first` in use; their old contents stay. */
static phys_addr_t take(size_t first, size_t n)
{
	for (size_t f = first; f < first + n; f++) {
		set_bit(f);
		refcounts[f] = 1;
	}
	free_count -= n;
	next_search = first + n;
	return (phys_addr_t)first * PAGE_SIZE;
}

phys_addr_t frame_alloc(void)
{
	if (!free_count)
		return 0;
	for (size_t k = 0; k < frame_count; k++) {
		size_t f = (next_search + k) % frame_count;
		if (bitmap[f / 64] == ~0ull) { /* skip a full word at once */
			k += 63 - f % 64;
			continue;
		}
		if (!test_bit(f)) {
			/* Zeroed: a frame may become a program's page or a page
			 * table, and must not show what it held before. */
			phys_addr_t pa = take(f, 1);
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			return pa;
		}
	}
	return 0;
}

/* The first run of n free frames in [from, to), skipping full words. */
static phys_addr_t take_run(size_t from, size_t to, size_t n)
{
	size_t run = 0;
	for (size_t f = from; f < to; f++) {
		if (run == 0 && f % 64 == 0 && bitmap[f / 64] == ~0ull) {
			f += 63;
			continue;
		}
		run = test_bit(f) ? 0 : run + 1;
		if (run == n)
			return take(f + 1 - n, n);
	}
	return 0;
}

/* Next fit too: from the cursor to the end, then (rarely) the whole map.
 * Searching from frame 0 every time would walk over the kernel, the initrd
 * and every long-lived allocation on each kmalloc of a large block. */
phys_addr_t frame_alloc_contig(size_t n)
{
	if (n == 1)
		return frame_alloc();
	if (n > free_count)
		return 0;
	phys_addr_t pa = take_run(next_search, frame_count, n);
	return pa ? pa : take_run(0, frame_count, n);
}

static size_t frame_index(phys_addr_t pa)
{
	size_t f = pa / PAGE_SIZE;
	BUG_ON(pa % PAGE_SIZE || f >= frame_count || !test_bit(f));
	return f;
}

void frame_free(phys_addr_t pa)
{
	size_t f = frame_index(pa);
	BUG_ON(refcounts[f] == 0);
	if (--refcounts[f] == 0) {
		clear_bit(f);
		free_count++;
	}
}

void frame_free_contig(phys_addr_t pa, size_t n)
{
	for (size_t i = 0; i < n; i++)
		frame_free(pa + i * PAGE_SIZE);
}

void frame_ref(phys_addr_t pa)
{
	size_t f = frame_index(pa);
	BUG_ON(refcounts[f] == UINT32_MAX);
	refcounts[f]++;
}

unsigned frame_refcount(phys_addr_t pa)
{
	return refcounts[frame_index(pa)];
}

size_t frames_free_count(void) { return free_count; }
size_t frames_total_count(void) { return total_count; }
