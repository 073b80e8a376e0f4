/* Pipes (course section: processes). */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include "kernel/types.h"

struct file;

/* A new pipe: two open files, each holding a reference. */
int pipe_create(struct file **read_end, struct file **write_end, int flags);
struct inode;
/* Make i, a new S_IFIFO inode, a FIFO: each open joins its pipe. */
void fifo_init_inode(struct inode *i);
/* fcntl's F_GETPIPE_SZ and F_SETPIPE_SZ (EBADF if f is not a pipe). */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg);

#endif
