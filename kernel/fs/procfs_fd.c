/*
 * /proc/PID/fd and /proc/PID/fdinfo: a process's open descriptors as files
 * (course section: observability; procfs and sysfs).
 *
 * /proc/PID/fd has one symbolic link per open descriptor, named by its
 * number; readlink gives what the descriptor refers to, in Linux's words:
 * a path ("/dev/null"), or for files without a name "pipe:[N]",
 * "socket:[N]", "anon_inode:[eventfd]". /proc/PID/fdinfo/N is a text file
 * with the descriptor's position, open flags (octal, O_CLOEXEC included)
 * and mount number.
 *
 * The choice: these directories are not kept up to date at every open and
 * close (that would put procfs work on the fast path of every descriptor
 * call, for the rare reader). Instead their entries are made anew when the
 * directory is looked up by a path walk (ramfs.c's dir_lookup calls
 * procfs_fd_refresh), which every readlink("/proc/PID/fd/N"), ls and open
 * does first. The cost is one pass over the descriptor table per lookup,
 * and for each file with a name a search of the tree for it (a file keeps
 * no pointer to its directory): this grows with the files in the tree, a
 * price only readers of /proc/PID/fd pay.
 * What this leaves out: a directory opened and read later lists the
 * descriptors of the moment it was opened (the descriptor opened for the
 * directory itself is not yet in it, unlike Linux).
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "libc/format.h"
#include "mm/heap.h"

#define FD_NAME_MAX 12
#define FD_LINK_MAX PATH_MAX
#define FDINFO_PID_SHIFT 16 /* the fdinfo generator's argument: pid << 16 | fd */
_Static_assert(((long)(PID_MAX - 1) << FDINFO_PID_SHIFT) + MAX_FDS - 1 <= INT32_MAX && MAX_FDS <= (1 << FDINFO_PID_SHIFT),
	       "pid << 16 | fd fits an int");
#define O_LARGEFILE_BIT 0100000 /* Linux sets it on every open() of a path on x86_64 */

/* What a /proc/PID/fd or fdinfo directory's dev_data holds. */
struct fd_dir {
	const void *tag; /* &fd_dir_tag: tells these directories from the others */
	pid_t pid;
	bool info; /* fdinfo rather than fd */
};

static const char fd_dir_tag;

static struct fd_dir *fd_dir_of(const struct inode *dir)
{
	struct fd_dir *d = dir->fs == FS_PROC && inode_is_dir(dir) ? dir->dev_data : NULL;
	return d && d->tag == &fd_dir_tag ? d : NULL;
}

/* A bounded string built with the kernel's formatter. */
struct text_buf {
	char *buf;
	size_t size, len;
};

static void text_emit(void *ctx, const char *s, size_t n)
{
	struct text_buf *b = ctx;
	while (n-- && b->len + 1 < b->size)
		b->buf[b->len++] = *s++;
	b->buf[b->len] = 0;
}

__attribute__((format(printf, 3, 4))) static void text_printf(char *buf, size_t size, const char *fmt, ...)
{
	struct text_buf b = { buf, size, 0 };
	va_list ap;
	buf[0] = 0;
	va_start(ap, fmt);
	vformat(text_emit, &b, fmt, ap);
	va_end(ap);
}

/* A descriptor number from an entry's name. */
static int parse_fd(const char *name)
{
	int fd = 0;
	for (; *name >= '0' && *name <= '9' && fd < MAX_FDS; name++)
		fd = fd * 10 + (*name - '0');
	return *name ? -1 : fd;
}

static struct fd_table *files_of(pid_t pid)
{
	struct task *t = task_find(pid);
	return t && t->state != TASK_ZOMBIE ? t->files : NULL;
}

/* --- what a descriptor refers to, as Linux writes it ------------------------- */

/* Depth-first search for the directory entry naming inode i (files keep no
 * parent pointer); /proc, /sys and tracefs are not searched. */
static bool find_name(struct inode *dir, const struct inode *i, int depth, struct inode **parent,
		      const char **name)
{
	const char *n;
	struct inode *child;
	for (size_t k = 2; dir_entry_at(dir, k, &n, &child); k++) {
		if (child == i) {
			*parent = dir;
			*name = n;
			return true;
		}
		if (depth > 0 && inode_is_dir(child) && child->fs != FS_PROC && child->fs != FS_SYS &&
		    child->fs != FS_TRACE && find_name(child, i, depth - 1, parent, name))
			return true;
	}
	return false;
}

/* A number naming an object without an inode: both ends of a pipe share it. */
static unsigned long object_number(const void *obj)
{
	return ((unsigned long)obj >> 4) & 0xfffffff;
}

static void describe_file(const struct file *f, char *buf, size_t size)
{
	struct inode *i = f->inode;
	if (i && inode_is_dir(i) && inode_path(i, buf, size) > 0)
		return;
	if (i && i != root_inode) {
		struct inode *parent;
		const char *name;
		if (find_name(root_inode, i, 16, &parent, &name)) {
			int n = inode_path(parent, buf, size);
			if (n > 0) {
				size_t len = strlen(buf);
				text_printf(buf + len, size - len, "%s%s", len > 1 ? "/" : "", name);
				return;
			}
		}
		text_printf(buf, size, "/ (deleted)");
		return;
	}
	unsigned type = f->ops->anon_mode & S_IFMT;
	if (type == S_IFIFO)
		text_printf(buf, size, "pipe:[%lu]", object_number(f->private));
	else if (type == S_IFSOCK)
		text_printf(buf, size, "socket:[%lu]", object_number(f->private));
	else
		text_printf(buf, size, "anon_inode:%s", f->ops->anon_name ? f->ops->anon_name : "[unknown]");
}

/* --- /proc/PID/fdinfo/N ---------------------------------------------------------- */

static int gen_fdinfo(struct proc_text *t, pid_t arg)
{
	pid_t pid = arg >> FDINFO_PID_SHIFT;
	int fd = arg & ((1 << FDINFO_PID_SHIFT) - 1);
	struct fd_table *ft = files_of(pid);
	struct file *f = ft && fd < MAX_FDS ? ft->fd[fd] : NULL;
	if (!f)
		return -ENOENT; /* closed since the directory was read */
	unsigned flags = f->flags;
	if (ft->cloexec[fd / 64] & (1ul << (fd % 64)))
		flags |= O_CLOEXEC;
	if (f->inode)
		flags |= O_LARGEFILE_BIT;
	int mnt_id = f->inode ? (int)f->inode->fs : 0;
	proc_printf(t, "pos:\t%ld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", (long)f->pos, flags, mnt_id,
		    f->inode ? f->inode->ino : object_number(f->private));
	if (f->ops->show_fdinfo)
		f->ops->show_fdinfo(f, t);
	return 0;
}

/* --- making the entries ------------------------------------------------------------ */

static void fd_name(int fd, char *buf)
{
	text_printf(buf, FD_NAME_MAX, "%d", fd);
}

/* Remove the entries whose descriptor is closed (fd: every link, since a
 * number may now name another file). An fdinfo file someone holds open
 * stays until closed: its generator answers ENOENT. */
static void drop_stale(struct inode *dir, const struct fd_dir *d, struct fd_table *ft, bool all)
{
	const char *name;
	struct inode *i;
	for (size_t k = 2; dir_entry_at(dir, k, &name, &i);) {
		int fd = parse_fd(name);
		bool open = ft && fd >= 0 && fd < MAX_FDS && ft->fd[fd];
		if (all || !d->info || (!open && i->refs == 0)) {
			char copy[FD_NAME_MAX];
			strncpy(copy, name, sizeof(copy));
			if (d->info)
				procfs_dir_remove_file(dir, copy);
			else
				dir_unlink(dir, copy, false);
			continue; /* the next entry moved into place k */
		}
		k++;
	}
}

void procfs_fd_refresh(struct inode *dir)
{
	struct fd_dir *d = fd_dir_of(dir);
	if (!d)
		return;
	struct fd_table *ft = files_of(d->pid);
	drop_stale(dir, d, ft, false);
	if (!ft)
		return;
	char *link = d->info ? NULL : kmalloc(FD_LINK_MAX);
	if (!d->info && !link)
		return;
	for (int fd = 0; fd < MAX_FDS; fd++) {
		struct file *f = ft->fd[fd];
		char name[FD_NAME_MAX];
		if (!f)
			continue;
		fd_name(fd, name);
		if (d->info) {
			if (!dir_lookup(dir, name))
				procfs_add_in(dir, name, gen_fdinfo, NULL, (d->pid << FDINFO_PID_SHIFT) | fd);
			continue;
		}
		describe_file(f, link, FD_LINK_MAX);
		dir_symlink(dir, name, link);
	}
	kfree(link);
}

static void add_dir(struct inode *pid_dir, const char *name, pid_t pid, bool info)
{
	struct fd_dir *d = kmalloc(sizeof(*d));
	struct inode *dir;
	if (!d)
		return;
	*d = (struct fd_dir){ .tag = &fd_dir_tag, .pid = pid, .info = info };
	if (dir_create(pid_dir, name, S_IFDIR | (info ? 0555 : 0500), &dir)) {
		kfree(d);
		return;
	}
	dir->dev_data = d;
}

void procfs_fd_added(struct inode *pid_dir, pid_t pid)
{
	add_dir(pid_dir, "fd", pid, false);
	add_dir(pid_dir, "fdinfo", pid, true);
}

static void remove_dir(struct inode *pid_dir, const char *name)
{
	struct inode *dir = dir_lookup(pid_dir, name);
	struct fd_dir *d = dir ? fd_dir_of(dir) : NULL;
	if (!d)
		return;
	drop_stale(dir, d, NULL, true); /* as the other /proc/PID files go */
	dir->dev_data = NULL;
	kfree(d);
	dir_unlink(pid_dir, name, true);
}

void procfs_fd_removed(struct inode *pid_dir)
{
	remove_dir(pid_dir, "fd");
	remove_dir(pid_dir, "fdinfo");
}
