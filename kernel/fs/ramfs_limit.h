/* The in-memory filesystem's size limit (course section: files; memory). */
#ifndef KERNEL_RAMFS_LIMIT_H
#define KERNEL_RAMFS_LIMIT_H

#include "kernel/types.h"

/* Take one page of file data against the limit: false (ENOSPC) when full. */
bool ramfs_charge_page(void);
/* A page of file data was freed. */
void ramfs_uncharge_page(void);
/* Pages in use and the limit, for statfs and /proc/meminfo's Shmem. */
size_t ramfs_pages_used(void);
size_t ramfs_pages_limit(void);

#endif
