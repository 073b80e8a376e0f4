/* Advisory file locks: fcntl record locks, OFD locks and flock
 * (course section: files; see kernel/fs/filelock.c). */
#ifndef KERNEL_FILELOCK_H
#define KERNEL_FILELOCK_H

#include "kernel/fs/file.h"
#include "kernel/types.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/fcntl.h"

struct fd_table;
struct proc_text;

/* Where a file's locks live: on its inode, or, without one, on the file.
 * NULL until something is locked -- which lets close skip the lock code. */
static inline struct lock_space *file_lock_space(const struct file *f)
{
	return f->inode ? f->inode->locks : f->locks;
}

/* fcntl's F_GETLK, F_SETLK, F_SETLKW and their F_OFD_ forms. */
long fcntl_lock(struct file *f, unsigned cmd, struct flock __user *ufl);
long sys_flock(int fd, int operation);

/* Descriptor `f` of fd table `owner` is being closed: the process's record
 * locks on the file go (all of them, whichever descriptor set them). */
void locks_remove_posix(struct file *f, const struct fd_table *owner);
/* The last reference to open file f is going: its OFD and flock locks go. */
void locks_file_released(struct file *f);
/* An inode is being freed: its (empty) lock list goes too. */
void locks_inode_freed(struct inode *i);
/* /proc/locks: one line per lock, in Linux's format. */
void locks_print(struct proc_text *t);

#endif
