/*
 * Reading and writing descriptors (course section: files).
 *
 * read, write and friends all follow the same steps: find the open file
 * behind the descriptor (EBADF if there is none, or if it was not opened
 * for this direction), check the user buffer lies in user space (EFAULT),
 * then call the file's own operation -- the same call reads a regular file,
 * a pipe, the console or an eventfd. Each call is an ordinary C function
 * named sys_<name>, listed in kernel/syscalls.tbl.
 */
#include "kernel/fs/file.h"
#include "kernel/fs/filelock.h"
#include "kernel/fs/lease.h"
#include "kernel/fs/pipe.h"
#include "kernel/events/fasync.h"
#include "kernel/syscall.h"
#include "libc/include/abi/ioctl.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/seek.h"
#include "libc/include/abi/uio.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define MAX_RW_COUNT 0x7ffff000 /* Linux caps one read/write at INT_MAX rounded to a page */

static ssize_t file_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	if (!file_readable(f))
		return -EBADF;
	if (!access_ok(buf, n))
		return -EFAULT;
	if (!f->ops->read)
		return f->inode && inode_is_dir(f->inode) ? -EISDIR : -EINVAL;
	return f->ops->read(f, buf, MIN(n, (size_t)MAX_RW_COUNT), pos);
}

static ssize_t file_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	if (!file_writable(f))
		return -EBADF;
	if (!access_ok(buf, n))
		return -EFAULT;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, buf, MIN(n, (size_t)MAX_RW_COUNT), pos);
}

long sys_read(int fd, void __user *buf, size_t count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	return file_read(f, buf, count, &f->pos);
}

long sys_write(int fd, const void __user *buf, size_t count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	return file_write(f, buf, count, &f->pos);
}

static struct file *seekable_fd(int fd, long *err)
{
	struct file *f = fd_get(fd);
	*err = !f ? -EBADF : !f->ops->seekable ? -ESPIPE : 0;
	return *err ? NULL : f;
}

/* pread64 and pwrite64: at an offset of their own; f->pos does not move. */
static long positioned_io(int fd, void __user *buf, size_t count, off_t offset, bool writing)
{
	long err;
	struct file *f = seekable_fd(fd, &err);
	if (!f)
		return err;
	if (offset < 0)
		return -EINVAL;
	return writing ? file_write(f, buf, count, &offset) : file_read(f, buf, count, &offset);
}

long sys_pread64(int fd, void __user *buf, size_t count, off_t offset)
{
	return positioned_io(fd, buf, count, offset, false);
}

long sys_pwrite64(int fd, const void __user *buf, size_t count, off_t offset)
{
	return positioned_io(fd, (void __user *)buf, count, offset, true);
}

#define UIO_FASTIOV 8 /* Linux's: this many iovecs are copied to the stack, not the heap */

static void free_iovec(struct iovec *iov, struct iovec *fast)
{
	if (iov != fast)
		kfree(iov);
}

/* Copy and check an iovec array: at most UIO_MAXIOV entries, total within
 * ssize_t. Up to UIO_FASTIOV go into `fast`, the caller's array on its
 * stack, so that printf's writev works even when the heap is exhausted. */
static struct iovec *copy_iovec(const struct iovec __user *uiov, int iovcnt, struct iovec *fast, long *err)
{
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV) {
		*err = -EINVAL;
		return NULL;
	}
	struct iovec *iov = iovcnt <= UIO_FASTIOV ? fast : kmalloc(sizeof(*iov) * iovcnt);
	if (!iov) {
		*err = -ENOMEM;
		return NULL;
	}
	if (copy_from_user(iov, uiov, sizeof(*iov) * iovcnt)) {
		free_iovec(iov, fast);
		*err = -EFAULT;
		return NULL;
	}
	/* As Linux does, every buffer is checked before any is used: one
	 * kernel address among them fails the whole call with nothing done. */
	size_t total = 0;
	for (int i = 0; i < iovcnt; i++) {
		*err = 0;
		if (iov[i].iov_len > (size_t)INT64_MAX - total)
			*err = -EINVAL;
		else if (!access_ok(iov[i].iov_base, iov[i].iov_len))
			*err = -EFAULT;
		if (*err) {
			free_iovec(iov, fast);
			return NULL;
		}
		total += iov[i].iov_len;
	}
	return iov;
}

/* readv and writev: one call per buffer, stopping at the first short one;
 * pos is the file's own position, or preadv's. */
long vector_io(struct file *f, const struct iovec __user *uiov, int iovcnt, bool writing, off_t *pos)
{
	long err;
	struct iovec fast[UIO_FASTIOV];
	struct iovec *iov = copy_iovec(uiov, iovcnt, fast, &err);
	if (!iov)
		return err;
	long done = 0;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len == 0)
			continue;
		ssize_t n = writing ? file_write(f, iov[i].iov_base, iov[i].iov_len, pos)
				    : file_read(f, iov[i].iov_base, iov[i].iov_len, pos);
		if (n < 0) {
			if (done == 0)
				done = n;
			break;
		}
		done += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	free_iovec(iov, fast);
	return done;
}

static long do_vector_io(int fd, const struct iovec __user *uiov, int iovcnt, bool writing)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	return vector_io(f, uiov, iovcnt, writing, &f->pos);
}

long sys_readv(int fd, const struct iovec __user *iov, int iovcnt)
{
	return do_vector_io(fd, iov, iovcnt, false);
}

long sys_writev(int fd, const struct iovec __user *iov, int iovcnt)
{
	return do_vector_io(fd, iov, iovcnt, true);
}

/* Where lseek may put a file's position: a regular file not past the
 * largest size it may have (so a later write is not EFBIG at once). */
static off_t seek_limit(const struct file *f)
{
	return f->inode && inode_is_reg(f->inode) ? (off_t)MAX_FILE_SIZE : INT64_MAX;
}

int seek_base(const struct file *f, int whence, off_t *base)
{
	switch (whence) {
	case SEEK_SET:
		*base = 0;
		return 0;
	case SEEK_CUR:
		*base = f->pos;
		return 0;
	case SEEK_END:
		*base = f->inode ? (off_t)f->inode->size : 0;
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_lseek(int fd, off_t offset, int whence)
{
	long err;
	struct file *f = seekable_fd(fd, &err);
	if (!f)
		return err;
	if (f->ops->llseek)
		return f->ops->llseek(f, offset, whence);
	off_t base;
	if (whence == SEEK_DATA || whence == SEEK_HOLE) { /* skip the holes (pages never written) */
		base = f->inode ? inode_seek_data(f->inode, offset, whence == SEEK_HOLE) : -ENXIO;
		if (base < 0)
			return base;
		offset = 0;
	} else if ((err = seek_base(f, whence, &base)) != 0) {
		return err;
	}
	if ((offset > 0 && base > seek_limit(f) - offset) || base + offset < 0)
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}

long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	switch (cmd) { /* the ones every file understands */
	case FIOCLEX:
		fd_set_cloexec(fd, true);
		return 0;
	case FIONCLEX:
		fd_set_cloexec(fd, false);
		return 0;
	case FIONBIO: {
		int on;
		if (copy_from_user(&on, (const void __user *)arg, sizeof(on)))
			return -EFAULT;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		return 0;
	}
	}
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, cmd, arg);
}

long sys_close(int fd)
{
	return fd_close(fd);
}

long sys_dup(int oldfd)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	file_get(f);
	int fd = fd_install(f, 0, false);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	struct file *f = fd_get(oldfd);
	if (!f || newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	file_get(f);
	return fd_install_at(f, newfd, flags & O_CLOEXEC);
}

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fd_get(oldfd) ? newfd : -EBADF;
	return sys_dup3(oldfd, newfd, 0);
}

#define SETFL_CHANGEABLE (O_APPEND | O_NONBLOCK | O_ASYNC)

long sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if (arg >= (unsigned long)fd_limit())
			return -EINVAL;
		file_get(f);
		int nfd = fd_install(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			file_put(f);
		return nfd;
	}
	case F_GETFD:
		return fd_cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL: {
		int err = fasync_set_flag(f, fd, arg & O_ASYNC);
		if (err)
			return err;
		f->flags = (f->flags & ~SETFL_CHANGEABLE) | (arg & SETFL_CHANGEABLE);
		return 0;
	}
	case F_SETOWN:
		return fasync_set_owner(f, (long)(int)arg);
	case F_GETOWN:
		return fasync_owner(f);
	case F_SETOWN_EX:
		return fasync_set_owner_ex(f, (const struct f_owner_ex __user *)arg);
	case F_GETOWN_EX:
		return fasync_get_owner_ex(f, (struct f_owner_ex __user *)arg);
	case F_SETSIG:
		return fasync_set_sig(f, arg);
	case F_GETSIG:
		return fasync_sig(f);
	case F_SETLEASE:
		return lease_set(f, arg);
	case F_GETLEASE:
		return lease_get(f);
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
		return pipe_fcntl(f, cmd, arg);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_lock(f, cmd, (struct flock __user *)arg);
	default:
		return -EINVAL;
	}
}
