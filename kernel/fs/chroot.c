/*
 * chroot: a process's own "/" (course section: files; kernel design --
 * privilege).
 *
 * Every path that starts with "/" starts at the task's root directory,
 * normally the real root. chroot(dir) makes dir that root for the caller
 * and its future children: absolute paths and absolute symbolic links
 * start there, and ".." at its top goes nowhere (kernel/fs/namei.c). It
 * is privileged (CAP_SYS_CHROOT), because inside a directory it chose a
 * program could be fooled by its own /etc/passwd. It does not change the
 * current directory: a process must chdir("/") after it, or its current
 * directory stays outside.
 */
#include "kernel/cred/cred.h"
#include "kernel/cred/permission.h"
#include "kernel/fs/path_at.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/fcntl.h"

long sys_chroot(const char __user *path)
{
	struct inode *dir;
	int err = lookup_at(AT_FDCWD, path, &dir);
	if (err)
		return err;
	if (!inode_is_dir(dir))
		err = -ENOTDIR;
	else if ((err = inode_permission(dir, MAY_EXEC)) == 0 && !capable(CAP_SYS_CHROOT))
		err = -EPERM;
	if (err) {
		inode_put(dir);
		return err;
	}
	if (current->fs->root)
		inode_put(current->fs->root);
	current->fs->root = dir;
	return 0;
}
