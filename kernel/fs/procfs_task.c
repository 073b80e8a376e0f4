/*
 * /proc/PID/task: one directory per thread (course section: observability;
 * kernel architecture -- what a task is).
 *
 * /proc/PID describes a process; its threads are listed under
 * /proc/PID/task/TID, each with its own stat, status and comm (a thread
 * has its own state, CPU time, signal mask and pending signals). The
 * leader's TID is the PID. /proc/thread-self is the reader's own
 * /proc/PID/task/TID, as /proc/self is its /proc/PID. As on Linux, only
 * group leaders are listed in /proc, but /proc/TID of a thread that is
 * not the leader can still be looked up there, as on Linux: it reaches
 * that thread's /proc/PID/task/TID (procfs_thread_lookup).
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/string.h"

static void number_name(pid_t n, char *buf)
{
	char tmp[12];
	int len = 0;
	do {
		tmp[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	for (int i = 0; i < len; i++)
		buf[i] = tmp[len - 1 - i];
	buf[len] = 0;
}

static int gen_comm(struct proc_text *t, pid_t tid)
{
	struct task *p = task_find(tid);
	if (!p)
		return -ENOENT;
	proc_printf(t, "%s\n", p->name);
	return 0;
}

static const struct {
	const char *name;
	procfs_gen_fn fn;
} thread_files[] = {
	{ "stat", procfs_gen_stat },
	{ "status", procfs_gen_status },
	{ "comm", gen_comm },
};

/* /proc/TGID/task, or NULL. */
static struct inode *task_dir_of(const struct task *t)
{
	char name[12];
	number_name(task_tgid(t), name);
	struct inode *root = procfs_root();
	struct inode *pid_dir = root ? dir_lookup(root, name) : NULL;
	return pid_dir ? dir_lookup(pid_dir, "task") : NULL;
}

void procfs_thread_added(struct task *t)
{
	struct inode *tasks = task_dir_of(t), *dir;
	char name[12];
	number_name(t->pid, name);
	if (!tasks || dir_create(tasks, name, S_IFDIR | 0555, &dir))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(thread_files); i++)
		procfs_add_in(dir, thread_files[i].name, thread_files[i].fn, NULL, t->pid);
}

void procfs_thread_removed(struct task *t)
{
	struct inode *tasks = task_dir_of(t);
	char name[12];
	number_name(t->pid, name);
	struct inode *dir = tasks ? dir_lookup(tasks, name) : NULL;
	if (!dir)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(thread_files); i++)
		procfs_dir_remove_file(dir, thread_files[i].name);
	dir_unlink(tasks, name, true);
}

struct inode *procfs_thread_self(void)
{
	struct inode *tasks = task_dir_of(current);
	char name[12];
	number_name(current->pid, name);
	return tasks ? dir_lookup(tasks, name) : NULL;
}

/* "123" as a tid, or -1 if name is not a plain decimal number. */
static pid_t parse_tid(const char *name)
{
	long n = 0;
	if (!*name)
		return -1;
	for (const char *c = name; *c; c++) {
		if (*c < '0' || *c > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*c - '0');
	}
	return (pid_t)n;
}

struct inode *procfs_thread_lookup(const char *name)
{
	pid_t tid = parse_tid(name);
	struct task *t = tid > 0 ? task_find(tid) : NULL;
	if (!t || t == t->group->leader)
		return NULL; /* a leader is listed already; anything else is not there */
	struct inode *tasks = task_dir_of(t);
	return tasks ? dir_lookup(tasks, name) : NULL;
}
