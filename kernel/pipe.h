/* Pipes (course section: processes). */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

struct file;

/* A new pipe: two open files, each holding a reference. */
int pipe_create(struct file **read_end, struct file **write_end, int flags);

#endif
