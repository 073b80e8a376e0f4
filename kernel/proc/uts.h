/* The system's names (kernel/proc/uts.c). */
#ifndef KERNEL_PROC_UTS_H
#define KERNEL_PROC_UTS_H

#include "libc/include/abi/utsname.h"

struct inode;

/* What uname says now. */
const struct utsname *uts_names(void);
/* /proc/sys/kernel/{ostype,osrelease,version,hostname,domainname}. */
void uts_sysctl_init(struct inode *kernel_dir);

#endif
