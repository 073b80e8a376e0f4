/*
 * A process's surroundings in /proc/PID: where it runs from and what it may
 * use (course sections: observability; procfs and sysfs).
 *
 *   exe        a link to the program file the process runs
 *   cwd, root  links to its working directory and its root (chroot)
 *   limits     its resource limits, in Linux's table (`prlimit` and
 *              `cat /proc/self/limits` read it)
 *   mountinfo  the mounts it sees, one line each in Linux's format (findmnt,
 *              systemd and libmount read it; /proc/mounts is the short form)
 *
 * The links follow the design of /proc/PID/fd (procfs_fd.c): they are made
 * anew when a path walk enters /proc/PID, so chdir and exec, which happen
 * far more often than anybody reads these links, do no procfs work.
 * What this leaves out: readlink of another user's links is not refused
 * (Linux answers EACCES unless the reader may ptrace the process).
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/resource.h"
#include "mm/heap.h"
#include "mm/vm.h"

#define LINK_MAX_LEN PATH_MAX

/* A /proc/PID directory's dev_data: tells it from the other directories. */
struct pid_dir {
	const void *tag; /* &pid_dir_tag */
	pid_t pid;
};

static const char pid_dir_tag;

static struct pid_dir *pid_dir_of(const struct inode *dir)
{
	struct pid_dir *d = dir->dev_data;
	return d && d->tag == &pid_dir_tag ? d : NULL;
}

/* Replace the link name in dir by one to target (none when target is NULL). */
static void set_link(struct inode *dir, const char *name, struct inode *target, char *buf)
{
	if (dir_lookup(dir, name))
		dir_unlink(dir, name, false);
	if (!target)
		return;
	procfs_inode_path(target, buf, LINK_MAX_LEN);
	dir_symlink(dir, name, buf);
}

static void refresh_links(struct inode *dir, pid_t pid)
{
	struct task *p = task_find(pid);
	bool alive = p && p->state != TASK_ZOMBIE;
	char *buf = kmalloc(LINK_MAX_LEN);
	if (!buf)
		return;
	struct fs_context *fs = alive ? p->fs : NULL;
	set_link(dir, "exe", alive && p->mm ? p->mm->exe : NULL, buf);
	set_link(dir, "cwd", fs ? (fs->cwd ? fs->cwd : root_inode) : NULL, buf);
	set_link(dir, "root", fs ? (fs->root ? fs->root : root_inode) : NULL, buf);
	kfree(buf);
}

void procfs_lookup_refresh(struct inode *dir)
{
	struct pid_dir *d = pid_dir_of(dir);
	if (d)
		refresh_links(dir, d->pid);
	else
		procfs_fd_refresh(dir);
}

void procfs_links_added(struct inode *pid_dir, pid_t pid)
{
	struct pid_dir *d = kmalloc(sizeof(*d));
	if (!d)
		return;
	*d = (struct pid_dir){ .tag = &pid_dir_tag, .pid = pid };
	pid_dir->dev_data = d;
}

void procfs_links_removed(struct inode *pid_dir)
{
	static const char *const names[] = { "exe", "cwd", "root" };
	struct pid_dir *d = pid_dir_of(pid_dir);
	if (!d)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (dir_lookup(pid_dir, names[i]))
			dir_unlink(pid_dir, names[i], false);
	pid_dir->dev_data = NULL;
	kfree(d);
}

/* --- /proc/PID/limits ----------------------------------------------------------------- */

/* Linux's names and units, in RLIMIT_* order; NULL unit: none printed. */
static const struct {
	const char *name, *unit;
} limit_names[RLIM_NLIMITS] = {
	{ "Max cpu time", "seconds" },       { "Max file size", "bytes" },
	{ "Max data size", "bytes" },        { "Max stack size", "bytes" },
	{ "Max core file size", "bytes" },   { "Max resident set", "bytes" },
	{ "Max processes", "processes" },    { "Max open files", "files" },
	{ "Max locked memory", "bytes" },    { "Max address space", "bytes" },
	{ "Max file locks", "locks" },       { "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" },    { "Max nice priority", NULL },
	{ "Max realtime priority", NULL },   { "Max realtime timeout", "us" },
};

static void print_limit_value(struct proc_text *t, unsigned long v)
{
	if (v == RLIM_INFINITY)
		proc_printf(t, "%-20s ", "unlimited");
	else
		proc_printf(t, "%-20lu ", v);
}

int procfs_gen_limits(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	proc_printf(t, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		proc_printf(t, "%-25s ", limit_names[i].name);
		print_limit_value(t, p->rlim[i].rlim_cur);
		print_limit_value(t, p->rlim[i].rlim_max);
		if (limit_names[i].unit)
			proc_printf(t, "%-10s", limit_names[i].unit);
		proc_printf(t, "\n");
	}
	return 0;
}
