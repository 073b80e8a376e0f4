/* Signal-driven I/O: F_SETOWN, F_GETOWN and O_ASYNC (course section: signals). */
#ifndef KERNEL_FASYNC_H
#define KERNEL_FASYNC_H

#include "kernel/types.h"

struct file;

/* F_SETOWN: who gets SIGIO (a pid; minus a process group; 0: nobody). */
int fasync_set_owner(struct file *f, long owner);
pid_t fasync_owner(const struct file *f);
/* F_SETFL turning O_ASYNC on or off. */
/* O_ASYNC on or off, set through descriptor fd (F_SETSIG's si_fd). */
int fasync_set_flag(struct file *f, int fd, bool on);
/* F_SETOWN_EX, F_GETOWN_EX, F_SETSIG, F_GETSIG. */
struct f_owner_ex;
int fasync_set_owner_ex(struct file *f, const struct f_owner_ex __user *uowner);
int fasync_get_owner_ex(const struct file *f, struct f_owner_ex __user *uowner);
int fasync_set_sig(struct file *f, unsigned long sig);
int fasync_sig(const struct file *f);
/* Signal f's owner now, for reason (POLL_MSG: a lease is being broken). */
void fasync_notify(struct file *f, int reason);
/* The last reference to f is going: unhook it from its queues. */
void fasync_file_closed(struct file *f);

#endif
