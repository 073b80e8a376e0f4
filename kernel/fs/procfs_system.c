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
 *   /proc/version, /proc/cpuinfo, /proc/filesystems: what kernel, which
 *                  CPU, which kinds of filesystem
 * All in Linux's formats, which busybox parses.
 */
#include "arch/x86_64/cpu.h"
#include "drivers/timer.h"
#include "libc/include/string.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/procfs_system.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"

#define USER_HZ 100

/* sysgate's filesystems, where they are mounted: the mount id is the
 * filesystem's number, which stat's st_dev (0:N) and fdinfo's mnt_id give. */
static const struct mount_line {
	enum fs_id fs;
	const char *source, *path, *type, *flags, *options;
} mount_table[] = {
	{ FS_ROOT, "ramfs", "/", "ramfs", "rw", "rw" },
	{ FS_DEV, "devtmpfs", "/dev", "devtmpfs", "rw,nosuid", "rw" },
	{ FS_SHM, "tmpfs", "/dev/shm", "tmpfs", "rw,nosuid,nodev", "rw" },
	{ FS_PROC, "proc", "/proc", "proc", "rw,nosuid,nodev,noexec", "rw" },
	{ FS_SYS, "sysfs", "/sys", "sysfs", "rw,nosuid,nodev,noexec", "rw" },
	{ FS_TRACE, "tracefs", "/sys/kernel/tracing", "tracefs", "rw,nosuid,nodev,noexec", "rw" },
};

/* The mount a path lies under: /sys/kernel/tracing's parent is /sys's. */
static enum fs_id parent_mount(const struct mount_line *m)
{
	if (m->fs == FS_ROOT)
		return FS_ROOT;
	return m->fs == FS_SHM ? FS_DEV : m->fs == FS_TRACE ? FS_SYS : FS_ROOT;
}

/* "what where type options 0 0", as fstab. */
static int gen_mounts(struct proc_text *t, pid_t pid)
{
	(void)pid;
	for (size_t i = 0; i < ARRAY_SIZE(mount_table); i++) {
		const struct mount_line *m = &mount_table[i];
		proc_printf(t, "%s %s %s %s 0 0\n", m->source, m->path, m->type, m->flags);
	}
	return 0;
}

/* "id parent major:minor root mountpoint options - type source superoptions" */
int procfs_gen_mountinfo(struct proc_text *t, pid_t pid)
{
	(void)pid;
	for (size_t i = 0; i < ARRAY_SIZE(mount_table); i++) {
		const struct mount_line *m = &mount_table[i];
		proc_printf(t, "%d %d 0:%d / %s %s - %s %s %s\n", m->fs, parent_mount(m), m->fs, m->path, m->flags,
			    m->type, m->source, m->options);
	}
	return 0;
}

static int gen_stat(struct proc_text *t, pid_t pid)
{
	(void)pid;
	uint64_t user = 0, system = 0, running = 0;
	struct list_node *n;
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
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		const struct task *p = list_entry(n, struct task, all);
		running += p->state == TASK_RUNNING;
		newest = p->pid > newest ? p->pid : newest;
	}
	proc_printf(t, "0.00 0.00 0.00 %d/%d %d\n", running, task_count, newest);
	return 0;
}

static int gen_version(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "Linux version 6.1.0-sysgate (sysgate teaching kernel) #1 sysgate teaching kernel\n");
	return 0;
}

static int gen_filesystems(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "nodev\tramfs\nnodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tproc\n");
	return 0;
}

static int gen_cpuinfo(struct proc_text *t, pid_t pid)
{
	(void)pid;
	uint64_t hz = tsc_hz();
	uint32_t a, b, c, d;
	char vendor[13];
	cpuid(0, 0, &a, &b, &c, &d); /* the vendor: 12 bytes in ebx, edx, ecx */
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = 0;
	proc_printf(t, "processor\t: 0\nvendor_id\t: %s\nmodel name\t: x86_64 CPU\n", vendor);
	proc_printf(t, "cpu MHz\t\t: %lu.%03lu\ncpu cores\t: 1\nflags\t\t: fpu tsc msr pae cx8 apic sep pge cmov "
		       "fxsr sse sse2 syscall nx lm\n\n", hz / 1000000, hz / 1000 % 1000);
	return 0;
}

void procfs_system_init(void)
{
	procfs_add("version", gen_version);
	procfs_add("filesystems", gen_filesystems);
	procfs_add("cpuinfo", gen_cpuinfo);
	procfs_add("loadavg", gen_loadavg);
	procfs_add("mounts", gen_mounts);
	procfs_add("stat", gen_stat);
}
