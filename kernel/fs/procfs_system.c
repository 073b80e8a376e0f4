/*
 * /proc files about the whole system that df, mount and top read
 * (course section: observability).
 *
 *   /proc/mounts   one line per filesystem: what, where, type, options
 *                  ("proc /proc proc rw,nosuid,nodev,noexec 0 0")
 *   /proc/stat     CPU time since boot in clock ticks of 1/100 s (user,
 *                  nice, system, idle...), then context switches, boot
 *                  time, processes made, running and blocked
 *   /proc/loadavg  the load averages (sysgate keeps none: 0.00), running
 *                  and existing processes, the newest pid
 * All in Linux's formats, which busybox parses.
 */
#include "drivers/timer.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/procfs_system.h"
#include "kernel/proc/task.h"

#define USER_HZ 100

static int gen_mounts(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "ramfs / ramfs rw 0 0\n");
	proc_printf(t, "devtmpfs /dev devtmpfs rw,nosuid 0 0\n");
	proc_printf(t, "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n");
	proc_printf(t, "proc /proc proc rw,nosuid,nodev,noexec 0 0\n");
	return 0;
}

static int gen_stat(struct proc_text *t, pid_t pid)
{
	(void)pid;
	uint64_t user = 0, system = 0, running = 0;
	list_for_each(n, &all_tasks) {
		const struct task *p = list_entry(n, struct task, all);
		user += p->user_ticks + p->children_user_ticks;
		system += p->system_ticks + p->children_system_ticks;
		running += p->state == TASK_RUNNING;
	}
	uint64_t all = timer_ticks() * USER_HZ / TIMER_HZ;
	user = user * USER_HZ / TIMER_HZ;
	system = system * USER_HZ / TIMER_HZ;
	if (user + system > all) /* children's times are counted by their parents too */
		system = all > user ? all - user : 0;
	uint64_t idle = all - user - system;
	proc_printf(t, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", user, system, idle);
	proc_printf(t, "cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user, system, idle);
	proc_printf(t, "intr %lu\nctxt 0\n", timer_ticks());
	uint64_t boot = (clock_realtime_ns() - clock_monotonic_ns()) / 1000000000;
	/* "processes" is forks since boot on Linux; sysgate counts no forks,
	 * so it shows the processes that exist now. */
	proc_printf(t, "btime %lu\nprocesses %d\nprocs_running %lu\nprocs_blocked 0\n", boot, task_count, running);
	return 0;
}

static int gen_loadavg(struct proc_text *t, pid_t pid)
{
	(void)pid;
	int running = 0, newest = 0;
	list_for_each(n, &all_tasks) {
		const struct task *p = list_entry(n, struct task, all);
		running += p->state == TASK_RUNNING;
		newest = p->pid > newest ? p->pid : newest;
	}
	proc_printf(t, "0.00 0.00 0.00 %d/%d %d\n", running, task_count, newest);
	return 0;
}

void procfs_system_init(void)
{
	procfs_add("loadavg", gen_loadavg);
	procfs_add("mounts", gen_mounts);
	procfs_add("stat", gen_stat);
}
