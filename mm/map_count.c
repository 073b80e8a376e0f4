/*
 * How many regions one process may have (course section: memory).
 *
 * Every region costs the kernel memory (a struct vma) and every page mapped
 * in it may hold a reference on a shared frame. Without a limit, one process
 * could map the same file page until its frame's reference count overflowed
 * or the kernel heap ran dry. Linux counts a process's regions (map_count)
 * and refuses with ENOMEM past vm.max_map_count, 65,530 by default, settable
 * in /proc/sys/vm/max_map_count (kernel/fs/procfs_sys.c). sysgate does the
 * same, with Linux's two comparisons: mmap fails once the count is above the
 * limit, a split once it has reached it.
 */
#include "mm/map_count.h"
#include "mm/vm.h"

long max_map_count = DEFAULT_MAX_MAP_COUNT;

bool map_count_may_map(const struct mm *mm)
{
	return mm->map_count <= max_map_count;
}

bool map_count_may_split(const struct mm *mm)
{
	return mm->map_count < max_map_count;
}
