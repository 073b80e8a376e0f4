/* The per-process limit on mappings (course section: memory). */
#ifndef MM_MAP_COUNT_H
#define MM_MAP_COUNT_H

#include "kernel/types.h"

/* /proc/sys/vm/max_map_count: Linux's default, 65530. */
#define DEFAULT_MAX_MAP_COUNT 65530
extern long max_map_count;

struct mm;
/* May mmap add a region? (Linux refuses once the count is over the limit.) */
bool map_count_may_map(const struct mm *mm);
/* May a region be split in two (munmap or mprotect of its middle)? */
bool map_count_may_split(const struct mm *mm);

#endif
