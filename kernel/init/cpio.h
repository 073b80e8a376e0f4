/* Reading cpio "newc" archives (course section: booting; the initrd). */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include "kernel/types.h"

struct cpio_entry {
	char name[256];
	unsigned mode;
	const uint8_t *data;
	size_t size;
};

/* Read the entry at *offset and advance it. Returns 1 for an entry, 0 at
 * the end ("TRAILER!!!" or no more bytes), -1 if the archive is malformed.
 * Pure: host-tested. */
int cpio_next(const uint8_t *archive, size_t size, size_t *offset, struct cpio_entry *e);

#endif
