/*
 * musl's realloc of a large block, which it grows with mremap (course
 * section: memory).
 *
 * musl gives a block of a megabyte its own mapping, and realloc moves or
 * grows that mapping with mremap(MREMAP_MAYMOVE) instead of copying: the
 * kernel moves the page-table entries, the bytes stay in their frames.
 * The program checks every byte survives a grow and a shrink, as on Linux.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1 << 20)

static int all_are(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int main(void)
{
	unsigned char *p = malloc(MIB);

	if (!p)
		return 1;
	memset(p, 0x5a, MIB);
	p = realloc(p, 4 * MIB);	/* grows: mremap */
	printf("grown to 4 MiB: first MiB intact: %s\n", p && all_are(p, MIB, 0x5a) ? "yes" : "no");
	memset(p + MIB, 0xa5, 3 * MIB);
	p = realloc(p, MIB / 2);	/* shrinks: mremap again */
	printf("shrunk to 512 KiB: still intact: %s\n", p && all_are(p, MIB / 2, 0x5a) ? "yes" : "no");
	free(p);
	return 0;
}
