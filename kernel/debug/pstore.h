/* The kept panic log (course section: kernel debugging techniques). */
#ifndef KERNEL_DEBUG_PSTORE_H
#define KERNEL_DEBUG_PSTORE_H

#include "kernel/init/bootinfo.h"

/* The area, if it is RAM and nothing the boot loader placed is there (else
 * empty): the caller keeps it from the frame allocator. */
struct phys_range pstore_reserve(const struct phys_range *ram, int nram, const struct phys_range *used,
				 int nused);
/* After paging: show and keep a record the last boot left. */
void pstore_init(void);
void pstore_proc_init(void); /* /proc/last_panic */
/* In panic(): the end of the kernel log into the area. */
void pstore_save(void);

#endif
