/*
 * /proc/sys: the kernel's tunable numbers as files (course section: observability).
 *
 * Linux calls them sysctls: `cat /proc/sys/vm/max_map_count` reads one,
 * `echo 100000 > /proc/sys/vm/max_map_count` (as root) sets it. Each is a
 * long in some subsystem, with the range it accepts; writing a number
 * outside that range, or text that is not a number, is EINVAL, as on Linux.
 * The subsystem owns the variable; this file only shows it and sets it.
 * kernel/pid_max (pids wrap around below it) is read-only here, a limit
 * fixed when sysgate is built; kernel/threads-max (how many tasks,
 * processes and threads alike, may exist at once) is set at boot from the
 * memory (kernel/proc/task.c), and root may change it, as on Linux.
 * kernel/tainted shows what made the kernel suspect (kernel/debug/taint.c);
 * kernel/shmmax and fs/pipe-max-size are the largest System V segment and
 * pipe buffer. kernel/printk holds four numbers (the console's level and its kin,
 * kernel/printk.c), shown tab-separated; a write sets the first ones
 * given, as Linux's proc_dointvec does.
 */
#include "kernel/fs/procfs.h"
#include "kernel/bpf/bpf.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/debug/taint.h"
#include "kernel/fs/pipe.h"
#include "kernel/fs/lease.h"
#include "kernel/proc/uts.h"
#include "kernel/ipc/shm.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "mm/map_count.h"
#include "mm/uaccess.h"
#include "libc/include/string.h"

struct sysctl {
	const char *dir;  /* under /proc/sys */
	const char *name;
	long *value;      /* count numbers */
	long min, max;
	bool read_only;
	int count;
};

#define SYSCTL_MAX_COUNT 4
#define SYSCTL_WRITE_MAX 64 /* the longest text a write may give */

static long pid_max = PID_MAX;

/* The table: one line a sysctl. */
static const struct sysctl sysctls[] = {
	{ "vm", "max_map_count", &max_map_count, 0, INT32_MAX, false, 1 },
	{ "kernel", "pid_max", &pid_max, PID_MAX, PID_MAX, true, 1 },
	{ "kernel", "threads-max", &threads_max, 20, MAX_TASKS_CEILING, false, 1 },
	{ "kernel", "printk", printk_levels, INT32_MIN, INT32_MAX, false, PRINTK_LEVELS },
	{ "kernel", "tainted", &tainted_mask, 0, 0, true, 1 },  /* kernel/debug/taint.c */
	{ "kernel", "shmmax", &shm_max, 1, INT64_MAX, false, 1 },
	{ "fs", "pipe-max-size", &pipe_max_size, 4096, 1 << 30, false, 1 },
	{ "fs", "lease-break-time", &lease_break_time, 0, INT32_MAX, false, 1 },
	/* 1: BPF programs loaded from now on are compiled to x86_64; 0: interpreted. */
	{ "net/core", "bpf_jit_enable", &bpf_jit_enable, 0, 1, false, 1 },
};

/* kernel/core_pattern: where a core dump would go. sysgate writes none
 * (RLIMIT_CORE is 0 and nothing else is built), and says Linux's default. */
static int show_core_pattern(struct proc_text *t, pid_t unused)
{
	(void)unused;
	proc_printf(t, "core\n");
	return 0;
}

static int count_of(const struct sysctl *s)
{
	return s->count;
}

static int show_sysctl(struct proc_text *t, pid_t index)
{
	const struct sysctl *s = &sysctls[index];
	for (int i = 0; i < count_of(s); i++)
		proc_printf(t, "%ld%c", s->value[i], i + 1 < count_of(s) ? '\t' : '\n');
	return 0;
}

static bool parse_long(const char *s, size_t n, long *out);

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Up to max numbers separated by blanks ("4 4 1 7\n"); how many, or -1 if
 * the text is anything else. */
static int parse_longs(const char *s, size_t n, long *out, int max)
{
	size_t i = 0;
	int got = 0;
	while (i < n && got < max) {
		size_t start = i;
		while (i < n && !is_blank(s[i]))
			i++;
		if (!parse_long(s + start, i - start, &out[got++]))
			return -1;
		while (i < n && is_blank(s[i]))
			i++;
	}
	return i == n ? got : -1;
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
	char buf[SYSCTL_WRITE_MAX];
	long v[SYSCTL_MAX_COUNT];
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, n))
		return -EFAULT;
	int got = parse_longs(buf, n, v, count_of(s));
	if (got < 1)
		return -EINVAL;
	for (int i = 0; i < got; i++)
		if (v[i] < s->min || v[i] > s->max)
			return -EINVAL;
	for (int i = 0; i < got; i++)
		s->value[i] = v[i];
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

/* The directory at path ("net/core") under dir, made as needed. */
static struct inode *subdir_path(struct inode *dir, const char *path)
{
	char part[NAME_MAX + 1];
	while (dir && *path) {
		size_t n = 0;
		while (path[n] && path[n] != '/' && n < NAME_MAX)
			n++;
		memcpy(part, path, n);
		part[n] = 0;
		dir = subdir(dir, part);
		path += n + (path[n] == '/');
	}
	return dir;
}

void sysctl_init(void)
{
	struct inode *sys = subdir(procfs_root(), "sys");
	for (size_t i = 0; sys && i < ARRAY_SIZE(sysctls); i++) {
		struct inode *dir = subdir_path(sys, sysctls[i].dir);
		if (dir)
			procfs_add_sysctl(dir, sysctls[i].name, show_sysctl, sysctls[i].read_only ? NULL : write_sysctl, (int)i);
	}
	struct inode *kernel = sys ? subdir(sys, "kernel") : NULL;
	if (kernel) {
		procfs_add_sysctl(kernel, "core_pattern", show_core_pattern, NULL, 0);
		uts_sysctl_init(kernel); /* the system's names: kernel/proc/uts.c */
	}
}
