/*
 * mknod: names that are not ordinary files (course section: files).
 *
 * mknodat makes a name of any kind but a directory: an empty regular file,
 * a FIFO (a named pipe: kernel/fs/pipe.c, fifo_open), a socket's name, or a
 * device node, which says "device major:minor" and whose open reaches that
 * device's driver. Anyone may make the first three where they may create
 * names; a device node needs CAP_MKNOD, for a node of the disk or of
 * /dev/mem, owned by whoever made it, would bypass every permission.
 * sysgate's drivers live only under /dev, so a device node made elsewhere
 * opens with ENXIO ("no such device"), Linux's answer for a number no
 * driver has; a socket's name does too, as on Linux.
 */
#include "kernel/cred/cred.h"
#include "kernel/cred/permission.h"
#include "kernel/fs/file.h"
#include "kernel/fs/path_at.h"
#include "kernel/fs/pipe.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/fcntl.h"

static int no_device_open(struct inode *i, struct file *f)
{
	(void)i;
	(void)f;
	return -ENXIO;
}

static const struct file_ops no_device_ops = { .open = no_device_open };

/* The kind of node asked for: EINVAL for no kind Linux knows, EPERM for a
 * directory (mkdir makes those). */
static int node_type(mode_t mode, unsigned *type)
{
	*type = mode & S_IFMT;
	switch (*type) {
	case 0:
		*type = S_IFREG;
		return 0;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
	case S_IFCHR:
	case S_IFBLK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

long sys_mknodat(int dirfd, const char __user *path, mode_t mode, unsigned dev)
{
	unsigned type;
	int err = node_type(mode, &type);
	if (err)
		return err;
	struct inode *dir, *i;
	char last[NAME_MAX + 1];
	bool slash;
	err = parent_at(dirfd, path, &dir, last, &slash);
	if (err)
		return err;
	if (kernel_names(dir) || slash)
		err = dir_lookup(dir, last) ? -EEXIST : -ENOENT;
	else if (dir_lookup(dir, last))
		err = -EEXIST;
	else if (!(err = may_create(dir)) && (type == S_IFCHR || type == S_IFBLK) && !capable(CAP_MKNOD))
		err = -EPERM;
	if (!err)
		err = dir_create(dir, last, type | (mode & 07777 & ~current->fs->umask), &i);
	if (!err) {
		if (type == S_IFIFO)
			fifo_init_inode(i);
		else if (type != S_IFREG)
			i->dev_ops = &no_device_ops;
		if (type == S_IFCHR || type == S_IFBLK)
			i->rdev = dev;
	}
	inode_put(dir);
	return err;
}

long sys_mknod(const char __user *path, mode_t mode, unsigned dev)
{
	return sys_mknodat(AT_FDCWD, path, mode, dev);
}
