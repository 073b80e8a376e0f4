/*
 * perf_event_open: counters as descriptors (course section: performance
 * profiling tools).
 *
 * The same binary runs on the host Linux (root) and on sysgate: Linux's
 * errnos for every bad argument, the counts that must hold (256 new pages
 * are at least 256 page faults; 100 getpid calls are exactly 100 hits of
 * sys_enter_getpid), read_format's layouts, the ioctls, groups, and no
 * leak on sysgate.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "lib/perflib.h"
#include "lib/testlib.h"

static struct perf_event_attr sw(unsigned config)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = config;
	a.flags = PERF_ATTR_FLAG_DISABLED;
	return a;
}

static void test_errnos(void)
{
	struct perf_event_attr a = sw(PERF_COUNT_SW_PAGE_FAULTS);
	check_errno("attr NULL: EFAULT", perf_open(NULL, 0, -1, -1, 0), EFAULT);
	check_errno("attr at a kernel address: EFAULT", perf_open((void *)0xffff800000000000ul, 0, -1, -1, 0), EFAULT);
	check_errno("unknown flags: EINVAL", perf_open(&a, 0, -1, -1, 1ul << 10), EINVAL);
	check_errno("pid -1 and cpu -1: EINVAL", perf_open(&a, -1, -1, -1, 0), EINVAL);
	check_errno("cpu 4096: EINVAL", perf_open(&a, 0, 4096, -1, 0), EINVAL);
	pid_t gone = t_fork();
	if (gone == 0)
		_exit(0);
	t_wait(gone, T_WAIT_TICKS);
	check_errno("a reaped pid: ESRCH", perf_open(&a, gone, -1, -1, 0), ESRCH);
	check_errno("group_fd 999: EBADF", perf_open(&a, 0, -1, 999, 0), EBADF);
	int p[2];
	pipe(p);
	check_errno("group_fd a pipe: EBADF", perf_open(&a, 0, -1, p[0], 0), EBADF);
	close(p[0]);
	close(p[1]);

	struct perf_event_attr b = a;
	b.size = 1;
	check_errno("size 1: E2BIG", perf_open(&b, 0, -1, -1, 0), E2BIG);
	check("size 1: the kernel's size written back", b.size >= 128, "%u", b.size);
	b = a;
	b.size = 63;
	check_errno("size 63: E2BIG", perf_open(&b, 0, -1, -1, 0), E2BIG);
	b = a;
	b.size = 4097;
	check_errno("size 4097: E2BIG", perf_open(&b, 0, -1, -1, 0), E2BIG);
	static unsigned char big[4096];
	memcpy(big, &a, sizeof(a));
	((struct perf_event_attr *)big)->size = 4095;
	long fd = perf_open((void *)big, 0, -1, -1, 0);
	check("size 4095 with a zero tail: accepted", fd >= 0, "errno %s", errno_name(errno));
	if (fd >= 0)
		close(fd);
	big[4000] = 1;
	check_errno("size 4095 with a non-zero tail: E2BIG", perf_open((void *)big, 0, -1, -1, 0), E2BIG);
	b = a;
	b.size = 0;
	fd = perf_open(&b, 0, -1, -1, 0);
	check("size 0: taken as the first version", fd >= 0, "errno %s", errno_name(errno));
	if (fd >= 0)
		close(fd);

	b = a;
	b.config = 1000;
	check_errno("software config 1000: ENOENT", perf_open(&b, 0, -1, -1, 0), ENOENT);
	b = a;
	b.type = 1000;
	check_errno("type 1000: ENOENT", perf_open(&b, 0, -1, -1, 0), ENOENT);
	b = a;
	b.type = PERF_TYPE_TRACEPOINT;
	b.config = 0x7fff0000;
	check_errno("tracepoint id unknown: EINVAL", perf_open(&b, 0, -1, -1, 0), EINVAL);
	b = a;
	b.read_format = 1ull << 40;
	check_errno("read_format unknown bit: EINVAL", perf_open(&b, 0, -1, -1, 0), EINVAL);
	b = a;
	b.sample_type = 1ull << 62;
	check_errno("sample_type unknown bit: EINVAL", perf_open(&b, 0, -1, -1, 0), EINVAL);
	b = a;
	b.flags |= 1ull << 62;
	check_errno("reserved attr bit: EINVAL", perf_open(&b, 0, -1, -1, 0), EINVAL);
	b = a;
	b.sample_period = 1ull << 63;
	check_errno("sample_period with bit 63: EINVAL", perf_open(&b, 0, -1, -1, 0), EINVAL);
	if (on_sysgate()) {
		b = a;
		b.type = PERF_TYPE_HARDWARE;
		b.config = 0;
		check_errno("hardware cycles without a PMU: ENOENT", perf_open(&b, 0, -1, -1, 0), ENOENT);
	} else {
		t_skip("hardware cycles without a PMU", "the host may have a PMU");
	}
}

static void test_page_faults(void)
{
	struct perf_event_attr a = sw(PERF_COUNT_SW_PAGE_FAULTS);
	int fd = perf_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	check_ok("open page-faults", fd);
	a.config = PERF_COUNT_SW_PAGE_FAULTS_MIN;
	int minor = perf_open(&a, 0, -1, -1, 0);
	check_ok("open minor-faults", minor);
	check_eq("disabled: reads 0", t_read_u64(fd), 0);
	check_ok("IOC_ENABLE", ioctl(fd, PERF_EVENT_IOC_ENABLE, 0));
	ioctl(minor, PERF_EVENT_IOC_ENABLE, 0);
	char *m = mmap(NULL, 256 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 256; i++)
		m[i * 4096] = 1;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	ioctl(minor, PERF_EVENT_IOC_DISABLE, 0);
	long faults = t_read_u64(fd), min = t_read_u64(minor);
	check("256 new pages: at least 256 page faults", faults >= 256 && faults < 2000, "%ld", faults);
	check("... and at least 256 minor faults", min >= 256 && min < 2000, "%ld", min);
	for (int i = 0; i < 256; i++)
		m[i * 4096] = 2;
	check_eq("disabled: no more counted", t_read_u64(fd), faults);
	check_ok("IOC_RESET", ioctl(fd, PERF_EVENT_IOC_RESET, 0));
	check_eq("reset: 0", t_read_u64(fd), 0);
	munmap(m, 256 * 4096);
	unsigned v;
	check_errno("read into 4 bytes: ENOSPC", read(fd, &v, sizeof(v)), ENOSPC);
	check_errno("read into a bad pointer: EFAULT", read(fd, (void *)8, 8), EFAULT);
	check_errno("unknown ioctl: ENOTTY", ioctl(fd, 0x2499, 0), ENOTTY);
	uint64_t id = 0;
	check_ok("IOC_ID", ioctl(fd, PERF_EVENT_IOC_ID, &id));
	check("IOC_ID gives an id", id != 0, "%lu", (unsigned long)id);
	check_errno("IOC_ID into a bad pointer: EFAULT", ioctl(fd, PERF_EVENT_IOC_ID, (void *)8), EFAULT);
	check("close-on-exec from PERF_FLAG_FD_CLOEXEC", fcntl(fd, F_GETFD) == FD_CLOEXEC, "%d", fcntl(fd, F_GETFD));
	close(fd);
	close(minor);
}

static void test_read_format(void)
{
	struct perf_event_attr a = sw(PERF_COUNT_SW_TASK_CLOCK);
	a.flags = 0; /* enabled at once */
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID;
	int fd = perf_open(&a, 0, -1, -1, 0);
	check_ok("open task-clock, enabled", fd);
	volatile unsigned long x = 0;
	for (long i = 0; i < 3000000; i++)
		x += i;
	uint64_t v[4] = { 0 };
	check_eq("read: value, enabled, running, id", read(fd, v, sizeof(v)), 32);
	uint64_t id = 0;
	ioctl(fd, PERF_EVENT_IOC_ID, &id);
	check("task-clock counted time", v[0] > 0, "%lu", (unsigned long)v[0]);
	check("time enabled and running counted", v[1] > 0 && v[2] > 0 && v[2] <= v[1], "%lu %lu", (unsigned long)v[1], (unsigned long)v[2]);
	check_eq("the id read is IOC_ID's", (long)v[3], (long)id);
	close(fd);
}

static void test_group(void)
{
	struct perf_event_attr a = sw(PERF_COUNT_SW_PAGE_FAULTS);
	a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID;
	int leader = perf_open(&a, 0, -1, -1, 0);
	a.flags = 0; /* a member follows its leader */
	a.config = PERF_COUNT_SW_PAGE_FAULTS_MIN;
	int member = perf_open(&a, 0, -1, leader, 0);
	check_ok("open a group member", member);
	check_ok("enable the group", ioctl(leader, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP));
	char *m = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 16; i++)
		m[i * 4096] = 1;
	ioctl(leader, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
	uint64_t v[8] = { 0 }, id0 = 0, id1 = 0;
	ioctl(leader, PERF_EVENT_IOC_ID, &id0);
	ioctl(member, PERF_EVENT_IOC_ID, &id1);
	check_eq("group read: 5 words", read(leader, v, sizeof(v)), 40);
	check_eq("group read: nr 2", (long)v[0], 2);
	check("leader counted 16 faults", v[1] >= 16, "%lu", (unsigned long)v[1]);
	check_eq("leader's id", (long)v[2], (long)id0);
	check("member counted 16 faults", v[3] >= 16, "%lu", (unsigned long)v[3]);
	check_eq("member's id", (long)v[4], (long)id1);
	munmap(m, 16 * 4096);
	close(member);
	close(leader);
}

static void test_tracepoint(void)
{
	int id = t_tracepoint_id("syscalls/sys_enter_getpid");
	if (id <= 0) {
		t_skip("tracepoint events", "no tracefs");
		return;
	}
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = id;
	a.flags = PERF_ATTR_FLAG_DISABLED;
	int fd = perf_open(&a, 0, -1, -1, 0);
	check_ok("open syscalls:sys_enter_getpid", fd);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 100; i++)
		syscall(SYS_getpid);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	check_eq("100 getpid calls: 100 hits", t_read_u64(fd), 100);
	syscall(SYS_getpid);
	check_eq("disabled: still 100", t_read_u64(fd), 100);
	close(fd);
}

static void test_context_switches(void)
{
	struct perf_event_attr a = sw(PERF_COUNT_SW_CONTEXT_SWITCHES);
	int fd = perf_open(&a, 0, -1, -1, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	int ping[2], pong[2];
	pipe(ping);
	pipe(pong);
	pid_t child = t_fork();
	if (child == 0) {
		char c;
		for (int i = 0; i < 20; i++) {
			read(ping[0], &c, 1);
			write(pong[1], &c, 1);
		}
		_exit(0);
	}
	for (int i = 0; i < 20; i++) {
		char c = 'x';
		write(ping[1], &c, 1);
		read(pong[0], &c, 1);
	}
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	t_wait(child, T_WAIT_TICKS);
	long n = t_read_u64(fd);
	check("20 round trips through pipes: at least 20 context switches", n >= 20, "%ld", n);
	close(fd);
	close(ping[0]), close(ping[1]), close(pong[0]), close(pong[1]);

	/* Counting another task: a child that faults 64 pages. */
	int go[2];
	pipe(go);
	child = t_fork();
	if (child == 0) {
		char c;
		read(go[0], &c, 1);
		char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < 64; i++)
			m[i * 4096] = 1;
		_exit(0);
	}
	a = sw(PERF_COUNT_SW_PAGE_FAULTS);
	a.flags = 0;
	fd = perf_open(&a, child, -1, -1, 0);
	check_ok("open page-faults of a child", fd);
	write(go[1], "g", 1);
	t_wait(child, T_WAIT_TICKS);
	n = t_read_u64(fd);
	check("the child's 64 pages: at least 64 faults, read after it died", n >= 64, "%ld", n);
	close(fd);
	close(go[0]);
	close(go[1]);
}

/* attr.inherit: children (and theirs) count into the event; without it they do not. */
static void test_inherit(void)
{
	struct perf_event_attr a = sw(PERF_COUNT_SW_PAGE_FAULTS);
	a.flags = PERF_ATTR_FLAG_INHERIT;
	int with = perf_open(&a, 0, -1, -1, 0);
	a.flags = 0;
	int without = perf_open(&a, 0, -1, -1, 0);
	check_ok("open an inherited counter", with);
	pid_t child = t_fork();
	if (child == 0) {
		pid_t grandchild = fork();
		char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < 64; i++)
			m[i * 4096] = 1;
		if (grandchild > 0)
			waitpid(grandchild, NULL, 0);
		_exit(0);
	}
	t_wait(child, T_WAIT_TICKS);
	ioctl(with, PERF_EVENT_IOC_DISABLE, 0);
	ioctl(without, PERF_EVENT_IOC_DISABLE, 0);
	long w = t_read_u64(with), wo = t_read_u64(without);
	check("inherit: a child's and a grandchild's 2 x 64 pages counted", w - wo >= 128, "with %ld, without %ld", w, wo);
	check("without inherit: the children's faults are not ours", wo < 64, "%ld", wo);
	close(with);
	close(without);
}

/* pid -1: everything on a CPU. One counter per CPU, summed (the host has several). */
static void test_per_cpu(void)
{
	int fds[64], ncpu = 0;
	struct perf_event_attr a = sw(PERF_COUNT_SW_PAGE_FAULTS);
	for (; ncpu < 64; ncpu++) {
		fds[ncpu] = perf_open(&a, -1, ncpu, -1, 0);
		if (fds[ncpu] < 0)
			break;
	}
	check("per-CPU counters open (root)", ncpu >= 1, "errno %s", errno_name(errno));
	for (int i = 0; i < ncpu; i++)
		ioctl(fds[i], PERF_EVENT_IOC_ENABLE, 0);
	pid_t child = t_fork();
	if (child == 0) {
		char *m = mmap(NULL, 32 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (int i = 0; i < 32; i++)
			m[i * 4096] = 1;
		_exit(0);
	}
	t_wait(child, T_WAIT_TICKS);
	long total = 0;
	for (int i = 0; i < ncpu; i++) {
		ioctl(fds[i], PERF_EVENT_IOC_DISABLE, 0);
		total += t_read_u64(fds[i]);
		close(fds[i]);
	}
	check("per-CPU page-faults see a child's 32 pages", total >= 32, "%ld", total);
}

/* /bin/perf stat: Linux's layout on stderr. */
static void test_perf_stat(void)
{
	char perf[4200];
	if (on_sysgate()) {
		strcpy(perf, "/bin/perf");
	} else {
		snprintf(perf, sizeof(perf), "%s", t_self());
		char *slash = strrchr(perf, '/');
		if (!slash || !strstr(perf, "/tests/")) {
			t_skip("perf stat", "cannot find build/user/perf from %s", perf);
			return;
		}
		strcpy(strstr(perf, "/tests/"), "/perf");
	}
	int out[2];
	pipe(out);
	pid_t child = t_fork();
	if (child == 0) {
		dup2(out[1], 2);
		close(out[0]);
		char *argv[] = { perf, "stat", perf, NULL };
		execv(perf, argv);
		_exit(127);
	}
	close(out[1]);
	static char text[8192];
	long n = 0, k;
	while (n < (long)sizeof(text) - 1 && (k = read(out[0], text + n, sizeof(text) - 1 - n)) > 0)
		n += k;
	text[n] = 0;
	close(out[0]);
	int st = t_wait(child, T_WAIT_TICKS);
	check_exited("perf stat perf: the command's status (2: usage)", st, 2);
	check("perf stat: the header", strstr(text, "\n Performance counter stats for '") != NULL, "%s", text);
	check("perf stat: task-clock in msec", strstr(text, " msec task-clock ") != NULL, "%s", text);
	check("perf stat: page-faults", strstr(text, "      page-faults ") != NULL, "%s", text);
	check("perf stat: time elapsed", strstr(text, " seconds time elapsed\n") != NULL, "%s", text);

	/* -e with a tracepoint: the inner perf writes its usage line. */
	pipe(out);
	child = t_fork();
	if (child == 0) {
		dup2(out[1], 2);
		close(out[0]);
		char *argv[] = { perf, "stat", "-e", "syscalls:sys_enter_write,minor-faults", perf, NULL };
		execv(perf, argv);
		_exit(127);
	}
	close(out[1]);
	n = 0;
	while (n < (long)sizeof(text) - 1 && (k = read(out[0], text + n, sizeof(text) - 1 - n)) > 0)
		n += k;
	text[n] = 0;
	close(out[0]);
	t_wait(child, T_WAIT_TICKS);
	char *line = strstr(text, " syscalls:sys_enter_write ");
	long writes = 0;
	if (line) {
		while (line > text && line[-1] != '\n')
			line--;
		writes = strtol(line, NULL, 10);
	}
	check("perf stat -e syscalls:sys_enter_write counts the usage line's writes", writes >= 1, "%s", text);
	check("perf stat -e minor-faults", strstr(text, " minor-faults ") != NULL, "%s", text);
}

static void leak_work(void)
{
	for (int i = 0; i < 100; i++) {
		struct perf_event_attr a = sw(PERF_COUNT_SW_PAGE_FAULTS);
		int l = perf_open(&a, 0, -1, -1, 0);
		int m = perf_open(&a, 0, -1, l, 0);
		a.type = PERF_TYPE_TRACEPOINT;
		a.config = t_tracepoint_id("syscalls/sys_enter_getpid");
		int t = perf_open(&a, 0, -1, -1, 0);
		ioctl(l, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
		close(l); /* the leader first: its member goes on alone */
		close(m);
		close(t);
		a = sw(PERF_COUNT_SW_PAGE_FAULTS);
		a.flags = PERF_ATTR_FLAG_INHERIT;
		int in = perf_open(&a, 0, -1, -1, 0);
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (i % 2)
			close(in); /* closed while the child's copy may still live */
		waitpid(c, NULL, 0);
		if (i % 2 == 0)
			close(in);
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	t_set_self(argv);
	t_begin("perf_event");
	test_errnos();
	test_page_faults();
	test_read_format();
	test_group();
	test_tracepoint();
	test_context_switches();
	test_inherit();
	test_per_cpu();
	test_perf_stat();
	if (on_sysgate()) {
		struct leak_mark m;
		leak_mark(&m);
		leak_work();
		leak_mark(&m);
		leak_work();
		leak_check("100 rounds of groups and tracepoint events: no frame or heap byte lost", &m);
	} else {
		t_skip("leaks", "sysgate only");
	}
	return t_end();
}
