/*
 * kprobes through tracefs's kprobe_events (course section: kernel
 * debugging techniques).
 *
 * sysgate only: the host Linux forbids kprobes to this test (see
 * /work/shared/README.md). A probe on sys_getpid fires once per getpid
 * (counted by a perf event on the probe's id, and written to the trace
 * as Linux writes it); probes at an offset land only on an instruction's
 * first byte; probes on the entry/exception code and on the kprobe
 * machinery are refused; a probe on code the timer interrupt runs
 * (vdso_update_coarse, whose first instruction is RIP-relative, so the
 * copy run out of line has its displacement moved) fires in interrupt
 * context while the coarse clock keeps its time; `>` removes them all.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "lib/perflib.h"
#include "lib/testlib.h"

#define TRACING "/sys/kernel/tracing/"
#define PERF_TYPE_KPROBE_HERE 6 /* what /sys/bus/event_source/devices/kprobe/type says on sysgate */

static long write_file(const char *name, const char *text, int flags)
{
	int fd = open(name, O_WRONLY | flags);
	if (fd < 0)
		return -errno;
	long r = write(fd, text, strlen(text));
	long e = r < 0 ? -errno : r;
	close(fd);
	return e;
}

static long add_probe(const char *line)
{
	long r = write_file(TRACING "kprobe_events", line, O_APPEND);
	if (r < 0)
		errno = (int)-r;
	return r < 0 ? -1 : r;
}

static int read_file(const char *name, char *buf, size_t size)
{
	int fd = open(name, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = 0, k;
	while (n < (long)size - 1 && (k = read(fd, buf + n, size - 1 - n)) > 0)
		n += k;
	buf[n] = 0;
	close(fd);
	return (int)n;
}

static int event_id(const char *name)
{
	char path[200], buf[32];
	snprintf(path, sizeof(path), TRACING "events/kprobes/%s/id", name);
	return read_file(path, buf, sizeof(buf)) > 0 ? atoi(buf) : -1;
}

static int tp_counter(int id, pid_t pid, int cpu)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (uint64_t)id;
	return (int)perf_open(&a, pid, cpu, -1, 0);
}

/* A kprobe PMU event on symbol, of this process. */
static long kprobe_pmu_open(int type, const char *symbol, uint64_t config)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = (uint32_t)type;
	a.size = sizeof(a);
	a.config = config;
	a.config1 = (uint64_t)symbol;
	return perf_open(&a, 0, -1, -1, 0);
}

static void test_getpid_probe(void)
{
	static char text[16384];
	check_ok("p:myprobe sys_getpid", add_probe("p:myprobe sys_getpid\n"));
	read_file(TRACING "kprobe_events", text, sizeof(text));
	check("kprobe_events lists it as Linux does", strstr(text, "p:kprobes/myprobe sys_getpid\n") != NULL, "%s", text);
	read_file(TRACING "events/kprobes/myprobe/format", text, sizeof(text));
	check("its format: __probe_ip after the common fields",
	      strstr(text, "\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n") != NULL, "%s", text);
	read_file(TRACING "available_events", text, sizeof(text));
	check("available_events has kprobes:myprobe", strstr(text, "kprobes:myprobe\n") != NULL, "%.200s", text);

	int fd = tp_counter(event_id("myprobe"), 0, -1);
	check("perf_event_open on the probe's id", fd >= 0, "%s", strerror(errno));
	for (int i = 0; i < 100; i++)
		syscall(SYS_getpid);
	uint64_t n = 0;
	read(fd, &n, sizeof(n));
	check_eq("the probe fires once per getpid: 100", (long)n, 100);
	check_eq("and getpid still answers", syscall(SYS_getpid), getpid());
	close(fd);

	write_file(TRACING "trace", "", O_TRUNC);
	check_ok("enable it", write_file(TRACING "events/kprobes/myprobe/enable", "1", 0));
	syscall(SYS_getpid);
	check_errno("-:myprobe while enabled: EBUSY", add_probe("-:myprobe\n"), EBUSY);
	write_file(TRACING "events/kprobes/myprobe/enable", "0", 0);
	read_file(TRACING "trace", text, sizeof(text));
	check("the trace line: myprobe: (sys_getpid+0x0/0x...)", strstr(text, " myprobe: (sys_getpid+0x0/0x") != NULL,
	      "%s", text);
	check_ok("-:myprobe", add_probe("-:myprobe\n"));
	read_file(TRACING "available_events", text, sizeof(text));
	check("gone from available_events", strstr(text, "kprobes:myprobe\n") == NULL, "listed");
	check_ok("p:myprobe sys_getpid again", add_probe("p:myprobe sys_getpid\n"));
}

static void test_refusals(void)
{
	check_errno("an unknown symbol: ENOENT", add_probe("p:bad no_such_function_here\n"), ENOENT);
	check_errno("a name taken: EEXIST", add_probe("p:myprobe sys_getppid\n"), EEXIST);
	check_errno("the middle of an instruction (sys_getpid+2): EILSEQ", add_probe("p:bad sys_getpid+2\n"), EILSEQ);
	check_errno("the exception code (interrupt_dispatch): EINVAL", add_probe("p:bad interrupt_dispatch\n"), EINVAL);
	check_errno("kprobes itself (kprobe_int3): EINVAL", add_probe("p:bad kprobe_int3\n"), EINVAL);
	check_errno("r: return probes: EINVAL here", add_probe("r:bad sys_getpid\n"), EINVAL);
	check_errno("-: of no such probe: ENOENT", add_probe("-:nosuch\n"), ENOENT);
	/* sys_getpid's second instruction: after push %rbp, or after the
	 * function tracer's 5-byte nop in a kernel built with FTRACE=1. */
	static char tracers[256];
	read_file(TRACING "available_tracers", tracers, sizeof(tracers));
	bool ftrace = strstr(tracers, "function") != NULL;
	check_ok(ftrace ? "sys_getpid+5 (after the ftrace nop) is an instruction's start"
			: "sys_getpid+1 (after push %rbp) is an instruction's start",
		 add_probe(ftrace ? "p:second sys_getpid+5\n" : "p:second sys_getpid+1\n"));
	int fd = tp_counter(event_id("second"), 0, -1);
	for (int i = 0; i < 10; i++)
		syscall(SYS_getpid);
	uint64_t n = 0;
	read(fd, &n, sizeof(n));
	check_eq("a probe at the second instruction fires too, beside the one at +0", (long)n, 10);
	close(fd);
	check_ok("an unnamed probe: p ktimer_start", add_probe("p ktimer_start\n"));
	check("it is named p_ktimer_start_0 (Linux's rule)", event_id("p_ktimer_start_0") > 0, "no id");
}

/* Code the timer interrupt runs, RIP-relative at its first instruction. */
static void test_interrupt_context(void)
{
	check_ok("p:tick vdso_update_coarse", add_probe("p:tick vdso_update_coarse\n"));
	int fd = tp_counter(event_id("tick"), -1, 0);
	check("a per-CPU counter on it", fd >= 0, "%s", strerror(errno));
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &a);
	t_nap(50);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &b);
	uint64_t n = 0;
	read(fd, &n, sizeof(n));
	close(fd);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	check("it fires in the timer interrupt", n >= 10, "%lu hits", (unsigned long)n);
	check("the coarse clock, updated by the stepped copy, keeps time", ms >= 40 && ms < 1000, "%ld ms", ms);
}

/* The kprobe PMU: perf_event_open makes the probe itself (libbpf's way). */
static void test_kprobe_pmu(void)
{
	char buf[32] = "";
	read_file("/sys/bus/event_source/devices/kprobe/type", buf, sizeof(buf));
	int type = atoi(buf);
	check("/sys/bus/event_source/devices/kprobe/type", type >= 6, "%s", buf);
	read_file("/sys/bus/event_source/devices/kprobe/format/retprobe", buf, sizeof(buf));
	check("format/retprobe: config:0", !strcmp(buf, "config:0\n"), "%s", buf);
	int fd = (int)kprobe_pmu_open(type, "sys_getppid", 0);
	check("perf_event_open(kprobe PMU, config1 = \"sys_getppid\")", fd >= 0, "%s", strerror(errno));
	for (int i = 0; i < 7; i++)
		syscall(SYS_getppid);
	uint64_t n = 0;
	read(fd, &n, sizeof(n));
	check_eq("it counts each getppid: 7", (long)n, 7);
	check_errno("PERF_EVENT_IOC_SET_BPF with a bad fd", ioctl(fd, PERF_EVENT_IOC_SET_BPF, -1), EBADF); /* Linux's bpf_prog_get */
	close(fd);
	check_errno("an unknown function: ENOENT", kprobe_pmu_open(type, "no_such_function_here", 0), ENOENT);
	check_errno("config bit 0, a return probe: EINVAL here", kprobe_pmu_open(type, "sys_getppid", 1), EINVAL);
	check_errno("config1 a bad pointer: EFAULT", kprobe_pmu_open(type, (const char *)8, 0), EFAULT);
}

static void test_remove_all(void)
{
	static char text[4096];
	check_ok("> kprobe_events removes every probe", write_file(TRACING "kprobe_events", "", O_TRUNC));
	read_file(TRACING "kprobe_events", text, sizeof(text));
	check("kprobe_events is empty", text[0] == 0, "%s", text);
	check_eq("getpid after removal", syscall(SYS_getpid), getpid());
}

/* --measure: the cost of a kprobe hit (the int3, the handler that finds
 * its event off, the single step), beside getpid's without a probe. */
static int measure(void)
{
	uint64_t plain = getpid_cost();
	add_probe("p:measure sys_getpid\n");
	uint64_t probed = getpid_cost();
	write_file(TRACING "events/kprobes/measure/enable", "1", 0);
	uint64_t traced = getpid_cost();
	write_file(TRACING "events/kprobes/measure/enable", "0", 0);
	write_file(TRACING "kprobe_events", "", O_TRUNC);
	printf("getpid_cycles=%lu\ngetpid_kprobe_cycles=%lu\ngetpid_kprobe_event_cycles=%lu\n", (unsigned long)plain,
	       (unsigned long)probed, (unsigned long)traced);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--measure"))
		return measure();
	t_set_self(argv);
	t_begin("kprobes");
	if (!on_sysgate()) {
		t_skip("kprobes", "the host Linux forbids kprobes to the tests (sysgate only)");
		return t_end();
	}
	test_getpid_probe();
	test_refusals();
	test_interrupt_context();
	test_kprobe_pmu();
	test_remove_all();
	/* An event's first making leaves its tracefs files for good; making
	 * the same probes again and removing them must cost nothing. */
	struct leak_mark m;
	leak_mark(&m);
	for (int i = 0; i < 10; i++) {
		add_probe("p:myprobe sys_getpid\np:tick vdso_update_coarse\n");
		syscall(SYS_getpid);
		write_file(TRACING "kprobe_events", "", O_TRUNC);
		int fd = (int)kprobe_pmu_open(PERF_TYPE_KPROBE_HERE, "sys_getppid", 0);
		syscall(SYS_getppid);
		close(fd);
	}
	leak_check("probes made again and removed: no frame or heap byte lost", &m);
	return t_end();
}
