/*
 * statfs and fstatfs: how big a filesystem is and how full (course
 * section: files).
 *
 * `df` asks this of each mounted filesystem. sysgate's filesystems live in
 * memory, so their size is the machine's memory: total and free blocks are
 * the physical frames, in 4 KiB blocks. Each filesystem has Linux's magic
 * number for its kind -- ramfs for /, tmpfs for /dev and /dev/shm, proc
 * for /proc -- so programs that check the kind recognise it.
 */
#include "arch/x86_64/x86.h"
#include "kernel/fs/file.h"
#include "kernel/fs/path_at.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/statfs.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/uaccess.h"

static void fill_statfs(const struct inode *i, struct statfs *s)
{
	memset(s, 0, sizeof(*s));
	s->f_bsize = s->f_frsize = PAGE_SIZE;
	s->f_namelen = NAME_MAX;
	s->f_flags = ST_VALID;
	s->f_fsid.val[0] = (int)i->fs;
	switch (i->fs) {
	case FS_PROC:
		s->f_type = PROC_SUPER_MAGIC;
		s->f_flags |= ST_NOSUID | ST_NODEV | ST_NOEXEC;
		return; /* no blocks: /proc holds nothing of its own */
	case FS_DEV:
	case FS_SHM:
		s->f_type = TMPFS_MAGIC;
		s->f_flags |= ST_NOSUID;
		break;
	default:
		s->f_type = RAMFS_MAGIC;
		break;
	}
	s->f_blocks = frames_total_count();
	s->f_bfree = s->f_bavail = frames_free_count();
}

static long put_statfs(const struct inode *i, struct statfs __user *buf)
{
	struct statfs s;
	fill_statfs(i, &s);
	return copy_to_user(buf, &s, sizeof(s)) ? -EFAULT : 0;
}

long sys_statfs(const char __user *path, struct statfs __user *buf)
{
	struct inode *i;
	int err = lookup_at(AT_FDCWD, path, &i);
	if (err)
		return err;
	long r = put_statfs(i, buf);
	inode_put(i);
	return r;
}

long sys_fstatfs(int fd, struct statfs __user *buf)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode) { /* a pipe or an eventfd: Linux's pipefs and anon inodes */
		struct statfs s = { .f_type = 0x50495045 /* PIPEFS_MAGIC */, .f_bsize = PAGE_SIZE,
				    .f_frsize = PAGE_SIZE, .f_namelen = NAME_MAX, .f_flags = ST_VALID };
		return copy_to_user(buf, &s, sizeof(s)) ? -EFAULT : 0;
	}
	return put_statfs(f->inode, buf);
}
