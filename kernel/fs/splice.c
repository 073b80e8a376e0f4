/*
 * splice, tee, sendfile and copy_file_range: moving data between two
 * descriptors without passing it through the program (course sections:
 * files; high-performance patterns, "zero-copy").
 *
 * A program that copies with read and write crosses into the kernel twice
 * per buffer and copies every byte twice: into its own memory and out
 * again. These calls do the copy inside the kernel in one call:
 *   splice           a pipe to or from any file (or pipe to pipe)
 *   tee              a pipe into another pipe, leaving the data in the first
 *   sendfile         a file to a pipe or a file (classically, to a socket)
 *   copy_file_range  a regular file into another, or within one
 * With an offset pointer, the call reads or writes there and moves the
 * offset, not the file's position (as pread does).
 *
 * How much is saved: Linux moves page references, so file to pipe copies
 * nothing at all; sysgate copies through one page of kernel memory (a
 * pipe here is a ring of bytes, not of pages), which saves the trips
 * through user memory and the syscalls per buffer, not the copy itself.
 * What this leaves out: terminals and sockets as ends (EINVAL: Linux can,
 * through their write paths); SPLICE_F_MOVE and SPLICE_F_GIFT are hints
 * Linux ignores too.
 */
#include "kernel/fs/file.h"
#include "kernel/fs/pipe.h"
#include "kernel/cred/permission.h"
#include "kernel/proc/rlimit.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/fcntl.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/uaccess.h"

#define SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
#define MAX_RW_COUNT 0x7ffff000 /* as read and write: INT_MAX rounded down to a page */

static bool is_regular(const struct file *f)
{
	return f->inode && inode_is_reg(f->inode);
}

/* --- the two ends ------------------------------------------------------------------ */

/* Up to n bytes of the source into buf (a pipe's stay there until taken). */
static ssize_t source_read(struct file *in, off_t *pos, void *buf, size_t n)
{
	if (file_is_pipe(in))
		return (ssize_t)pipe_peek(in, buf, n, 0);
	ssize_t r = inode_read_kernel(in->inode, buf, n, (uint64_t)*pos);
	if (r > 0)
		*pos += r;
	return r;
}

/* As much of buf as the destination takes now, with write's rules for files. */
static ssize_t sink_write(struct file *out, off_t *pos, const void *buf, size_t n)
{
	if (file_is_pipe(out))
		return (ssize_t)pipe_put(out, buf, n);
	int err = fsize_limit_check((uint64_t)*pos, &n);
	if (err)
		return err;
	inode_kill_suid(out->inode);
	ssize_t w = inode_write_at_kernel(out->inode, buf, n, *pos);
	if (w > 0)
		*pos += w;
	return w;
}

/*
 * The copy: page-sized pieces through a page of kernel memory, until len
 * bytes are moved, the source has no more for now, or the destination is
 * full. A piece read from a pipe is taken out only once written, so a
 * full destination loses nothing.
 */
static ssize_t transfer(struct file *in, off_t *in_pos, struct file *out, off_t *out_pos, size_t len)
{
	phys_addr_t page = frame_alloc();
	if (!page)
		return -ENOMEM;
	char *buf = phys_to_virt(page);
	ssize_t done = 0;
	while ((size_t)done < len) {
		size_t want = MIN(len - (size_t)done, PAGE_SIZE);
		off_t in_before = *in_pos;
		ssize_t r = source_read(in, in_pos, buf, want);
		if (r <= 0) {
			done = done ? done : r;
			break;
		}
		ssize_t w = sink_write(out, out_pos, buf, (size_t)r);
		if (w <= 0) {
			*in_pos = in_before; /* nothing of this piece moved */
			done = done ? done : w;
			break;
		}
		if (file_is_pipe(in))
			pipe_consume(in, (size_t)w);
		else
			*in_pos = in_before + w; /* a partial write: the rest is read again next time */
		done += w;
		if (w < r)
			break;
	}
	frame_free(page);
	return done;
}

/* --- offsets given by pointer ------------------------------------------------------- */

/* Where to read or write: *off from user memory, or the file's position. */
static long pick_offset(struct file *f, const off_t __user *uoff, off_t *pos)
{
	if (!uoff) {
		*pos = f->pos;
		return 0;
	}
	if (file_is_pipe(f) || !f->ops->seekable)
		return -ESPIPE;
	if (copy_from_user(pos, uoff, sizeof(*pos)))
		return -EFAULT;
	return *pos < 0 ? -EINVAL : 0;
}

/* Move the offset the caller named (or the file's position) past what moved. */
static long store_offset(struct file *f, off_t __user *uoff, off_t pos)
{
	if (!uoff) {
		f->pos = pos;
		return 0;
	}
	return copy_to_user(uoff, &pos, sizeof(pos)) ? -EFAULT : 0;
}

static long wait_for_pipes(struct file *in, struct file *out, bool nonblock)
{
	long err = file_is_pipe(in) ? pipe_wait_data(in, nonblock) : 0;
	if (!err && file_is_pipe(out))
		err = pipe_wait_room(out, nonblock);
	return err;
}

/* The common path of splice and sendfile, once the ends are checked. */
static long move(struct file *in, off_t __user *uoff_in, struct file *out, off_t __user *uoff_out, size_t len,
		 bool nonblock)
{
	off_t in_pos, out_pos;
	long err = pick_offset(in, uoff_in, &in_pos);
	if (!err)
		err = pick_offset(out, uoff_out, &out_pos);
	if (err)
		return err;
	if (len == 0)
		return 0;
	err = wait_for_pipes(in, out, nonblock);
	if (err)
		return err;
	ssize_t moved = transfer(in, &in_pos, out, &out_pos, MIN(len, (size_t)MAX_RW_COUNT));
	if (moved < 0)
		return moved;
	if (!file_is_pipe(in) && (err = store_offset(in, uoff_in, in_pos)) != 0)
		return err;
	if (!file_is_pipe(out) && (err = store_offset(out, uoff_out, out_pos)) != 0)
		return err;
	return moved;
}

/* An end splice and sendfile can use: a pipe or a regular file. */
static bool splice_end(const struct file *f)
{
	return file_is_pipe(f) || is_regular(f);
}

/* --- the syscalls -------------------------------------------------------------------- */

long sys_splice(int fd_in, off_t __user *off_in, int fd_out, off_t __user *off_out, size_t len, unsigned int flags)
{
	struct file *in = fd_get(fd_in), *out = fd_get(fd_out);
	if (!in || !out || !file_readable(in) || !file_writable(out))
		return -EBADF;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!file_is_pipe(in) && !file_is_pipe(out))
		return -EINVAL; /* one end must be a pipe */
	if ((file_is_pipe(in) && off_in) || (file_is_pipe(out) && off_out))
		return -ESPIPE;
	if (!splice_end(in) || !splice_end(out) || (out->flags & O_APPEND))
		return -EINVAL;
	if (file_is_pipe(in) && file_is_pipe(out) && pipe_same(in, out))
		return -EINVAL;
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	return move(in, off_in, out, off_out, len, nonblock);
}

long sys_tee(int fd_in, int fd_out, size_t len, unsigned int flags)
{
	struct file *in = fd_get(fd_in), *out = fd_get(fd_out);
	if (!in || !out || !file_readable(in) || !file_writable(out))
		return -EBADF;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!file_is_pipe(in) || !file_is_pipe(out) || pipe_same(in, out))
		return -EINVAL;
	if (len == 0)
		return 0;
	long err = wait_for_pipes(in, out, flags & SPLICE_F_NONBLOCK);
	if (err)
		return err;
	/* As splice, but what is copied stays in the first pipe. */
	phys_addr_t page = frame_alloc();
	if (!page)
		return -ENOMEM;
	char *buf = phys_to_virt(page);
	size_t done = 0;
	while (done < len) {
		size_t r = pipe_peek(in, buf, MIN(len - done, PAGE_SIZE), done);
		size_t w = r ? pipe_put(out, buf, r) : 0;
		done += w;
		if (w == 0 || w < r)
			break;
	}
	frame_free(page);
	return (long)done;
}

long sys_sendfile(int out_fd, int in_fd, off_t __user *offset, size_t count)
{
	struct file *in = fd_get(in_fd), *out = fd_get(out_fd);
	if (!in || !out || !file_readable(in) || !file_writable(out))
		return -EBADF;
	if (!is_regular(in) || !splice_end(out) || (out->flags & O_APPEND))
		return -EINVAL; /* Linux reads from files that have pages: regular files */
	return move(in, offset, out, NULL, count, out->flags & O_NONBLOCK);
}

long sys_copy_file_range(int fd_in, off_t __user *off_in, int fd_out, off_t __user *off_out, size_t len,
			 unsigned int flags)
{
	if (flags)
		return -EINVAL;
	struct file *in = fd_get(fd_in), *out = fd_get(fd_out);
	if (!in || !out || !file_readable(in) || !file_writable(out) || (out->flags & O_APPEND))
		return -EBADF;
	if ((in->inode && inode_is_dir(in->inode)) || (out->inode && inode_is_dir(out->inode)))
		return -EISDIR;
	if (!is_regular(in) || !is_regular(out))
		return -EINVAL;
	off_t in_pos, out_pos;
	long err = pick_offset(in, off_in, &in_pos);
	if (!err)
		err = pick_offset(out, off_out, &out_pos);
	if (err)
		return err;
	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (in->inode == out->inode && in_pos < out_pos + (off_t)len && out_pos < in_pos + (off_t)len)
		return -EINVAL; /* overlapping ranges of one file */
	return move(in, off_in, out, off_out, len, false);
}
