/*
 * A file's times, set by hand: utimensat (course section: files).
 *
 * Every inode keeps three times: atime (last read), mtime (last change of
 * contents) and ctime (last change of the inode itself, which nobody can
 * set). `touch` sets atime and mtime: to now (times NULL, or UTIME_NOW),
 * to a given time, or leaves one as it is (UTIME_OMIT). Setting them to
 * now is allowed to whoever may write the file, as writing would do that
 * anyway; setting them to any other time only to the owner (or
 * CAP_FOWNER): otherwise anyone could make a changed file look untouched.
 */
#include "drivers/timer.h"
#include "kernel/cred/cred.h"
#include "kernel/cred/permission.h"
#include "kernel/fs/file.h"
#include "kernel/fs/path_at.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/time.h"
#include "mm/uaccess.h"

#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

static int valid_time(const struct timespec *t)
{
	if (t->tv_nsec == UTIME_NOW || t->tv_nsec == UTIME_OMIT)
		return 0;
	return t->tv_nsec < 0 || t->tv_nsec >= 1000000000 ? -EINVAL : 0;
}

static struct timespec now(void)
{
	uint64_t ns = clock_realtime_ns();
	return (struct timespec){ (long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC) };
}

static int set_times(struct inode *i, const struct timespec t[2], bool given)
{
	bool to_now = !given || (t[0].tv_nsec == UTIME_NOW && t[1].tv_nsec == UTIME_NOW);
	bool omit_all = given && t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT;
	if (omit_all)
		return 0;
	if (!owner_or_capable(i)) {
		if (!to_now)
			return -EPERM;
		if (inode_permission(i, MAY_WRITE))
			return -EACCES;
	}
	struct timespec n = now();
	if (!given || t[0].tv_nsec != UTIME_OMIT)
		i->atime = (!given || t[0].tv_nsec == UTIME_NOW) ? n : t[0];
	if (!given || t[1].tv_nsec != UTIME_OMIT)
		i->mtime = (!given || t[1].tv_nsec == UTIME_NOW) ? n : t[1];
	i->ctime = n;
	return 0;
}

/* utimensat(dirfd, NULL, ...) is futimens(dirfd): Linux's own extension. */
long sys_utimensat(int dirfd, const char __user *path, const struct timespec __user *utimes, int flags)
{
	struct timespec t[2];
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		if (valid_time(&t[0]) || valid_time(&t[1]))
			return -EINVAL;
	}
	struct inode *i;
	int err;
	if (!path) {
		struct file *f = dirfd == AT_FDCWD ? NULL : fd_get(dirfd);
		if (!f)
			return dirfd == AT_FDCWD ? -EFAULT : -EBADF;
		if (!f->inode)
			return -EBADF;
		inode_get(f->inode);
		i = f->inode;
		err = 0;
	} else {
		err = (flags & AT_EMPTY_PATH) ? empty_path_at(dirfd, path, &i) : 1;
		if (err == 1)
			err = (flags & AT_SYMLINK_NOFOLLOW) ? lookup_nofollow_at(dirfd, path, &i) : lookup_at(dirfd, path, &i);
	}
	if (err)
		return err;
	err = set_times(i, t, utimes != NULL);
	inode_put(i);
	return err;
}
