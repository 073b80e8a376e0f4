/*
 * vdso: the kernel's code in every process, and the time syscalls behind
 * it (course section: syscall basics -- the vDSO).
 *
 * AT_SYSINFO_EHDR points at an ELF shared object whose symbol table
 * offers __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time and
 * __vdso_getcpu; /proc/self/maps shows it as [vdso] above its data page
 * [vvar]. Each function's answer agrees with its syscall's (a vDSO read
 * lies between two syscall reads); clocks the vDSO does not serve, and bad
 * clock ids, fall through to the syscall; the page cannot be written; a
 * forked child has it too. On sysgate, the syscount module shows that a
 * million vDSO clock_gettime calls make no syscall at all. Also the time
 * and getcpu syscalls, and gettimeofday's timezone (EFAULT for a bad one).
 * The legacy vsyscall page, emulated as Linux's default (vsyscall=xonly):
 * calls to its three entries work, reading it or a call elsewhere in it is
 * SIGSEGV.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

#include "testlib.h"

#ifndef SYS_time
#define SYS_time 201
#endif
#ifndef SYS_getcpu
#define SYS_getcpu 309
#endif
#define BAD_PTR 0xffffffff80000000L
#define VDSO_CALLS 1000000

typedef int (*cgt_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, void *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static cgt_fn vdso_cgt;

static int64_t ns_of(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t syscall_ns(clockid_t c)
{
	struct timespec ts = { 0, 0 };
	syscall(SYS_clock_gettime, c, &ts);
	return ns_of(ts);
}

static void test_found(void)
{
	const unsigned char *eh = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	if (!check("AT_SYSINFO_EHDR is in the auxiliary vector", eh != NULL, "missing"))
		return;
	check("... and points at an ELF header", !memcmp(eh, "\177ELF", 4), "no ELF magic");
	static const char *names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
				       "__vdso_getcpu" };
	for (int k = 0; k < 4; k++)
		check(cname("the vDSO offers %s", names[k]), vdso_sym(names[k]) != NULL, "not found");
	vdso_cgt = (cgt_fn)vdso_sym("__vdso_clock_gettime");
}

/* [vvar] and [vdso] in /proc/self/maps, in that order, and the vDSO is
 * where AT_SYSINFO_EHDR said. */
static void test_maps(void)
{
	static char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY);
	long n = 0, r;
	while (fd >= 0 && n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	char *vdso = strstr(buf, "[vdso]"), *vvar = strstr(buf, "[vvar]");
	check("/proc/self/maps names [vdso]", vdso != NULL, "not there");
	check("/proc/self/maps names [vvar], below [vdso]", vvar && vdso && vvar < vdso, "not there, or above");
	if (!vdso)
		return;
	char *line = vdso;
	while (line > buf && line[-1] != '\n')
		line--;
	unsigned long start = strtoul(line, NULL, 16);
	check_eqx("[vdso] starts at AT_SYSINFO_EHDR", start, getauxval(AT_SYSINFO_EHDR));
	check("[vdso] is r-xp", strstr(line, " r-xp ") != NULL && strstr(line, " r-xp ") < vdso, "perms differ");
}

/* Each vDSO read lies between two syscall reads of the same clock. */
static void test_agrees(void)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME };
	static const char *names[] = { "REALTIME", "MONOTONIC", "MONOTONIC_RAW", "BOOTTIME" };
	if (!vdso_cgt)
		return;
	for (int k = 0; k < 4; k++) {
		struct timespec v;
		int64_t before = syscall_ns(clocks[k]);
		int ret = vdso_cgt(clocks[k], &v);
		int64_t after = syscall_ns(clocks[k]);
		check(cname("vDSO CLOCK_%s between two syscall reads", names[k]),
		      ret == 0 && before <= ns_of(v) && ns_of(v) <= after, "ret %d: %ld <= %ld <= %ld?", ret,
		      (long)before, (long)ns_of(v), (long)after);
	}
	struct timespec c;
	int64_t precise = syscall_ns(CLOCK_MONOTONIC);
	vdso_cgt(CLOCK_MONOTONIC_COARSE, &c);
	check("vDSO CLOCK_MONOTONIC_COARSE: not ahead of the precise clock", ns_of(c) <= syscall_ns(CLOCK_MONOTONIC),
	      "coarse %ld, precise %ld", (long)ns_of(c), (long)precise);
	check("... nor more than a second behind", ns_of(c) > precise - 1000000000, "coarse %ld, precise %ld",
	      (long)ns_of(c), (long)precise);
	struct timespec cpu = { -1, -1 };
	check_eq("CLOCK_PROCESS_CPUTIME_ID through the vDSO (its syscall)", vdso_cgt(CLOCK_PROCESS_CPUTIME_ID, &cpu),
		 0);
	check("... a time", cpu.tv_sec >= 0 && cpu.tv_nsec >= 0 && cpu.tv_nsec < 1000000000, "%ld.%09ld",
	      (long)cpu.tv_sec, cpu.tv_nsec);
	check_eq("clock 99: the vDSO returns -EINVAL", vdso_cgt(99, &cpu), -EINVAL);
	check_eq("libc clock_gettime(99): -1", clock_gettime(99, &cpu), -1);
}

static void test_time_gtod_getcpu(void)
{
	gtod_fn gtod = (gtod_fn)vdso_sym("__vdso_gettimeofday");
	time_fn vtime = (time_fn)vdso_sym("__vdso_time");
	getcpu_fn vgetcpu = (getcpu_fn)vdso_sym("__vdso_getcpu");
	if (!gtod || !vtime || !vgetcpu)
		return;
	int64_t before = syscall_ns(CLOCK_REALTIME) / 1000;
	struct timeval tv;
	int tz[2] = { 7, 7 };
	int ret = gtod(&tv, tz);
	int64_t after = syscall_ns(CLOCK_REALTIME) / 1000;
	int64_t us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	check("vDSO gettimeofday between two syscall reads", ret == 0 && before <= us && us <= after,
	      "%ld <= %ld <= %ld?", (long)before, (long)us, (long)after);
	check("... timezone UTC (0, 0)", tz[0] == 0 && tz[1] == 0, "%d %d", tz[0], tz[1]);
	long t1 = 0;
	long secs = vtime(&t1);
	long now = (long)(syscall_ns(CLOCK_REALTIME) / 1000000000);
	check("vDSO time: the seconds of CLOCK_REALTIME (at most one behind)", secs == t1 && secs <= now &&
	      secs >= now - 1, "time %ld, clock %ld", secs, now);
	long st = syscall(SYS_time, NULL);
	check("time syscall: the same seconds", st <= (long)(syscall_ns(CLOCK_REALTIME) / 1000000000) &&
	      st >= now - 1, "time %ld, clock %ld", st, now);
	long tl = 0;
	check("time syscall stores through its pointer", syscall(SYS_time, &tl) == tl, "got %ld", tl);
	check_errno("time syscall to a kernel address: EFAULT", syscall(SYS_time, BAD_PTR), EFAULT);
	unsigned cpu = 99, node = 99;
	check_eq("vDSO getcpu", vgetcpu(&cpu, &node, NULL), 0);
	unsigned scpu = 98, snode = 98;
	check_eq("getcpu syscall", syscall(SYS_getcpu, &scpu, &snode, NULL), 0);
	if (on_sysgate())
		check("sysgate: CPU 0, node 0, both ways", cpu == 0 && node == 0 && scpu == 0 && snode == 0,
		      "%u %u %u %u", cpu, node, scpu, snode);
	else
		check("a CPU number and node 0", cpu < 4096 && node == 0 && snode == 0, "%u %u", cpu, node);
	check_errno("getcpu syscall to a kernel address: EFAULT", syscall(SYS_getcpu, BAD_PTR, NULL, NULL), EFAULT);
	check_errno("gettimeofday syscall, timezone at a kernel address: EFAULT",
		    syscall(SYS_gettimeofday, &tv, BAD_PTR), EFAULT);
	tz[0] = tz[1] = 7;
	check_eq("gettimeofday syscall with a timezone", syscall(SYS_gettimeofday, &tv, tz), 0);
	check("... UTC (0, 0)", tz[0] == 0 && tz[1] == 0, "%d %d", tz[0], tz[1]);
}

#define VSYSCALL 0xffffffffff600000UL

static void read_vsyscall(long unused)
{
	(void)unused;
	(void)*(volatile char *)(VSYSCALL + 0x400);
}

static void jump_into_vsyscall(long unused)
{
	(void)unused;
	((long (*)(long *))(VSYSCALL + 0x100))(NULL);
}

static void test_vsyscall(void)
{
	long t = 0;
	long secs = ((long (*)(long *))(VSYSCALL + 0x400))(&t);
	long now = (long)(syscall_ns(CLOCK_REALTIME) / 1000000000);
	check("vsyscall time(): the seconds, stored too", secs == t && secs <= now && secs >= now - 1, "got %ld, clock %ld",
	      secs, now);
	struct timeval tv = { 0, 0 };
	long r = ((long (*)(struct timeval *, void *))VSYSCALL)(&tv, NULL);
	check("vsyscall gettimeofday()", r == 0 && tv.tv_sec >= now - 1 && tv.tv_sec <= now + 1, "ret %ld sec %ld", r,
	      (long)tv.tv_sec);
	unsigned cpu = 99;
	r = ((long (*)(unsigned *, unsigned *, void *))(VSYSCALL + 0x800))(&cpu, NULL, NULL);
	check("vsyscall getcpu()", r == 0 && cpu < 4096, "ret %ld cpu %u", r, cpu);
	check_signaled("reading the vsyscall page: SIGSEGV", run_child(read_vsyscall, 0), SIGSEGV);
	check_signaled("a call elsewhere in it: SIGSEGV", run_child(jump_into_vsyscall, 0), SIGSEGV);
}

static void write_vdso(long unused)
{
	(void)unused;
	*(volatile char *)getauxval(AT_SYSINFO_EHDR) = 0;
}

static void child_uses_vdso(long unused)
{
	struct timespec ts;
	(void)unused;
	_exit(vdso_cgt && vdso_cgt(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec >= 0 ? 0 : 1);
}

/* The count of clock_gettime syscalls in /proc/syscount, or -1. */
static long syscount_clock_gettime(void)
{
	static char buf[8192];
	int fd = open("/proc/syscount", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	char *at = strstr(buf, " clock_gettime ");
	return at ? strtol(at + 15, NULL, 10) : 0;
}

static void test_no_syscalls(void)
{
	const char *name = "a million vDSO clock_gettime calls: no clock_gettime syscall";
	if (!on_sysgate()) {
		t_skip(name, "counted with sysgate's syscount module");
		return;
	}
	int fd = open("/lib/modules/syscount.ko", O_RDONLY);
	if (!check("load syscount", fd >= 0 && syscall(SYS_finit_module, fd, "", 0) == 0, "%s", errno_name(errno)))
		return;
	close(fd);
	struct timespec ts;
	long before = syscount_clock_gettime();
	for (long k = 0; k < VDSO_CALLS; k++)
		vdso_cgt(CLOCK_MONOTONIC, &ts);
	long mid = syscount_clock_gettime();
	check("the count is there", before >= 0, "no /proc/syscount");
	check_eq(name, mid - before, 0);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	check_eq("... while one syscall is counted", syscount_clock_gettime() - mid, 1);
	check_eq("unload syscount", syscall(SYS_delete_module, "syscount", 0), 0);
}

int main(void)
{
	t_begin("vdso");
	test_found();
	test_maps();
	test_agrees();
	test_time_gtod_getcpu();
	test_vsyscall();
	check_signaled("writing to the vDSO: SIGSEGV", run_child(write_vdso, 0), SIGSEGV);
	check_exited("a forked child uses the vDSO too", run_child(child_uses_vdso, 0), 0);
	test_no_syscalls();
	return t_end();
}
