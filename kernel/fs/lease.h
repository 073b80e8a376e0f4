/* File leases: F_SETLEASE, F_GETLEASE (kernel/fs/lease.c). */
#ifndef KERNEL_FS_LEASE_H
#define KERNEL_FS_LEASE_H

#include "kernel/types.h"

struct file;
struct inode;

long lease_set(struct file *f, unsigned long type);
long lease_get(struct file *f);
/* An open with open_flags is about to happen: break the leases in its way,
 * waiting for their holders (0, -EWOULDBLOCK with O_NONBLOCK, -ERESTARTSYS). */
long lease_break(struct inode *i, unsigned open_flags);
void lease_file_closed(struct file *f);
/* /proc/sys/fs/lease-break-time: how long a holder has, in seconds. */
extern long lease_break_time;

#endif
