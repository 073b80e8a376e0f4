/* /proc/mounts and /proc/stat (kernel/fs/procfs_system.c). */
#ifndef KERNEL_PROCFS_SYSTEM_H
#define KERNEL_PROCFS_SYSTEM_H

void procfs_system_init(void);

#endif
