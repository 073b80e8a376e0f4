/*
 * What a name holds, changed in place: mode bits, size, write-back and the
 * current directory (course section: files).
 *
 * chmod, truncate, fsync and chdir act on a file found by name or by
 * descriptor without creating or removing any name.
 */
#include "kernel/fs/file.h"
#include "kernel/fs/path_at.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"
#include "kernel/proc/rlimit.h"

/* --- permissions and write-back ------------------------------------------------------------- */

/* The permission bits, set-user-id, set-group-id and sticky: the low twelve
 * bits of st_mode. The type above them never changes. (Every sysgate
 * process is root, so the bits are kept and reported, not enforced.) */
static void inode_chmod(struct inode *i, mode_t mode)
{
	i->mode = (i->mode & ~07777u) | (mode & 07777);
	i->ctime = i->mtime;
	inode_touch(i, false);
}

long sys_fchmodat(int dirfd, const char __user *path, mode_t mode)
{
	struct inode *i;
	int err = lookup_at(dirfd, path, &i);
	if (err)
		return err;
	inode_chmod(i, mode);
	inode_put(i);
	return 0;
}

long sys_chmod(const char __user *path, mode_t mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}

long sys_fchmod(int fd, mode_t mode)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (f->inode) /* a pipe's mode is fixed here: it has no inode to keep one */
		inode_chmod(f->inode, mode);
	return 0;
}

/*
 * fsync: "my data is on the disk when this returns". sysgate's files live
 * in memory and have no disk behind them, so there is never anything to
 * write back -- but the checks are Linux's: a file or directory may be
 * synced, a pipe or a device may not (EINVAL).
 */
long sys_fsync(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode || f->inode->dev_ops || !(inode_is_reg(f->inode) || inode_is_dir(f->inode)))
		return -EINVAL;
	return 0;
}

long sys_fdatasync(int fd)
{
	return sys_fsync(fd);
}

long sys_sync(void)
{
	return 0; /* every filesystem is in memory: nothing to write back */
}

long sys_syncfs(int fd)
{
	return fd_get(fd) ? 0 : -EBADF;
}

/* Growing a file by truncate counts against RLIMIT_FSIZE too. */
static int truncate_within_limit(struct inode *i, uint64_t length)
{
	size_t grow = length > i->size ? 1 : 0;
	if (grow && fsize_limit_check(length - 1, &grow))
		return -EFBIG;
	return inode_truncate(i, length);
}

long sys_ftruncate(int fd, off_t length)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (length < 0 || !f->inode || !inode_is_reg(f->inode) || !file_writable(f))
		return -EINVAL;
	return truncate_within_limit(f->inode, (uint64_t)length);
}

long sys_truncate(const char __user *path, off_t length)
{
	if (length < 0)
		return -EINVAL;
	struct inode *i;
	int err = lookup_at(AT_FDCWD, path, &i);
	if (err)
		return err;
	err = inode_is_dir(i) ? -EISDIR : !inode_is_reg(i) ? -EINVAL : truncate_within_limit(i, (uint64_t)length);
	inode_put(i);
	return err;
}

static long set_cwd(struct inode *i)
{
	if (!inode_is_dir(i)) {
		inode_put(i);
		return -ENOTDIR;
	}
	if (current->fs->cwd)
		inode_put(current->fs->cwd);
	current->fs->cwd = i;
	return 0;
}

long sys_chdir(const char __user *path)
{
	struct inode *i;
	int err = lookup_at(AT_FDCWD, path, &i);
	return err ? err : set_cwd(i);
}

long sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode)
		return -ENOTDIR;
	inode_get(f->inode);
	return set_cwd(f->inode);
}

long sys_getcwd(char __user *buf, unsigned long size)
{
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	int len = inode_path(current->fs->cwd ? current->fs->cwd : root_inode, path, MIN(size, (unsigned long)PATH_MAX));
	if (len > 0 && copy_to_user(buf, path, len))
		len = -EFAULT;
	kfree(path);
	return len;
}
