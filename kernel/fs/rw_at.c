/*
 * preadv, pwritev, preadv2 and pwritev2: scattered I/O at an offset, and
 * per-call flags (course section: files).
 *
 * preadv is readv at an offset of its own, as pread is read: the file's
 * position does not move, and a pipe or terminal (no position) answers
 * ESPIPE. The offset comes in two registers (pos_l, pos_h) so that 32-bit
 * kernels can take 64 bits; on x86_64 pos_l holds all of it.
 *
 * The "2" forms add an offset of -1, meaning "the file's own position, and
 * move it" (readv then), and flags that change one call only:
 *   RWF_NOWAIT   EAGAIN where the call would wait (a pipe with no data)
 *   RWF_APPEND   this write goes to the end, as with O_APPEND
 *   RWF_DSYNC, RWF_SYNC, RWF_HIPRI: sysgate's files live in memory, so
 *                every write is as durable as it gets: nothing more to do.
 * An unknown flag is EOPNOTSUPP, as Linux answers.
 */
#include "kernel/fs/file.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/fcntl.h"
#include "libc/include/abi/uio.h"

#define OFFSET_OWN_POSITION (-1) /* preadv2/pwritev2: use and move f->pos */

/* v2: the preadv2/pwritev2 forms, where offset -1 means the file's position. */
static long rw_at(int fd, const struct iovec __user *iov, unsigned long vlen, long offset, int flags, bool writing,
		  bool v2)
{
	bool own = v2 && offset == OFFSET_OWN_POSITION;
	if (offset < 0 && !own)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!own && !f->ops->seekable)
		return -ESPIPE;
	if (vlen > UIO_MAXIOV)
		return -EINVAL;
	if (flags & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	/* The flags act through the file's status flags, for this call only:
	 * the same code then decides, as it does for O_NONBLOCK and O_APPEND. */
	unsigned saved = f->flags;
	if (flags & RWF_NOWAIT)
		f->flags |= O_NONBLOCK;
	if ((flags & RWF_APPEND) && writing)
		f->flags |= O_APPEND;
	off_t pos = offset;
	long r = vector_io(f, iov, (int)vlen, writing, own ? &f->pos : &pos);
	f->flags = (f->flags & ~(O_NONBLOCK | O_APPEND)) | (saved & (O_NONBLOCK | O_APPEND));
	return r;
}

long sys_preadv(int fd, const struct iovec __user *iov, unsigned long vlen, unsigned long pos_l, unsigned long pos_h)
{
	(void)pos_h; /* the high half, for 32-bit kernels */
	return rw_at(fd, iov, vlen, (long)pos_l, 0, false, false);
}

long sys_pwritev(int fd, const struct iovec __user *iov, unsigned long vlen, unsigned long pos_l, unsigned long pos_h)
{
	(void)pos_h;
	return rw_at(fd, iov, vlen, (long)pos_l, 0, true, false);
}

long sys_preadv2(int fd, const struct iovec __user *iov, unsigned long vlen, unsigned long pos_l, unsigned long pos_h,
		 int flags)
{
	(void)pos_h;
	return rw_at(fd, iov, vlen, (long)pos_l, flags, false, true);
}

long sys_pwritev2(int fd, const struct iovec __user *iov, unsigned long vlen, unsigned long pos_l, unsigned long pos_h,
		  int flags)
{
	(void)pos_h;
	return rw_at(fd, iov, vlen, (long)pos_l, flags, true, true);
}
