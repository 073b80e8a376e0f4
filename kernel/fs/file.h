/* Open files and file descriptors (course section: files; the integrated event system). */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "kernel/events/wait.h"
#include "libc/include/abi/fcntl.h"
#include "libc/include/abi/poll.h"

struct file;
struct inode;
struct poll_table;
struct module;
struct lock_space;
struct proc_text;

/* What each kind of file does. Any operation may be NULL:
 * read/write -> EINVAL, ioctl -> ENOTTY, poll -> always ready, mmap -> ENODEV. */
struct file_ops {
	/* Called when a device file is opened (modules count their users here). */
	int (*open)(struct inode *inode, struct file *f);
	ssize_t (*read)(struct file *f, void __user *buf, size_t n, off_t *pos);
	ssize_t (*write)(struct file *f, const void __user *buf, size_t n, off_t *pos);
	/* Which POLL* events are true now; and, if pt is not NULL, register
	 * pt's waiter on every wait queue whose wake-up could change that. */
	uint32_t (*poll)(struct file *f, struct poll_table *pt);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	/* The frame holding byte `offset` of the file, for mmap (mm/vm.c). */
	int (*mmap_frame)(struct file *f, uint64_t offset, phys_addr_t *frame);
	/* Optional: may this range be mapped so? An errno refuses the mmap (a
	 * perf ring must be 1 + 2^n shared pages, and is made here). */
	long (*mmap_check)(struct file *f, uint64_t offset, uint64_t len, unsigned long prot, unsigned long flags);
	/* A mapping made without PROT_WRITE never gains it: mprotect says
	 * EACCES (Linux's bpf maps, whose read-only pages stay read-only). */
	bool mmap_no_later_write;
	void (*release)(struct file *f);
	/* Optional: the lines /proc/PID/fdinfo/N adds after pos, flags, mnt_id, ino. */
	void (*show_fdinfo)(struct file *f, struct proc_text *t);
	/* lseek for a file whose positions are not byte offsets (/dev/kmsg). */
	long (*llseek)(struct file *f, off_t offset, int whence);
	bool seekable;
	bool mmap_anonymous; /* mmap gives plain memory, as MAP_ANONYMOUS would (/dev/zero) */
	unsigned anon_mode; /* st_mode for files without an inode (pipes: S_IFIFO) */
	const char *anon_name; /* Linux's anon_inode name, as /proc/PID/fd shows it: "[eventfd]" */
	struct module *owner; /* a module's device: its use count covers open files */
};

struct file {
	const struct file_ops *ops;
	int refs;
	unsigned flags;       /* O_RDONLY/O_WRONLY/O_RDWR, O_APPEND, O_NONBLOCK */
	off_t pos;
	struct inode *inode;  /* for files with a name; NULL for pipes, eventfds... */
	void *private;
	struct list_node epoll_links; /* the epoll items watching this file */
	struct fasync *async; /* F_SETOWN and O_ASYNC (kernel/events/fasync.c); NULL if never used */
	struct lock_space *locks; /* a file without an inode keeps its locks here */
};

/* The poll table: how poll/epoll put a waiter on a file's wait queues. */
struct poll_table {
	void (*queue)(struct poll_table *pt, struct wait_queue *wq);
};

static inline void poll_wait(struct poll_table *pt, struct wait_queue *wq)
{
	if (pt && wq)
		pt->queue(pt, wq);
}

struct file *file_alloc(const struct file_ops *ops, unsigned flags, void *private);
void file_get(struct file *f);
void file_put(struct file *f);
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);
uint32_t file_poll(struct file *f, struct poll_table *pt);
int file_mmap_frame(struct file *f, uint64_t offset, phys_addr_t *frame);
/* Where SEEK_SET, SEEK_CUR or SEEK_END counts from, for lseek and record
 * locks; -EINVAL for any other whence (kernel/fs/fs_io.c). */
int seek_base(const struct file *f, int whence, off_t *base);

/* --- the descriptor table ---------------------------------------------- */

#define MAX_FDS 1024 /* like the default RLIMIT_NOFILE */

struct fd_table {
	struct file *fd[MAX_FDS];
	uint64_t cloexec[MAX_FDS / 64];
	int refs;
};

struct fd_table *fd_table_create(void);
struct fd_table *fd_table_copy(struct fd_table *src); /* fork */
void fd_table_put(struct fd_table *t);
void fd_table_close_on_exec(struct fd_table *t);

/* The current task's file for fd, or NULL (the caller answers EBADF). */
struct file *fd_get(int fd);
/* Install f at the lowest free descriptor >= min; returns it or -EMFILE.
 * On success the table owns the caller's reference to f. */
int fd_install(struct file *f, int min, bool cloexec);
int fd_limit(void); /* RLIMIT_NOFILE: the first descriptor number not allowed */
int fd_install_at(struct file *f, int fd, bool cloexec);
int fd_close(int fd);
bool fd_cloexec(int fd);
void fd_set_cloexec(int fd, bool on);

/* A read(2) of text the kernel made: copy what is left of buf (len bytes)
 * from *pos on, at most n bytes, and advance *pos. 0 at the end, or
 * -EFAULT. /proc, /sys, tracefs and the /proc/sys knobs read this way. */
ssize_t read_from_buffer(void __user *ubuf, size_t n, off_t *pos, const void *buf, size_t len);

#endif
