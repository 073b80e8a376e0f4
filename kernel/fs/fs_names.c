/*
 * Files by name: open, stat, directories (course section: files).
 *
 * These syscalls turn a path into an inode (kernel/namei.c) and then act on
 * it: open makes a struct file for it, stat reports it, mkdir/unlink/rename
 * change directories. Each *at() variant takes a directory descriptor that
 * relative paths start from; AT_FDCWD means the current directory, and the
 * plain calls (open, mkdir...) are the *at() calls with AT_FDCWD.
 */
#include "kernel/file.h"
#include "kernel/rlimit.h"
#include "kernel/module.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/vfs.h"
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

/* --- resolving paths from user arguments -------------------------------------------------------- */

/* The directory a relative path starts from, for the *at() calls. */
static int dirfd_base(int dirfd, const char *path, struct inode **base)
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
enum resolve { FILE_FOLLOW, FILE_NOFOLLOW, PARENT_NOFOLLOW, PARENT_FOLLOW };

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
static int resolve_at(int dirfd, const char __user *upath, enum resolve how, struct inode **out, char *last,
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

static int lookup_at(int dirfd, const char __user *upath, struct inode **out)
{
	return resolve_at(dirfd, upath, FILE_FOLLOW, out, NULL, NULL);
}

static int lookup_nofollow_at(int dirfd, const char __user *upath, struct inode **out)
{
	return resolve_at(dirfd, upath, FILE_NOFOLLOW, out, NULL, NULL);
}

static int parent_at(int dirfd, const char __user *upath, struct inode **dir, char *last, bool *slash)
{
	return resolve_at(dirfd, upath, PARENT_NOFOLLOW, dir, last, slash);
}

/* A path ending in '/' can only name a directory: "file/" is ENOTDIR. */
static int check_slash(struct inode *dir, const char *last, bool slash)
{
	struct inode *i = slash ? dir_lookup(dir, last) : NULL;
	return i && !inode_is_dir(i) ? -ENOTDIR : 0;
}

/* In /proc the names are the kernel's (see kernel/vfs.h). */
static bool kernel_names(const struct inode *dir)
{
	return dir->fs == FS_PROC;
}

/* --- open ------------------------------------------------------------------------------------- */

static int open_inode(struct inode *dir, const char *last, bool slash, int flags, unsigned mode,
		      struct inode **out)
{
	struct inode *i = dir_lookup(dir, last);
	if (i && (flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (i && inode_is_symlink(i)) /* O_NOFOLLOW (else the walk followed it) */
		return (flags & O_DIRECTORY) ? -ENOTDIR : -ELOOP;
	if (i && slash && !inode_is_dir(i))
		return -ENOTDIR;
	if (!i) {
		if (!(flags & O_CREAT) || kernel_names(dir))
			return -ENOENT;
		if (slash)
			return -EISDIR; /* O_CREAT makes files, and "name/" would be a directory */
		int err = dir_create(dir, last, S_IFREG | (mode & 07777 & ~current->umask), &i);
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

struct file *file_open_inode(struct inode *i, int flags, int *err)
{
	const struct file_ops *ops = i->dev_ops ? i->dev_ops : inode_is_dir(i) ? &directory_ops : &regular_ops;
	struct file *f = file_alloc(ops, (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE,
				    i->dev_data);
	if (!f) {
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
	if (flags & ~OPEN_FLAGS_KNOWN)
		return -EINVAL;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL; /* Linux's rule since 6.4: O_CREAT makes files, never directories */
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
	if ((flags & O_TRUNC) && inode_is_reg(i) && (flags & O_ACCMODE) != O_RDONLY)
		inode_truncate(i, 0);
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

long sys_faccessat(int dirfd, const char __user *path, int mode)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	struct inode *i;
	int err = lookup_at(dirfd, path, &i);
	if (err)
		return err;
	/* Every process runs as root: only X_OK can fail, when no x bit is set. */
	if ((mode & X_OK) && !inode_is_dir(i) && !(i->mode & 0111))
		err = -EACCES;
	inode_put(i);
	return err;
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
	while (dir_entry_at(f->inode, (size_t)f->pos, &name, &i)) {
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
		d->d_off = f->pos + 1;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = dirent_type(i);
		memcpy(d->d_name, name, len);
		if (copy_to_user((char __user *)dirp + done, rec, reclen))
			return -EFAULT;
		done += reclen;
		f->pos++;
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
	else
		err = dir_create(dir, last, S_IFDIR | (mode & 07777 & ~current->umask), NULL);
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
	unsigned old = current->umask;
	current->umask = mask & 0777;
	return old;
}

/* May link or symlink add the name `last` to dir? Not in /proc, whose
 * names are the kernel's; and "name/" must be a directory, which a new
 * name would not be (both ENOENT, as on Linux). An existing name is left
 * to the caller's EEXIST. */
static int check_new_name(struct inode *dir, const char *last, bool slash)
{
	if (kernel_names(dir) || (slash && !dir_lookup(dir, last)))
		return -ENOENT;
	return 0;
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
 * (kernel/namei.c) reads it in place of the link's name. The target is
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
	if (current->cwd)
		inode_put(current->cwd);
	current->cwd = i;
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
	int len = inode_path(current->cwd ? current->cwd : root_inode, path, MIN(size, (unsigned long)PATH_MAX));
	if (len > 0 && copy_to_user(buf, path, len))
		len = -EFAULT;
	kfree(path);
	return len;
}
