/*
 * Host unit test of kmalloc/kfree, mm/heap.c (course section: memory).
 *
 * Checks alignment, that blocks do not overlap, that freeing everything
 * gives every frame back (the property the kernel's leak tests rely on),
 * and large allocations.
 *
 * UNIT_SOURCES: mm/heap.c mm/frame.c
 */
#include "unit.h"
#include "mm/frame.h"
#include "mm/heap.h"

#include <string.h>

#define MEM (32u << 20)
uint8_t *host_phys_base;

int main(void)
{
	unit_suite = "heap";
	host_phys_base = aligned_alloc(4096, MEM);
	struct phys_range ram[] = { { 0x100000, MEM } };
	frames_init(ram, 1, NULL, 0);
	size_t frames0 = frames_free_count();

	enum { N = 2000 };
	static void *p[N];
	static size_t sz[N];
	bool aligned = true;
	for (int i = 0; i < N; i++) {
		sz[i] = 1 + (size_t)(i * 37) % 3000;
		p[i] = kmalloc(sz[i]);
		memset(p[i], i & 0xff, sz[i]);
		if ((uintptr_t)p[i] % 16)
			aligned = false;
	}
	CHECK("every block is 16-byte aligned", aligned);
	bool intact = true;
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < sz[i]; k++)
			if (((uint8_t *)p[i])[k] != (i & 0xff))
				intact = false;
	CHECK("blocks do not overlap", intact);
	CHECK("bytes in use are counted", heap_bytes_in_use() > 0);

	for (int i = 0; i < N; i += 2)
		kfree(p[i]);
	for (int i = 0; i < N; i += 2)
		p[i] = kmalloc(sz[i]);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	CHECK_EQ("freeing everything leaves no bytes in use", heap_bytes_in_use(), 0);
	CHECK_EQ("and returns every frame", frames_free_count(), frames0);

	void *big = kmalloc(100000);
	CHECK("a large block is allocated", big != NULL);
	memset(big, 1, 100000);
	CHECK_EQ("a large block takes whole frames", frames0 - frames_free_count(), 25);
	kfree(big);
	CHECK_EQ("and gives them back", frames_free_count(), frames0);
	CHECK_EQ("kzalloc zeroes", ((char *)kzalloc(64))[63], 0);
	return unit_done();
}
