/*
 * How much memory files may take (course section: files; memory).
 *
 * sysgate's files live in memory, one frame per 4 KiB page of data. With no
 * limit, one process filling /tmp took every frame: then nothing else could
 * get one -- not fork, not open, not even unlink, which needs none but whose
 * callers did -- and the machine wedged. Linux's tmpfs has a size limit,
 * half of RAM by default, and a write past it fails with ENOSPC ("No space
 * left on device") like a full disk, leaving the other half for programs
 * and the kernel. sysgate counts every page of file data the same way (its
 * whole tree, and the memory behind shared mappings and SysV segments, is
 * one in-memory filesystem): kernel/fs/ramfs.c charges a page here before
 * it takes a frame for a file, and uncharges it when the file lets it go.
 */
#include "kernel/fs/ramfs_limit.h"
#include "mm/frame.h"

static size_t pages_used;

size_t ramfs_pages_limit(void)
{
	return frames_total_count() / 2; /* tmpfs's default: half of RAM */
}

bool ramfs_charge_page(void)
{
	if (pages_used >= ramfs_pages_limit())
		return false;
	pages_used++;
	return true;
}

void ramfs_uncharge_page(void)
{
	pages_used--;
}

size_t ramfs_pages_used(void)
{
	return pages_used;
}
