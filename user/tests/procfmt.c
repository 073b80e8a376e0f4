/*
 * procfmt: /proc files as tools parse them (course section: observability).
 *
 * The same parsing code runs on both kernels: the Uid/Gid/Groups and Vm
 * lines of /proc/self/status agree with getresuid, getresgid and
 * getgroups; /proc/self/maps lines have Linux's fields and name [stack],
 * [vdso] and [vsyscall]; statm, /proc/stat, /proc/loadavg, /proc/mounts,
 * /proc/version, /proc/filesystems and /proc/cpuinfo have the fields
 * busybox's ps, top, free, uptime, mount and df read; and a forked
 * child's cmdline is its parent's.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char buf[65536];

/* The whole file in buf (NUL-terminated); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;
	if (fd < 0)
		return -1;
	while (n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return n;
}

/* The text after "key" at the start of a line, or NULL. */
static const char *field(const char *key)
{
	size_t len = strlen(key);
	for (const char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len))
			return p + len;
	return NULL;
}

/* Up to max numbers in base `base` from s, each after any run of the
 * characters in skip; how many were read. */
static int numbers(const char *s, int base, const char *skip, unsigned long *out, int max)
{
	int n = 0;
	while (s && n < max) {
		s += strspn(s, skip);
		char *end;
		unsigned long v = strtoul(s, &end, base);
		if (end == s)
			break;
		out[n++] = v;
		s = end;
	}
	return n;
}

static void test_status(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	if (!check("read /proc/self/status", slurp("/proc/self/status") > 0, "cannot"))
		return;
	const char *uid = field("Uid:"), *gid = field("Gid:"), *groups = field("Groups:");
	unsigned long v[4];
	check("Uid: real effective saved fs", numbers(uid, 10, "\t ", v, 4) == 4 && v[0] == r && v[1] == e && v[2] == s &&
	      v[3] == e, "line %.30s", uid ? uid : "(none)");
	check("Gid: real effective saved fs", numbers(gid, 10, "\t ", v, 4) == 4 && v[0] == gr && v[1] == ge &&
	      v[2] == gs, "line %.30s", gid ? gid : "(none)");
	check("Groups: line", groups != NULL, "missing");
	unsigned long vm = 0, rss = 0;
	const char *size = field("VmSize:"), *res = field("VmRSS:");
	check("VmSize: and VmRSS: in kB", numbers(size, 10, "\t ", &vm, 1) == 1 && numbers(res, 10, "\t ", &rss, 1) == 1 &&
	      rss <= vm && vm > 0, "VmSize %lu VmRSS %lu", vm, rss);
	const char *cap = field("CapEff:");
	check("CapEff: 16 hex digits", cap && strspn(cap + strspn(cap, "\t "), "0123456789abcdef") == 16, "%.20s",
	      cap ? cap : "(none)");
}

static void test_maps_statm(void)
{
	if (!check("read /proc/self/maps", slurp("/proc/self/maps") > 0, "cannot"))
		return;
	unsigned long range[2], rest[4];
	int got = numbers(buf, 16, "-", range, 2);
	const char *perms = strchr(buf, ' ');
	/* " rwxp 00000000 fe:00 12345" after the range: offset (hex), major:minor (hex), inode */
	int more = perms ? numbers(perms + 6, 16, " :", rest, 3) : 0;
	check("maps: start-end perms offset dev inode", got == 2 && range[0] < range[1] && perms &&
	      strspn(perms + 1, "rwxps-") == 4 && perms[5] == ' ' && more == 3, "%.60s", buf);
	check("maps names [stack]", strstr(buf, "[stack]") != NULL, "missing");
	check("maps names [vdso]", strstr(buf, "[vdso]") != NULL, "missing");
	check("maps names [vsyscall] --xp", strstr(buf, "--xp 00000000 00:00 0                  [vsyscall]") != NULL,
	      "missing");
	unsigned long statm[7];
	slurp("/proc/self/statm");
	check("statm: seven numbers, resident <= size",
	      numbers(buf, 10, " ", statm, 7) == 7 && statm[1] <= statm[0] && statm[0] > 0, "%.60s", buf);
}

static void test_system_files(void)
{
	unsigned long cpu[4];
	check("/proc/stat: cpu user nice system idle",
	      slurp("/proc/stat") > 0 && !strncmp(buf, "cpu ", 4) && numbers(buf + 3, 10, " ", cpu, 4) == 4, "%.60s", buf);
	check("/proc/stat: btime and processes", field("btime ") && field("processes "), "missing");
	unsigned long l[9]; /* 0.00 0.00 0.00 1/3 4: nine numbers split at '.', ' ' and '/' */
	check("/proc/loadavg: three averages, running/total, last pid",
	      slurp("/proc/loadavg") > 0 && numbers(buf, 10, " ./", l, 9) == 9 && l[6] >= 1 && l[6] <= l[7], "%.60s",
	      buf);
	check("/proc/mounts: proc on /proc", slurp("/proc/mounts") > 0 && strstr(buf, " /proc proc ") != NULL, "%.80s",
	      buf);
	check("/proc/version: \"Linux version \"", slurp("/proc/version") > 0 && !strncmp(buf, "Linux version ", 14),
	      "%.40s", buf);
	check("/proc/filesystems: nodev proc", slurp("/proc/filesystems") > 0 && strstr(buf, "nodev\tproc\n") != NULL,
	      "%.60s", buf);
	check("/proc/cpuinfo: processor 0, vendor_id", slurp("/proc/cpuinfo") > 0 && field("processor\t: 0") &&
	      field("vendor_id\t: "), "%.60s", buf);
}

static void test_cmdline_after_fork(void)
{
	static char mine[4096];
	long n = slurp("/proc/self/cmdline");
	memcpy(mine, buf, n > 0 ? (size_t)n : 0);
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		char c;
		read(p[0], &c, 1);
		_exit(0);
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	long m = slurp(path);
	check("a forked child's cmdline is its parent's", n > 0 && m == n && !memcmp(buf, mine, (size_t)n),
	      "parent %ld bytes, child %ld", n, m);
	write(p[1], "x", 1);
	t_wait(pid, T_WAIT_TICKS);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	t_begin("procfmt");
	test_status();
	test_maps_statm();
	test_system_files();
	test_cmdline_after_fork();
	return t_end();
}
