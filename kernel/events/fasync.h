/* Signal-driven I/O: F_SETOWN, F_GETOWN and O_ASYNC (course section: signals). */
#ifndef KERNEL_FASYNC_H
#define KERNEL_FASYNC_H

#include "kernel/types.h"

struct file;

/* F_SETOWN: who gets SIGIO (a pid; minus a process group; 0: nobody). */
int fasync_set_owner(struct file *f, long owner);
pid_t fasync_owner(const struct file *f);
/* F_SETFL turning O_ASYNC on or off. */
int fasync_set_flag(struct file *f, bool on);
/* The last reference to f is going: unhook it from its queues. */
void fasync_file_closed(struct file *f);

#endif
