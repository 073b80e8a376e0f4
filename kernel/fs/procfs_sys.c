/*
 * /proc/sys/kernel: the kernel's limits as files (course section:
 * observability; processes).
 *
 * Linux's sysctl files, read-only here: pid_max, the pids handed out
 * wrap around below it, and threads-max, how many tasks -- processes and
 * threads alike -- may exist at once.
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"

static int gen_pid_max(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "%d\n", PID_MAX);
	return 0;
}

static int gen_threads_max(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "%d\n", MAX_TASKS);
	return 0;
}

void procfs_sys_init(void)
{
	struct inode *sys, *kernel;
	if (dir_create(procfs_root(), "sys", S_IFDIR | 0555, &sys) ||
	    dir_create(sys, "kernel", S_IFDIR | 0555, &kernel))
		return;
	procfs_dir_add_file(kernel, "pid_max", gen_pid_max, 0);
	procfs_dir_add_file(kernel, "threads-max", gen_threads_max, 0);
}
