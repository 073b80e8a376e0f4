/*
 * Host unit test of the physical frame allocator, mm/frame.c (course
 * section: memory).
 *
 * "Physical memory" is a 16 MiB buffer; the test describes RAM and reserved
 * ranges as a boot loader would, then checks that reserved frames are never
 * handed out, that counts add up, that reference counts free a frame only
 * at the last reference, and that contiguous runs are contiguous.
 *
 * UNIT_SOURCES: mm/frame.c
 */
#include "unit.h"
#include "mm/frame.h"

#include <string.h>

#define MEM (16u << 20)
uint8_t *host_phys_base;

static bool in_range(phys_addr_t f, uint64_t s, uint64_t e)
{
	return f + 4096 > s && f < e;
}

int main(void)
{
	unit_suite = "frame";
	host_phys_base = aligned_alloc(4096, MEM);
	memset(host_phys_base, 0xAB, MEM); /* frames must come back zeroed */
	struct phys_range ram[] = { { 0, 0x9f000 }, { 0x100000, MEM } };
	struct phys_range reserved[] = { { 0x100000, 0x300000 } /* "the kernel" */,
					 { 0x500000, 0x501000 } /* "a module" */ };
	frames_init(ram, 2, reserved, 2);

	size_t total = frames_total_count();
	/* RAM above 1 MiB is 15 MiB = 3840 frames; minus 512 + 1 reserved; minus metadata. */
	CHECK("total frames exclude low memory and reserved ranges", total < 3840 - 513 && total > 3200);
	CHECK_EQ("all frames start free", frames_free_count(), total);

	bool clean = true, outside = true;
	phys_addr_t first = frame_alloc();
	for (size_t i = 0; i < 4096; i++)
		if (host_phys_base[first + i] != 0)
			clean = false;
	CHECK("a new frame is zeroed", clean);
	CHECK_EQ("allocating takes one frame", frames_free_count(), total - 1);

	size_t n = 1;
	phys_addr_t f;
	while ((f = frame_alloc()) != 0) {
		n++;
		if (in_range(f, 0, 0x100000) || in_range(f, 0x100000, 0x300000) || in_range(f, 0x500000, 0x501000))
			outside = false;
	}
	CHECK("reserved and low frames are never handed out", outside);
	CHECK_EQ("every free frame can be allocated", n, total);
	CHECK_EQ("then none is left", frames_free_count(), 0);

	frame_free(first);
	CHECK_EQ("freeing returns the frame", frames_free_count(), 1);
	CHECK_EQ("and it is the next one allocated", frame_alloc(), first);

	frame_ref(first);
	CHECK_EQ("a second reference", frame_refcount(first), 2);
	frame_free(first);
	CHECK_EQ("dropping one reference keeps the frame", frames_free_count(), 0);
	frame_free(first);
	CHECK_EQ("dropping the last frees it", frames_free_count(), 1);

	/* Contiguous runs: free a block of 8 in the middle, then ask for 8. */
	phys_addr_t base = 0x600000;
	for (int i = 0; i < 8; i++)
		frame_free(base + i * 4096);
	CHECK_EQ("no run of 9 frames exists", frame_alloc_contig(9), 0);
	CHECK_EQ("a run of 8 is found where it is free", frame_alloc_contig(8), base);
	frame_free_contig(base, 8);
	CHECK_EQ("freeing the run returns all 8", frames_free_count(), 9);
	return unit_done();
}
