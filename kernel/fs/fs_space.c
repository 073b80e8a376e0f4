/*
 * Room for a file's data: fallocate and readahead (course section: files).
 *
 * fallocate reserves the memory of a range in advance, so that later
 * writes there cannot fail for lack of space: sysgate gives each page of
 * the range its frame now. Without FALLOC_FL_KEEP_SIZE a range past the
 * end also makes the file that long. readahead asks for a range to be
 * read into the page cache before it is needed; sysgate's files are all
 * in memory already, so it only checks its arguments.
 */
#include "arch/x86_64/x86.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/rlimit.h"
#include "libc/include/abi/errno.h"

#define FALLOC_FL_KEEP_SIZE 0x01

long sys_fallocate(int fd, int mode, off_t offset, off_t len)
{
	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP; /* punching holes, collapsing, zeroing ranges: not here */
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!file_writable(f))
		return -EBADF;
	if (!f->inode)
		return -ESPIPE;
	if (inode_is_dir(f->inode))
		return -EISDIR;
	if (!inode_is_reg(f->inode) || f->inode->dev_ops)
		return -ENODEV;
	uint64_t end = (uint64_t)offset + (uint64_t)len;
	if (end < (uint64_t)offset || end > MAX_FILE_SIZE)
		return -EFBIG;
	size_t n = 1;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > f->inode->size && fsize_limit_check(end - 1, &n))
		return -EFBIG;
	for (uint64_t at = ALIGN_DOWN((uint64_t)offset, PAGE_SIZE); at < end; at += PAGE_SIZE) {
		phys_addr_t frame;
		if (inode_page(f->inode, at, &frame))
			return -ENOSPC;
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > f->inode->size)
		f->inode->size = end;
	inode_touch(f->inode, true);
	return 0;
}

long sys_readahead(int fd, off_t offset, size_t count)
{
	(void)offset;
	(void)count;
	struct file *f = fd_get(fd);
	if (!f || !file_readable(f))
		return -EBADF;
	if (!f->inode || !inode_is_reg(f->inode) || f->inode->dev_ops)
		return -EINVAL;
	return 0; /* already in memory */
}
