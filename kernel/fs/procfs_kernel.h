/* /proc files about what the kernel is doing for a process, and about
 * interrupts (course section: procfs and sysfs). */
#ifndef KERNEL_FS_PROCFS_KERNEL_H
#define KERNEL_FS_PROCFS_KERNEL_H

#include "kernel/fs/procfs.h"

int gen_pid_stack(struct proc_text *t, pid_t pid);
int gen_pid_wchan(struct proc_text *t, pid_t pid);
int gen_pid_syscall(struct proc_text *t, pid_t pid);
/* Registers /proc/interrupts. */
void procfs_kernel_init(void);

#endif
