/*
 * /proc/sys: the kernel's tunable numbers as files (course section: observability).
 *
 * Linux calls them sysctls: `cat /proc/sys/vm/max_map_count` reads one,
 * `echo 100000 > /proc/sys/vm/max_map_count` (as root) sets it. Each is a
 * long in some subsystem, with the range it accepts; writing a number
 * outside that range, or text that is not a number, is EINVAL, as on Linux.
 * The subsystem owns the variable; this file only shows it and sets it.
 * A few are read-only here, as limits fixed when sysgate is built:
 * kernel/pid_max (pids wrap around below it) and kernel/threads-max (how
 * many tasks, processes and threads alike, may exist at once).
 */
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "mm/map_count.h"
#include "mm/uaccess.h"

struct sysctl {
	const char *dir;  /* under /proc/sys */
	const char *name;
	long *value;
	long min, max;
	bool read_only;
};

static long pid_max = PID_MAX, threads_max = MAX_TASKS;

/* The table: one line a sysctl. */
static const struct sysctl sysctls[] = {
	{ "vm", "max_map_count", &max_map_count, 0, INT32_MAX, false },
	{ "kernel", "pid_max", &pid_max, PID_MAX, PID_MAX, true },
	{ "kernel", "threads-max", &threads_max, MAX_TASKS, MAX_TASKS, true },
};

static int show_sysctl(struct proc_text *t, pid_t index)
{
	proc_printf(t, "%ld\n", *sysctls[index].value);
	return 0;
}

/* "123\n" or "-5" as a long; false for anything else. */
static bool parse_long(const char *s, size_t n, long *out)
{
	size_t i = 0;
	bool negative = n > 0 && s[0] == '-';
	i += negative;
	if (i == n || s[i] < '0' || s[i] > '9')
		return false;
	long v = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	while (i < n && (s[i] == '\n' || s[i] == ' '))
		i++;
	*out = negative ? -v : v;
	return i == n;
}

/* A number written by the reader; only root sets sysctls, as on Linux. */
long procfs_parse_user_long(const void __user *ubuf, size_t n, long *out)
{
	char buf[24];
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, n))
		return -EFAULT;
	return parse_long(buf, n, out) ? 0 : -EINVAL;
}

static ssize_t write_sysctl(const void __user *ubuf, size_t n, pid_t index)
{
	const struct sysctl *s = &sysctls[index];
	long v;
	long err = procfs_parse_user_long(ubuf, n, &v);
	if (err)
		return err;
	if (v < s->min || v > s->max)
		return -EINVAL;
	*s->value = v;
	return (ssize_t)n;
}

/* The directory dir/name, made if it is missing; NULL when memory runs out. */
static struct inode *subdir(struct inode *dir, const char *name)
{
	struct inode *d = dir_lookup(dir, name);
	if (!d && dir_create(dir, name, S_IFDIR | 0555, &d))
		return NULL;
	return d;
}

void sysctl_init(void)
{
	struct inode *sys = subdir(procfs_root(), "sys");
	for (size_t i = 0; sys && i < ARRAY_SIZE(sysctls); i++) {
		struct inode *dir = subdir(sys, sysctls[i].dir);
		if (dir)
			procfs_add_in(dir, sysctls[i].name, show_sysctl, sysctls[i].read_only ? NULL : write_sysctl, (int)i);
	}
}
