/* Pipes (course section: processes). */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

struct file;

/* A new pipe: two open files, each holding a reference. */
int pipe_create(struct file **read_end, struct file **write_end, int flags);
/* fcntl's F_GETPIPE_SZ and F_SETPIPE_SZ (EBADF if f is not a pipe). */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg);

#endif
