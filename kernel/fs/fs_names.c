/*
 * Files by name: open, stat, directories (course section: files).
 *
 * These syscalls turn a path into an inode (kernel/fs/namei.c) and then act on
 * it: open makes a struct file for it, stat reports it, mkdir/unlink/rename
 * change directories. Each *at() variant takes a directory descriptor that
 * relative paths start from; AT_FDCWD means the current directory, and the
 * plain calls (open, mkdir...) are the *at() calls with AT_FDCWD.
 * Links are in fs_links.c; chmod, truncate, fsync and chdir in fs_attr.c.
 */
#include "kernel/fs/file.h"
#include "kernel/debug/kasan.h"
#include "kernel/fs/path_at.h"
#include "kernel/proc/rlimit.h"
#include "kernel/module/module.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "kernel/cred/cred.h"
#include "kernel/cred/permission.h"
#include "kernel/fs/lease.h"
#include "arch/x86_64/x86.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/ioctl.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define O_LARGEFILE 0100000 /* always set by 64-bit Linux on open() */
#define OPEN_FLAGS_KNOWN                                                                         \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |   \
	 O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_ASYNC)
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* --- regular files and directories as open files ------------------------------------------- */

static ssize_t regular_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	ssize_t r = inode_read(f->inode, buf, n, *pos);
	if (r > 0)
		*pos += r;
	return r;
}

static ssize_t regular_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	if (f->flags & O_APPEND)
		*pos = (off_t)f->inode->size;
	int err = fsize_limit_check((uint64_t)*pos, &n);
	if (err)
		return err;
	inode_kill_suid(f->inode);
	ssize_t r = inode_write(f->inode, buf, n, *pos);
	if (r > 0)
		*pos += r;
	return r;
}

static int regular_mmap_frame(struct file *f, uint64_t offset, phys_addr_t *frame)
{
	/* Past the last page of the file there is nothing to map: SIGBUS. */
	if (offset >= ALIGN_UP(f->inode->size, PAGE_SIZE))
		return -EFAULT;
	return inode_page(f->inode, offset, frame);
}

/* FIONREAD: the bytes between the position and the end (0 past it). */
static long regular_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	int left = f->pos < (off_t)f->inode->size ? (int)MIN(f->inode->size - f->pos, INT32_MAX) : 0;
	return copy_to_user((void __user *)arg, &left, sizeof(left)) ? -EFAULT : 0;
}

static const struct file_ops regular_ops = {
	.read = regular_read,
	.write = regular_write,
	.ioctl = regular_ioctl,
	.mmap_frame = regular_mmap_frame,
	.seekable = true,
};

static const struct file_ops directory_ops = { .seekable = true };

/* --- open ------------------------------------------------------------------------------------- */

/* What opening an existing file asks of its permission bits: read and
 * write as the access mode says (and write to truncate it). A directory
 * is never opened for writing (EISDIR, before any permission). O_PATH
 * opens the name only, and asks nothing. */
static int may_open(const struct inode *i, int flags)
{
	if (flags & O_PATH)
		return 0;
	int acc = flags & O_ACCMODE, mask = 0;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	if (inode_is_dir(i) && (mask & MAY_WRITE))
		return -EISDIR;
	int err = inode_permission(i, mask);
	if (!err && (flags & O_NOATIME) && !owner_or_capable(i))
		err = -EPERM;
	return err;
}

static int open_inode(struct inode *dir, const char *last, bool slash, int flags, unsigned mode,
		      struct inode **out)
{
	struct inode *i = dir_lookup(dir, last);
	if (i && (flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (i && inode_is_symlink(i) && !(flags & O_PATH)) /* O_NOFOLLOW (else the walk followed it) */
		return (flags & O_DIRECTORY) ? -ENOTDIR : -ELOOP;
	if (i && slash && !inode_is_dir(i))
		return -ENOTDIR;
	if (!i) {
		if (!(flags & O_CREAT) || kernel_names(dir))
			return -ENOENT;
		if (slash)
			return -EISDIR; /* O_CREAT makes files, and "name/" would be a directory */
		int err = may_create(dir);
		if (!err)
			err = dir_create(dir, last, S_IFREG | (mode & 07777 & ~current->fs->umask), &i);
		if (err)
			return err;
	} else {
		int err = may_open(i, flags);
		if (err)
			return err;
	}
	if (inode_is_dir(i) && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !inode_is_dir(i))
		return -ENOTDIR;
	inode_get(i);
	*out = i;
	return 0;
}

/* A regular file opened for writing counts as a writer (kernel/fs/text_busy.c). */
static bool counts_as_writer(const struct inode *i, int flags)
{
	return inode_is_reg(i) && !i->dev_ops && (flags & O_ACCMODE) != O_RDONLY && !(flags & O_PATH);
}

struct file *file_open_inode(struct inode *i, int flags, int *err)
{
	if ((i->mode & S_IFMT) == S_IFSOCK) { /* a socket's name: connect to it, it cannot be opened */
		inode_put(i);
		*err = -ENXIO;
		return NULL;
	}
	const struct file_ops *ops = i->dev_ops ? i->dev_ops : inode_is_dir(i) ? &directory_ops : &regular_ops;
	if (counts_as_writer(i, flags) && (*err = inode_get_write_access(i)) != 0) {
		inode_put(i);
		return NULL;
	}
	struct file *f = file_alloc(ops, (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE,
				    i->dev_data);
	if (!f) {
		if (counts_as_writer(i, flags))
			inode_put_write_access(i);
		inode_put(i); /* the caller's reference is consumed on every path */
		*err = -ENOMEM;
		return NULL;
	}
	f->inode = i; /* the file now owns the caller's reference */
	if (ops->open && (*err = ops->open(i, f)) != 0) {
		f->ops = &directory_ops; /* no release for a failed open */
		file_put(f);
		return NULL;
	}
	if (ops->owner)
		module_get(ops->owner); /* the module cannot be unloaded while the file is open */
	return f;
}

long sys_openat(int dirfd, const char __user *upath, int flags, mode_t mode)
{
	if (KASAN_ENABLED) /* so that /proc/meminfo is read as without KASAN: kernel/debug/kasan_heap.c */
		kasan_quarantine_drain();
	if (flags & ~OPEN_FLAGS_KNOWN)
		return -EINVAL;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL; /* Linux's rule since 6.4: O_CREAT makes files, never directories */
	if (flags & O_PATH) /* a name only: every other flag is ignored, as Linux does */
		flags &= O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW;
	struct inode *dir, *i;
	char last[NAME_MAX + 1];
	bool slash;
	/* A last symbolic link is followed -- to create its target, with
	 * O_CREAT -- except with O_NOFOLLOW, or O_EXCL, which must fail on
	 * any name that exists. */
	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	int err = resolve_at(dirfd, upath, follow ? PARENT_FOLLOW : PARENT_NOFOLLOW, &dir, last, &slash);
	if (err)
		return err;
	err = open_inode(dir, last, slash, flags, mode, &i);
	inode_put(dir);
	if (err)
		return err;
	if ((flags & O_ACCMODE) != O_RDONLY && inode_is_reg(i) && !i->dev_ops && i->write_count < 0) {
		inode_put(i);
		return -ETXTBSY; /* a running program: before O_TRUNC empties it */
	}
	if (i->leases && !(flags & O_PATH) && (err = (int)lease_break(i, (unsigned)flags)) != 0) {
		inode_put(i);
		return err; /* a holder did not let go in time for O_NONBLOCK, or a signal came */
	}
	if ((flags & O_TRUNC) && inode_is_reg(i) && (flags & O_ACCMODE) != O_RDONLY) {
		inode_kill_suid(i);
		inode_truncate(i, 0);
	}
	struct file *f = file_open_inode(i, flags, &err);
	if (!f)
		return err;
	int fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(const char __user *path, int flags, mode_t mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

long sys_creat(const char __user *path, mode_t mode)
{
	return sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* --- stat ------------------------------------------------------------------------------------- */

static void stat_file(struct file *f, struct stat *st)
{
	if (f->inode) {
		inode_stat(f->inode, st);
		return;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = f->ops->anon_mode ? f->ops->anon_mode : 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_ino = (unsigned long)f >> 4; /* unique while open */
}

static long put_stat(struct stat __user *ust, const struct stat *st)
{
	return copy_to_user(ust, st, sizeof(*st)) ? -EFAULT : 0;
}

long sys_fstat(int fd, struct stat __user *ust)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	struct stat st;
	stat_file(f, &st);
	return put_stat(ust, &st);
}

long sys_newfstatat(int dirfd, const char __user *upath, struct stat __user *ust, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c;
		if (copy_from_user(&c, upath, 1))
			return -EFAULT;
		if (c == 0)
			return dirfd == AT_FDCWD ? sys_newfstatat(dirfd, ".", ust, 0) : sys_fstat(dirfd, ust);
	}
	struct inode *i;
	int err = (flags & AT_SYMLINK_NOFOLLOW) ? lookup_nofollow_at(dirfd, upath, &i) : lookup_at(dirfd, upath, &i);
	if (err)
		return err;
	struct stat st;
	inode_stat(i, &st);
	inode_put(i);
	return put_stat(ust, &st);
}

long sys_stat(const char __user *path, struct stat __user *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, 0);
}

long sys_lstat(const char __user *path, struct stat __user *st)
{
	return sys_newfstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

/*
 * access asks "may the user who ran me do this?": a set-user-ID program
 * checks for its caller. So the walk and the check run with the real uid
 * and gid in place of the filesystem ones (AT_EACCESS: the effective ones,
 * as open would check). F_OK asks only whether the name resolves.
 */
long sys_faccessat2(int dirfd, const char __user *path, int mode, int flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct cred *saved = (flags & AT_EACCESS) ? NULL : cred_override_real();
	struct inode *i;
	int err = (flags & AT_EMPTY_PATH) ? empty_path_at(dirfd, path, &i) : 1;
	if (err == 1)
		err = (flags & AT_SYMLINK_NOFOLLOW) ? lookup_nofollow_at(dirfd, path, &i) : lookup_at(dirfd, path, &i);
	if (!err) {
		err = inode_permission(i, mode & (R_OK | W_OK | X_OK));
		inode_put(i);
	}
	cred_revert(saved);
	return err;
}

long sys_faccessat(int dirfd, const char __user *path, int mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}

long sys_access(const char __user *path, int mode)
{
	return sys_faccessat(AT_FDCWD, path, mode);
}

/* --- directories -------------------------------------------------------------------------------- */

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* d_type (DT_REG, DT_DIR, DT_LNK...) is the file type of st_mode, moved
 * down to the low bits: Linux's own definition. */
static uint8_t dirent_type(const struct inode *i)
{
	return (uint8_t)((i->mode & S_IFMT) >> 12);
}

long sys_getdents64(int fd, void __user *dirp, unsigned int count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode || !inode_is_dir(f->inode))
		return -ENOTDIR;
	if (!access_ok(dirp, count))
		return -EFAULT;
	char rec[sizeof(struct linux_dirent64) + NAME_MAX + 8] __attribute__((aligned(8)));
	size_t done = 0;
	const char *name;
	struct inode *i;
	uint64_t pos = (uint64_t)f->pos;
	while (dir_entry_from(f->inode, &pos, &name, &i)) {
		size_t len = strlen(name);
		size_t reclen = ALIGN_UP(sizeof(struct linux_dirent64) + len + 1, 8);
		if (done + reclen > count) {
			if (done == 0)
				return -EINVAL; /* the buffer cannot hold even one entry */
			break;
		}
		struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
		memset(rec, 0, reclen);
		d->d_ino = i->ino;
		d->d_off = (int64_t)pos + 1;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = dirent_type(i);
		memcpy(d->d_name, name, len);
		if (copy_to_user((char __user *)dirp + done, rec, reclen))
			return -EFAULT;
		done += reclen;
		f->pos = (off_t)++pos; /* the next call starts after this entry */
	}
	return done;
}

long sys_mkdirat(int dirfd, const char __user *path, mode_t mode)
{
	struct inode *dir;
	char last[NAME_MAX + 1];
	int err = parent_at(dirfd, path, &dir, last, NULL);
	if (err)
		return err;
	if (kernel_names(dir) && !dir_lookup(dir, last))
		err = -ENOENT;
	else if (dir_lookup(dir, last))
		err = -EEXIST; /* before the permission check, as Linux */
	else if (!(err = may_create(dir)))
		err = dir_create(dir, last, S_IFDIR | (mode & 07777 & ~current->fs->umask), NULL);
	inode_put(dir);
	return err;
}

long sys_mkdir(const char __user *path, mode_t mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

/* unlinkat's refusals before the directory's own (dir_unlink). */
static int may_unlink(struct inode *dir, const char *last, bool slash, bool is_dir)
{
	if (dir == root_inode && !strcmp(last, "."))
		return is_dir ? -EBUSY : -EISDIR; /* the path was "/" */
	int err = check_slash(dir, last, slash);
	if (!err && kernel_names(dir) && dir_lookup(dir, last))
		err = -EPERM;
	if (!err && strcmp(last, ".") && strcmp(last, ".."))
		err = may_delete(dir, dir_lookup(dir, last));
	return err;
}

long sys_unlinkat(int dirfd, const char __user *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	struct inode *dir;
	char last[NAME_MAX + 1];
	bool slash, is_dir = flags & AT_REMOVEDIR;
	int err = parent_at(dirfd, path, &dir, last, &slash);
	if (err)
		return err;
	err = may_unlink(dir, last, slash, is_dir);
	if (!err)
		err = dir_unlink(dir, last, is_dir);
	inode_put(dir);
	return err;
}

long sys_unlink(const char __user *path)
{
	return sys_unlinkat(AT_FDCWD, path, 0);
}

long sys_rmdir(const char __user *path)
{
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

/* rename removes one name and adds another: the permission of both. A
 * directory that moves to another parent must be writable itself, as its
 * ".." entry changes. Missing names are left to dir_rename's ENOENT. */
static int may_rename(struct inode *olddir, const char *oldlast, struct inode *newdir, const char *newlast)
{
	struct inode *src = dir_lookup(olddir, oldlast), *dst = dir_lookup(newdir, newlast);
	if (!src || !strcmp(oldlast, ".") || !strcmp(oldlast, ".."))
		return 0;
	int err = may_delete(olddir, src);
	if (!err)
		err = dst ? may_delete(newdir, dst) : may_create(newdir);
	if (!err && inode_is_dir(src) && olddir != newdir)
		err = inode_permission(src, MAY_WRITE);
	return err;
}

long sys_renameat(int olddirfd, const char __user *oldpath, int newdirfd, const char __user *newpath)
{
	struct inode *olddir, *newdir;
	char oldlast[NAME_MAX + 1], newlast[NAME_MAX + 1];
	bool oldslash, newslash;
	int err = parent_at(olddirfd, oldpath, &olddir, oldlast, &oldslash);
	if (err)
		return err;
	err = parent_at(newdirfd, newpath, &newdir, newlast, &newslash);
	if (!err) {
		/* Between filesystems dir_rename says EXDEV; inside /proc, no. */
		if (kernel_names(newdir) && olddir->fs == newdir->fs)
			err = -ENOENT;
		else
			err = check_slash(olddir, oldlast, oldslash || newslash);
		if (!err)
			err = may_rename(olddir, oldlast, newdir, newlast);
		if (!err)
			err = dir_rename(olddir, oldlast, newdir, newlast);
		inode_put(newdir);
	}
	inode_put(olddir);
	return err;
}

long sys_rename(const char __user *oldpath, const char __user *newpath)
{
	return sys_renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

/* --- the file-creation mask ------------------------------------------------------------------ */

/* Each process's umask (inherited by fork, kept by exec) takes bits away
 * from the mode open(O_CREAT) and mkdir are asked for: with the usual 022,
 * 0666 becomes 0644, so nobody else may write the new file. */
long sys_umask(mode_t mask)
{
	unsigned old = current->fs->umask;
	current->fs->umask = mask & 0777;
	return old;
}

