/*
 * tracefs: the tracing control files and trace events (course section:
 * syscall tracing, kernel debugging techniques).
 *
 * Runs on the host Linux (as root, mounting tracefs if it is not mounted)
 * and on sysgate, where it is at /sys/kernel/tracing from boot. Only the
 * lines of this test's own process are looked at: on Linux other programs
 * may call the same syscalls meanwhile.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/testlib.h"

#ifndef SYS_mount
#define SYS_mount 165 /* Linux only: sysgate mounts tracefs itself */
#endif

#define T "/sys/kernel/tracing/"
#define BIG (256 * 1024)

static char text[BIG];

/* The whole of a file, NUL-terminated in text[]; its length or -errno. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	long n = 0, k;
	while (n < BIG - 1 && (k = read(fd, text + n, BIG - 1 - n)) > 0)
		n += k;
	close(fd);
	text[n] = 0;
	return n;
}

/* Write s with `>` (truncating); returns 0 or -errno. */
static long put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	long n = write(fd, s, strlen(s));
	int e = errno;
	close(fd);
	return n < 0 ? -e : 0;
}

static int event_id(const char *sys_event)
{
	char path[256];
	snprintf(path, sizeof(path), T "events/%s/id", sys_event);
	return slurp(path) > 0 ? atoi(text) : -1;
}

static void disable_all(void)
{
	put(T "events/enable", "0");
	put(T "trace", "");
}

/* Lines of the trace written by pid that contain `what`. */
static int count_lines(pid_t pid, const char *what)
{
	char tag[32];
	snprintf(tag, sizeof(tag), "-%d ", pid);
	int n = 0;
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		if (line[0] != '#' && strstr(line, tag) && strstr(line, what))
			n++;
		line = end ? end + 1 : NULL;
		if (end)
			*end = '\n';
	}
	return n;
}

static int ensure_mounted(void)
{
	if (access(T "trace", F_OK) == 0)
		return access(T "tracing_on", W_OK) == 0; /* root only, as on Linux */
	if (on_sysgate())
		return 0;
	return syscall(SYS_mount, "nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0;
}

static void test_files(void)
{
	check("available_tracers lists nop", slurp(T "available_tracers") > 0 && strstr(text, "nop"), "%s", text);
	check("current_tracer is nop", slurp(T "current_tracer") > 0 && !strcmp(text, "nop\n"), "%s", text);
	check("tracing_on reads 1", slurp(T "tracing_on") > 0 && !strcmp(text, "1\n"), "%s", text);
	check("buffer_size_kb is a number", slurp(T "buffer_size_kb") > 0 && atoi(text) > 0, "%s", text);
	slurp(T "available_events");
	check("available_events: syscalls:sys_enter_getpid", strstr(text, "syscalls:sys_enter_getpid\n") != NULL, "missing");
	check("available_events: syscalls:sys_exit_write", strstr(text, "syscalls:sys_exit_write\n") != NULL, "missing");
	const char *names[] = { "sched:sched_switch", "sched:sched_wakeup", "sched:sched_process_fork",
				"sched:sched_process_exec", "sched:sched_process_exit", "signal:signal_generate",
				"signal:signal_deliver", "exceptions:page_fault_user", "irq:irq_handler_entry",
				"irq:irq_handler_exit" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check(cname("available_events: %s", names[i]), strstr(text, names[i]) != NULL, "missing");
	char path[128];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char se[64];
		strcpy(se, names[i]);
		*strchr(se, ':') = '/';
		snprintf(path, sizeof(path), T "events/%s/enable", se);
		check(cname("%s/enable reads 0", se), slurp(path) > 0 && !strcmp(text, "0\n"), "%s", text);
	}
}

static void test_formats(void)
{
	int id = event_id("syscalls/sys_enter_write");
	check("sys_enter_write has an id", id > 0, "%d", id);
	slurp(T "events/syscalls/sys_enter_write/format");
	check("format: name line", !strncmp(text, "name: sys_enter_write\nID: ", 26), "%.40s", text);
	check("format: ID matches the id file", atoi(text + 26) == id, "%d vs %d", atoi(text + 26), id);
	check("format: common_type", strstr(text, "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n") != NULL, "%s", text);
	check("format: common_pid", strstr(text, "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n") != NULL, "%s", text);
	check("format: __syscall_nr", strstr(text, "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n") != NULL, "%s", text);
	check("format: buf at 24", strstr(text, " buf;\toffset:24;\tsize:8;\tsigned:0;\n") != NULL, "%s", text);
	check("format: count at 32", strstr(text, "\tfield:size_t count;\toffset:32;\tsize:8;\tsigned:0;\n") != NULL, "%s", text);
	check("format: print fmt", strstr(text, "\nprint fmt: \"fd: 0x%08lx, buf: 0x%08lx, count: 0x%08lx\", ((unsigned long)(REC->fd)),") != NULL, "%s", text);
	slurp(T "events/syscalls/sys_exit_write/format");
	check("sys_exit_write: ret", strstr(text, "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n\nprint fmt: \"0x%lx\", REC->ret\n") != NULL, "%s", text);
	slurp(T "events/syscalls/sys_enter_getpid/format");
	check("sys_enter_getpid: empty print fmt", strstr(text, "\nprint fmt: \"\"\n") != NULL, "%s", text);
	slurp(T "events/sched/sched_switch/format");
	check("sched_switch: prev_state", strstr(text, "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n") != NULL, "%s", text);
	check("sched_switch: next_prio", strstr(text, "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n") != NULL, "%s", text);
	slurp(T "events/sched/sched_process_fork/format");
	check("sched_process_fork: __data_loc", strstr(text, "\tfield:__data_loc char[] child_comm;\toffset:16;\tsize:4;\tsigned:0;\n") != NULL, "%s", text);
	slurp(T "events/signal/signal_generate/format");
	check("signal_generate: result", strstr(text, "\tfield:int result;\toffset:44;\tsize:4;\tsigned:1;\n") != NULL, "%s", text);
}

static void test_syscall_events(void)
{
	pid_t me = getpid();
	disable_all();
	check_eq("enable sys_enter_getpid", put(T "events/syscalls/sys_enter_getpid/enable", "1"), 0);
	check_eq("enable sys_exit_getpid", put(T "events/syscalls/sys_exit_getpid/enable", "1\n"), 0);
	check("enable reads 1", slurp(T "events/syscalls/sys_enter_getpid/enable") > 0 && !strcmp(text, "1\n"), "%s", text);
	check("syscalls/enable reads X", slurp(T "events/syscalls/enable") > 0 && !strcmp(text, "X\n"), "%s", text);
	for (int i = 0; i < 3; i++)
		syscall(SYS_getpid);
	put(T "events/syscalls/sys_enter_getpid/enable", "0");
	put(T "events/syscalls/sys_exit_getpid/enable", "0");
	syscall(SYS_getpid); /* not traced */
	slurp(T "trace");
	const char *head = "# tracer: nop\n#\n# entries-in-buffer/entries-written: ";
	check("trace header", !strncmp(text, head, strlen(head)), "%.60s", text);
	check_eq("3 sys_getpid() lines", count_lines(me, ": sys_getpid()"), 3);
	char ret[64];
	snprintf(ret, sizeof(ret), ": sys_getpid -> 0x%x", me);
	check_eq("3 sys_getpid -> pid lines", count_lines(me, ret), 3);
	char prefix[64], unknown[64]; /* Linux prints <...> for a comm its cache lost */
	snprintf(prefix, sizeof(prefix), "\n%16s-%-7d [", "tracefs", me);
	snprintf(unknown, sizeof(unknown), "\n%16s-%-7d [", "<...>", me);
	check("line layout: comm-pid [cpu]", strstr(text, prefix) || strstr(text, unknown), "no '%s' in %s", prefix + 1, text);
	check("flags and timestamp", strstr(text, "] ..... ") != NULL, "%s", text);
}

static void test_marker_and_pipe(void)
{
	pid_t me = getpid();
	disable_all();
	int pipe_fd = open(T "trace_pipe", O_RDONLY | O_NONBLOCK);
	check_ok("open trace_pipe", pipe_fd);
	char buf[4096];
	while (read(pipe_fd, buf, sizeof(buf)) > 0) /* drain what others left */
		;
	check_errno("empty trace_pipe, O_NONBLOCK: EAGAIN", read(pipe_fd, buf, sizeof(buf)), EAGAIN);
	check_eq("write trace_marker", put(T "trace_marker", "hello from the test"), 0);
	slurp(T "trace");
	check_eq("marker in trace", count_lines(me, "tracing_mark_write: hello from the test"), 1);
	long n = read(pipe_fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	check("trace_pipe gives the marker", n > 0 && strstr(buf, "tracing_mark_write: hello from the test\n"), "%ld: %s", n, buf);
	check_errno("trace_pipe consumed it", read(pipe_fd, buf, sizeof(buf)), EAGAIN);
	struct pollfd p = { pipe_fd, POLLIN, 0 };
	check_eq("poll: empty pipe not readable", poll(&p, 1, 0), 0);
	close(pipe_fd);

	/* A reader blocked in poll and then read is woken by a new event. */
	int sync[2];
	pipe(sync);
	pid_t child = t_fork();
	if (child == 0) {
		int fd = open(T "trace_pipe", O_RDONLY);
		struct pollfd q = { fd, POLLIN, 0 };
		write(sync[1], "r", 1);
		int r = poll(&q, 1, 20000);
		char b[4096];
		long k = read(fd, b, sizeof(b) - 1);
		b[k > 0 ? k : 0] = 0;
		_exit(r == 1 && (q.revents & POLLIN) && strstr(b, "wake up, reader") ? 0 : 1);
	}
	char c;
	read(sync[0], &c, 1);
	t_nap(50);
	put(T "trace_marker", "wake up, reader");
	check_exited("poll on trace_pipe woken by a marker", t_wait(child, T_WAIT_TICKS), 0);

	child = t_fork();
	if (child == 0) {
		int fd = open(T "trace_pipe", O_RDONLY);
		write(sync[1], "r", 1);
		char b[4096];
		long k = read(fd, b, sizeof(b) - 1); /* blocks */
		b[k > 0 ? k : 0] = 0;
		_exit(k > 0 && strstr(b, "blocking reader") ? 0 : 1);
	}
	read(sync[0], &c, 1);
	t_nap(50);
	put(T "trace_marker", "blocking reader");
	check_exited("blocking read of trace_pipe woken", t_wait(child, T_WAIT_TICKS), 0);
	close(sync[0]);
	close(sync[1]);
}

static void test_sched_and_signal_events(void)
{
	pid_t me = getpid();
	disable_all();
	check_eq("set_event sched:sched_process_fork", put(T "set_event", "sched:sched_process_fork"), 0);
	check("set_event lists it", slurp(T "set_event") > 0 && !strcmp(text, "sched:sched_process_fork\n"), "%s", text);
	check("its enable reads 1", slurp(T "events/sched/sched_process_fork/enable") > 0 && !strcmp(text, "1\n"), "%s", text);
	check_eq("enable signal:signal_generate", put(T "events/signal/signal_generate/enable", "1"), 0);
	check_eq("enable signal_deliver", put(T "events/signal/signal_deliver/enable", "1"), 0);
	pid_t child = t_fork();
	if (child == 0)
		_exit(0);
	t_wait(child, T_WAIT_TICKS);
	t_count_signal(SIGUSR1);
	kill(me, SIGUSR1);
	put(T "events/enable", "0");
	slurp(T "trace");
	char want[128];
	snprintf(want, sizeof(want), "sched_process_fork: comm=tracefs pid=%d child_comm=tracefs child_pid=%d", me, child);
	check_eq("sched_process_fork line", count_lines(me, want), 1);
	snprintf(want, sizeof(want), "signal_generate: sig=10 errno=0 code=0 comm=tracefs pid=%d grp=1 res=0", me);
	check_eq("signal_generate line", count_lines(me, want), 1);
	check_eq("signal_deliver line", count_lines(me, "signal_deliver: sig=10 errno=0 code=0 sa_handler="), 1);

	/* A page fault of ours: a new page written at a known address. */
	put(T "trace", "");
	check_eq("enable exceptions:page_fault_user", put(T "events/exceptions/page_fault_user/enable", "1"), 0);
	static char page[3 * 4096];
	char *p = (char *)(((unsigned long)page + 8191) & ~4095ul);
	*p = 1;
	put(T "events/exceptions/page_fault_user/enable", "0");
	slurp(T "trace");
	snprintf(want, sizeof(want), "page_fault_user: address=0x%lx ip=0x", (unsigned long)p);
	check_eq("page_fault_user line for the page written", count_lines(me, want), 1);

	if (on_sysgate()) { /* Linux's timer interrupt is the local APIC's, with its own number */
		put(T "trace", "");
		put(T "events/irq/enable", "1");
		t_nap(30);
		put(T "events/irq/enable", "0");
		slurp(T "trace");
		check("irq_handler_entry: irq=0 name=timer", strstr(text, ": irq_handler_entry: irq=0 name=timer\n") != NULL, "%.300s", text);
		check("irq_handler_exit: irq=0 ret=handled", strstr(text, ": irq_handler_exit: irq=0 ret=handled\n") != NULL, "%.300s", text);
	} else {
		t_skip("irq events", "the host's timer interrupt has another number and name");
	}
	check("events/enable reads 0", slurp(T "events/enable") > 0 && !strcmp(text, "0\n"), "%s", text);
	check("set_event empty", slurp(T "set_event") >= 0 && text[0] == 0, "%s", text);
}

static void test_hostile(void)
{
	check_eq("enable: garbage", put(T "events/sched/sched_switch/enable", "maybe"), -EINVAL);
	check_eq("enable: 2", put(T "events/sched/sched_switch/enable", "2"), -EINVAL);
	check_eq("tracing_on: garbage", put(T "tracing_on", "on"), -EINVAL);
	check_eq("set_event: unknown event", put(T "set_event", "nosuch:event"), -EINVAL);
	check_eq("current_tracer: unknown tracer", put(T "current_tracer", "bogus"), -EINVAL);
	check_eq("buffer_size_kb: garbage", put(T "buffer_size_kb", "lots"), -EINVAL);
	check_eq("buffer_size_kb: 0", put(T "buffer_size_kb", "0"), -EINVAL);
	check_errno("trace_marker: bad pointer", ({
			    int fd = open(T "trace_marker", O_WRONLY);
			    long r = write(fd, (void *)0xffff800000000000ul, 10);
			    int e = errno;
			    close(fd);
			    errno = e;
			    r;
		    }),
		    EFAULT);
	int fd = open(T "trace", O_RDONLY);
	check_errno("read trace into a bad pointer", read(fd, (void *)1, 100), EFAULT);
	close(fd);
	put(T "tracing_on", "0");
	fd = open(T "trace_marker", O_WRONLY);
	check_errno("marker while tracing is off: EBADF", write(fd, "x", 1), EBADF);
	close(fd);
	put(T "tracing_on", "1");
}

static void test_kallsyms(void)
{
	long n = slurp("/proc/kallsyms");
	check("/proc/kallsyms: 16 hex digits, a type, a name", n > 20 && text[16] == ' ' && text[18] == ' ', "%.40s", text);
	if (!on_sysgate()) {
		t_skip("/proc/kallsyms sorted, sys_getpid in it", "Linux's is larger than the buffer and lists modules after the kernel");
		return;
	}
	check("/proc/kallsyms names sys_getpid", strstr(text, " T sys_getpid\n") != NULL, "%ld bytes", n);
	unsigned long prev = 0, addr;
	int sorted = 1, lines = 0;
	/* Whole lines only: a kernel with more symbols (a KASAN build) fills
	 * the buffer, and its last line is cut. */
	for (char *p = text; *p && strchr(p, '\n'); p = strchr(p, '\n') + 1) {
		addr = strtoul(p, NULL, 16);
		sorted &= addr >= prev && p[16] == ' ' && p[17] == 'T';
		prev = addr;
		lines++;
	}
	check("/proc/kallsyms: ADDRESS T NAME, sorted", sorted && lines > 100, "%d lines", lines);
}

static void leak_work(void)
{
	for (int i = 0; i < 100; i++) {
		put(T "events/sched/enable", "1");
		put(T "trace_marker", "leak?");
		put(T "events/sched/enable", "0");
		slurp(T "trace");
		slurp(T "events/syscalls/sys_enter_openat/format");
		put(T "trace", "");
	}
}

int main(void)
{
	t_begin("tracefs");
	if (!ensure_mounted()) {
		t_skip("all", "no tracefs at " T " and it cannot be mounted");
		return t_end();
	}
	test_files();
	test_formats();
	test_syscall_events();
	test_marker_and_pipe();
	test_sched_and_signal_events();
	test_hostile();
	test_kallsyms();
	if (on_sysgate()) {
		struct leak_mark m;
		leak_mark(&m); /* warm up: the first reading pages in testlib's buffer */
		leak_work();
		leak_mark(&m);
		leak_work();
		leak_check("100 rounds of enable, marker, trace, format: no frame or heap byte lost", &m);
	}
	else
		t_skip("leaks", "sysgate only");
	disable_all();
	return t_end();
}
