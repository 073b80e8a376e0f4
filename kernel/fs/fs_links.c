/*
 * Hard and symbolic links (course section: files).
 *
 * A hard link is one more name for the same inode: link() adds it, and the
 * file lives until its last name and its last open descriptor are gone. A
 * symbolic link is a small file whose contents is a path, read in place of
 * its name by the walk in kernel/fs/namei.c.
 */
#include "kernel/fs/file.h"
#include "kernel/fs/path_at.h"
#include "kernel/proc/task.h"
#include "kernel/cred/permission.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

/* May link or symlink add the name `last` to dir? Not in /proc, whose
 * names are the kernel's; and "name/" must be a directory, which a new
 * name would not be (both ENOENT, as on Linux). An existing name is left
 * to the caller's EEXIST. */
static int check_new_name(struct inode *dir, const char *last, bool slash)
{
	if (kernel_names(dir) || (slash && !dir_lookup(dir, last)))
		return -ENOENT;
	if (dir_lookup(dir, last))
		return -EEXIST;
	return may_create(dir);
}

/* --- hard links ------------------------------------------------------------------------------ */

/* What linkat gives a new name: the file oldpath names or, with
 * AT_EMPTY_PATH and "", the file olddirfd is open on. */
static int link_target(int olddirfd, const char __user *oldpath, int flags, struct inode **out)
{
	/* Unlike most calls, link does not follow a last symbolic link: the
	 * new name is one more name of the link itself. */
	enum resolve how = (flags & AT_SYMLINK_FOLLOW) ? FILE_FOLLOW : FILE_NOFOLLOW;
	char c;
	if (!(flags & AT_EMPTY_PATH))
		return resolve_at(olddirfd, oldpath, how, out, NULL, NULL);
	if (copy_from_user(&c, oldpath, 1))
		return -EFAULT;
	if (c != 0)
		return resolve_at(olddirfd, oldpath, how, out, NULL, NULL);
	if (olddirfd == AT_FDCWD)
		return path_lookup(NULL, ".", out);
	struct file *f = fd_get(olddirfd);
	if (!f)
		return -EBADF;
	if (!f->inode)
		return -EXDEV;  /* a pipe or an eventfd: Linux keeps those in filesystems of their own */
	if (f->inode->nlink == 0)
		return -ENOENT; /* unlinked already: nothing to give a name to */
	inode_get(f->inode);
	*out = f->inode;
	return 0;
}

/* A second name for a file: both names are the same inode, and the file
 * lives until the last name is unlinked and the last open file closed. */
long sys_linkat(int olddirfd, const char __user *oldpath, int newdirfd, const char __user *newpath, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *target, *dir;
	char last[NAME_MAX + 1];
	bool slash;
	int err = link_target(olddirfd, oldpath, flags, &target);
	if (err)
		return err;
	err = parent_at(newdirfd, newpath, &dir, last, &slash);
	if (!err) {
		err = check_new_name(dir, last, slash);
		if (!err)
			err = dir_link(dir, last, target);
		inode_put(dir);
	}
	inode_put(target);
	return err;
}

long sys_link(const char __user *oldpath, const char __user *newpath)
{
	return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* --- symbolic links ------------------------------------------------------------------------ */

/* A symbolic link is a small file whose contents is a path: the walk
 * (kernel/fs/namei.c) reads it in place of the link's name. The target is
 * not checked: it may name nothing yet (a "dangling" link). */
long sys_symlinkat(const char __user *utarget, int newdirfd, const char __user *linkpath)
{
	char *target = kmalloc(PATH_MAX);
	if (!target)
		return -ENOMEM;
	struct inode *dir;
	char last[NAME_MAX + 1];
	bool slash;
	int err = path_from_user(utarget, target);
	if (!err)
		err = parent_at(newdirfd, linkpath, &dir, last, &slash);
	if (!err) {
		err = check_new_name(dir, last, slash);
		if (!err)
			err = dir_symlink(dir, last, target);
		inode_put(dir);
	}
	kfree(target);
	return err;
}

long sys_symlink(const char __user *target, const char __user *linkpath)
{
	return sys_symlinkat(target, AT_FDCWD, linkpath);
}

/* The target of a link, cut to bufsiz bytes, without a NUL (as Linux). */
long sys_readlinkat(int dirfd, const char __user *path, char __user *buf, int bufsiz)
{
	if (bufsiz <= 0)
		return -EINVAL;
	struct inode *i;
	int err = lookup_nofollow_at(dirfd, path, &i);
	if (err)
		return err;
	long n = -EINVAL; /* not a link */
	if (inode_is_symlink(i)) {
		n = (long)MIN(i->size, (uint64_t)bufsiz);
		if (copy_to_user(buf, i->link, (size_t)n))
			n = -EFAULT;
	}
	inode_put(i);
	return n;
}

long sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}

