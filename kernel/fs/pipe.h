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
/* The largest F_SETPIPE_SZ (/proc/sys/fs/pipe-max-size). */
extern long pipe_max_size;

/* The kernel's own use of a pipe's buffer, with kernel memory (splice, tee,
 * sendfile: kernel/fs/splice.c). The waits return 0, -EAGAIN, -EINTR, or
 * -EPIPE (with SIGPIPE) when nobody reads any more. */
bool file_is_pipe(const struct file *f);
bool pipe_same(const struct file *a, const struct file *b);
int pipe_wait_data(struct file *f, bool nonblock);
int pipe_wait_room(struct file *f, bool nonblock);
size_t pipe_peek(struct file *f, void *buf, size_t n, size_t skip);
void pipe_consume(struct file *f, size_t n);
size_t pipe_put(struct file *f, const void *buf, size_t n);

#endif
