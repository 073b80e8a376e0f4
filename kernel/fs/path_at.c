/*
 * Paths from user arguments (course section: files).
 *
 * Every call that takes a name gets it as a user pointer and, for the
 * *at() variants, a directory descriptor that a relative path starts from
 * (AT_FDCWD: the current directory). This file copies the path in and
 * hands it to the walk in kernel/fs/namei.c, asking for the file itself or
 * for the directory that holds its last name (what create, unlink and
 * rename need). fs_names.c, fs_links.c and fs_attr.c use it.
 */
#include "kernel/fs/file.h"
#include "kernel/fs/path_at.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

/* The directory a relative path starts from, for the *at() calls. */
int dirfd_base(int dirfd, const char *path, struct inode **base)
{
	*base = NULL;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	struct file *f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	if (!f->inode || !inode_is_dir(f->inode))
		return -ENOTDIR;
	*base = f->inode;
	return 0;
}

/* What a resolution gives: the file (following a last symbolic link, or
 * not), or the directory that holds the last name (following a last link
 * to where its target would be, or not). */
static int resolve(struct inode *base, const char *path, enum resolve how, struct inode **out, char *last)
{
	switch (how) {
	case FILE_FOLLOW:
		return path_lookup(base, path, out);
	case FILE_NOFOLLOW:
		return path_lookup_nofollow(base, path, out);
	case PARENT_FOLLOW:
		return path_parent_follow(base, path, out, last);
	default:
		return path_parent(base, path, out, last);
	}
}

/* Copy a user path and resolve it relative to dirfd. For the PARENT kinds
 * the last component is copied to last, and *slash (if asked) says whether
 * the path ended in '/'. */
int resolve_at(int dirfd, const char __user *upath, enum resolve how, struct inode **out, char *last,
		      bool *slash)
{
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	struct inode *base;
	int err = path_from_user(upath, path);
	if (!err)
		err = dirfd_base(dirfd, path, &base);
	if (!err)
		err = resolve(base, path, how, out, last);
	if (!err && slash)
		*slash = path[strlen(path) - 1] == '/';
	kfree(path);
	return err;
}

int lookup_at(int dirfd, const char __user *upath, struct inode **out)
{
	return resolve_at(dirfd, upath, FILE_FOLLOW, out, NULL, NULL);
}

int lookup_nofollow_at(int dirfd, const char __user *upath, struct inode **out)
{
	return resolve_at(dirfd, upath, FILE_NOFOLLOW, out, NULL, NULL);
}

int parent_at(int dirfd, const char __user *upath, struct inode **dir, char *last, bool *slash)
{
	return resolve_at(dirfd, upath, PARENT_NOFOLLOW, dir, last, slash);
}

/* AT_EMPTY_PATH with "": the file dirfd is open on (with a reference);
 * 1 when the path is not empty, so it is to be looked up as usual. */
int empty_path_at(int dirfd, const char __user *path, struct inode **out)
{
	char c;
	if (copy_from_user(&c, path, 1))
		return -EFAULT;
	if (c)
		return 1;
	if (dirfd == AT_FDCWD)
		return path_lookup(NULL, ".", out);
	struct file *f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	if (!f->inode)
		return -EBADF;
	inode_get(f->inode);
	*out = f->inode;
	return 0;
}

/* A path ending in '/' can only name a directory: "file/" is ENOTDIR. */
int check_slash(struct inode *dir, const char *last, bool slash)
{
	struct inode *i = slash ? dir_lookup(dir, last) : NULL;
	return i && !inode_is_dir(i) ? -ENOTDIR : 0;
}

/* In /proc, /sys and tracefs the names are the kernel's (see kernel/fs/vfs.h). */
bool kernel_names(const struct inode *dir)
{
	return dir->fs == FS_PROC || dir->fs == FS_SYS || dir->fs == FS_TRACE;
}
