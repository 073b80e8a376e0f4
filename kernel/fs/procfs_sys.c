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
 * kernel/printk holds four numbers (the console's level and its kin,
 * kernel/printk.c), shown tab-separated; a write sets the first ones
 * given, as Linux's proc_dointvec does.
 */
#include "kernel/fs/procfs.h"
#include "kernel/bpf/bpf.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
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

static long pid_max = PID_MAX, threads_max = MAX_TASKS;

/* The table: one line a sysctl. */
static const struct sysctl sysctls[] = {
	{ "vm", "max_map_count", &max_map_count, 0, INT32_MAX, false, 1 },
	{ "kernel", "pid_max", &pid_max, PID_MAX, PID_MAX, true, 1 },
	{ "kernel", "threads-max", &threads_max, MAX_TASKS, MAX_TASKS, true, 1 },
	{ "kernel", "printk", printk_levels, INT32_MIN, INT32_MAX, false, PRINTK_LEVELS },
	/* 1: BPF programs loaded from now on are compiled to x86_64; 0: interpreted. */
	{ "net/core", "bpf_jit_enable", &bpf_jit_enable, 0, 1, false, 1 },
};

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
			procfs_add_in(dir, sysctls[i].name, show_sysctl, sysctls[i].read_only ? NULL : write_sysctl, (int)i);
	}
}
