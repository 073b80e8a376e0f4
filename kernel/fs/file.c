/*
 * Open files and descriptor tables (course section: files).
 *
 * Three layers, as in Unix:
 *   - a descriptor (an int) indexes the process's table;
 *   - the table entry points at an open file (struct file): the position,
 *     the open flags, and the operations for this kind of file;
 *   - the open file may point at an inode (the file on "disk").
 * dup() and fork() make two descriptors share one struct file, so they
 * share its position; open() twice makes two struct files. An open file is
 * reference-counted and released when the last descriptor (or mapping)
 * goes away -- which is, for example, when a pipe's reader sees EOF.
 */
#include "kernel/fs/lease.h"
#include "kernel/fs/file.h"
#include "kernel/fs/filelock.h"
#include "kernel/events/fasync.h"
#include "kernel/proc/rlimit.h"
#include "kernel/events/epoll.h"
#include "kernel/module/module.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

struct file *file_alloc(const struct file_ops *ops, unsigned flags, void *private)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	f->private = private;
	list_init(&f->epoll_links);
	return f;
}

void file_get(struct file *f)
{
	f->refs++;
}

void file_put(struct file *f)
{
	if (!f || --f->refs > 0)
		return;
	epoll_file_closed(f);
	lease_file_closed(f);
	fasync_file_closed(f);
	if (file_lock_space(f))
		locks_file_released(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->ops->owner)
		module_put(f->ops->owner);
	if (f->inode) {
		if (inode_is_reg(f->inode) && !f->inode->dev_ops && file_writable(f) && !(f->flags & O_PATH))
			inode_put_write_access(f->inode); /* taken by file_open_inode */
		inode_put(f->inode);
	}
	kfree(f);
}

/* An O_PATH descriptor names a file without opening it: neither. */
bool file_readable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY && !(f->flags & O_PATH);
}

bool file_writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH);
}

uint32_t file_poll(struct file *f, struct poll_table *pt)
{
	if (!f->ops->poll)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM; /* regular files never block */
	return f->ops->poll(f, pt);
}

int file_mmap_frame(struct file *f, uint64_t offset, phys_addr_t *frame)
{
	if (!f->ops->mmap_frame)
		return -ENODEV;
	return f->ops->mmap_frame(f, offset, frame);
}

/* --- descriptor tables ------------------------------------------------------ */

struct fd_table *fd_table_create(void)
{
	struct fd_table *t = kzalloc(sizeof(*t));
	if (t)
		t->refs = 1;
	return t;
}

struct fd_table *fd_table_copy(struct fd_table *src)
{
	struct fd_table *t = fd_table_create();
	if (!t)
		return NULL;
	for (int i = 0; i < MAX_FDS; i++) {
		t->fd[i] = src->fd[i];
		if (t->fd[i])
			file_get(t->fd[i]);
	}
	memcpy(t->cloexec, src->cloexec, sizeof(t->cloexec));
	return t;
}

/* Every way a descriptor goes -- close, dup2 over it, exec, exit -- comes
 * here: the process's record locks on the file go with it (POSIX). */
static void fd_drop(struct fd_table *t, struct file *f)
{
	if (!f)
		return;
	if (file_lock_space(f))
		locks_remove_posix(f, t);
	file_put(f);
}

void fd_table_put(struct fd_table *t)
{
	if (!t || --t->refs > 0)
		return;
	for (int i = 0; i < MAX_FDS; i++)
		fd_drop(t, t->fd[i]);
	kfree(t);
}

static void set_cloexec_bit(struct fd_table *t, int fd, bool on)
{
	if (on)
		t->cloexec[fd / 64] |= 1ull << (fd % 64);
	else
		t->cloexec[fd / 64] &= ~(1ull << (fd % 64));
}

void fd_table_close_on_exec(struct fd_table *t)
{
	for (int i = 0; i < MAX_FDS; i++) {
		if (t->fd[i] && (t->cloexec[i / 64] & (1ull << (i % 64)))) {
			fd_drop(t, t->fd[i]);
			t->fd[i] = NULL;
			set_cloexec_bit(t, i, false);
		}
	}
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= MAX_FDS || !current->files)
		return NULL;
	return current->files->fd[fd];
}

int fd_install_at(struct file *f, int fd, bool cloexec)
{
	struct fd_table *t = current->files;
	struct file *old = t->fd[fd];
	t->fd[fd] = f;
	set_cloexec_bit(t, fd, cloexec);
	fd_drop(t, old); /* after installing: closing may have side effects */
	return fd;
}

/* RLIMIT_NOFILE: descriptors are numbered below it (it never exceeds the
 * table's size: kernel/proc/rlimit.c refuses that). */
int fd_limit(void)
{
	return (int)MIN(rlimit(RLIMIT_NOFILE), (unsigned long)MAX_FDS);
}

int fd_install(struct file *f, int min, bool cloexec)
{
	struct fd_table *t = current->files;
	int limit = fd_limit();
	for (int fd = min; fd < limit; fd++)
		if (!t->fd[fd])
			return fd_install_at(f, fd, cloexec);
	return -EMFILE;
}

int fd_close(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	current->files->fd[fd] = NULL;
	set_cloexec_bit(current->files, fd, false);
	fd_drop(current->files, f);
	return 0;
}

bool fd_cloexec(int fd)
{
	return current->files->cloexec[fd / 64] & (1ull << (fd % 64));
}

void fd_set_cloexec(int fd, bool on)
{
	set_cloexec_bit(current->files, fd, on);
}

ssize_t read_from_buffer(void __user *ubuf, size_t n, off_t *pos, const void *buf, size_t len)
{
	if (*pos < 0 || (size_t)*pos >= len)
		return 0;
	n = MIN(n, len - (size_t)*pos);
	if (copy_to_user(ubuf, (const char *)buf + *pos, n))
		return -EFAULT;
	*pos += n;
	return (ssize_t)n;
}
