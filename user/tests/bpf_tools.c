/*
 * bpf_tools: the BPF tools of /bin as a user runs them (course section:
 * advanced eBPF tracing).
 *
 * opensnoop runs as a child while another process opens a file (and
 * fails to open another): its lines show both, with that process's pid,
 * the fd and the errno. execsnoop sees a program started with arguments.
 * `syscount -- CMD` counts exactly the 7 writes CMD makes (CMD is this
 * binary again, in a mode that does only that). runqlat prints a
 * histogram. bpftool lists opensnoop's programs and maps while it runs and
 * dumps one of its maps. The same binary runs on the host Linux (root,
 * with the tools from build/user/) and on sysgate (/bin).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/testlib.h"
#include "user/bpflib/bpflib.h"
#include "bpf_can_load.h"

#define WRITES 7
#define OUT_MAX 65536

static char tool_dir[4200];

/* /bin on sysgate; on Linux build/user/, beside this test's tests/ folder. */
static int find_tools(void)
{
	if (on_sysgate()) {
		strcpy(tool_dir, "/bin");
		return 1;
	}
	snprintf(tool_dir, sizeof(tool_dir), "%s", t_self());
	char *tests = strstr(tool_dir, "/tests/");
	if (!tests)
		return 0;
	*tests = 0;
	return 1;
}

/* Starts a tool with its output (stdout and stderr) into *out_fd. */
static pid_t start_tool(char **argv, int *out_fd)
{
	static char path[4300];
	snprintf(path, sizeof(path), "%s/%s", tool_dir, argv[0]);
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(path, argv);
		_exit(127);
	}
	close(p[1]);
	*out_fd = p[0];
	return pid;
}

/* Reads into text (appending) until `want` appears or about 15 s pass; 1 if it did. */
static int read_until(int fd, char *text, long *len, const char *want)
{
	for (int naps = 0; naps < 150 && !strstr(text, want); naps++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		long n = read(fd, text + *len, OUT_MAX - 1 - *len);
		if (n <= 0)
			break;
		*len += n;
		text[*len] = 0;
	}
	return strstr(text, want) != NULL;
}

/* Runs a tool to its end; its wait status, its output in text. */
static int run_tool(char **argv, char *text)
{
	int fd;
	long len = 0;
	text[0] = 0;
	pid_t pid = start_tool(argv, &fd);
	read_until(fd, text, &len, "\1never\1");
	close(fd);
	return t_wait(pid, T_WAIT_TICKS);
}

/* Stops a tool with Ctrl-C's signal, reads the rest of its output; its status. */
static int stop_tool(pid_t pid, int fd, char *text, long *len)
{
	kill(pid, SIGINT);
	read_until(fd, text, len, "\1never\1");
	close(fd);
	return t_wait(pid, T_WAIT_TICKS);
}

/* The line of text that contains both a and b, copied into line; 1 if found. */
static int line_with(const char *text, const char *a, const char *b, char *line, size_t size)
{
	const char *p = text;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n < size) {
			memcpy(line, p, n);
			line[n] = 0;
			if (strstr(line, a) && strstr(line, b))
				return 1;
		}
		p += n + (end != NULL);
	}
	return 0;
}

/* opensnoop's FD and ERR columns: the third and fourth fields of its line. */
static int fd_and_err(const char *line, int *fd, int *err)
{
	const char *p = line;
	for (int field = 0; field < 2; field++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	char *end;
	*fd = (int)strtol(p, &end, 10);
	*err = (int)strtol(end, &end, 10);
	return end != p;
}

static void test_opensnoop_and_bpftool(void)
{
	static char text[OUT_MAX], other[OUT_MAX], line[512], path[64], want[64];
	long len = 0;
	int fd;
	char *argv[] = { "opensnoop", NULL };
	pid_t snoop = start_tool(argv, &fd);
	text[0] = 0;
	if (!check("opensnoop prints its header once tracing", read_until(fd, text, &len, "PID    COMM"), "%s", text)) {
		stop_tool(snoop, fd, text, &len);
		return;
	}
	snprintf(path, sizeof(path), "/tmp/bpf_tools.%d", getpid());
	pid_t opener = t_fork();
	if (opener == 0) {
		int f = open(path, O_CREAT | O_WRONLY, 0600);
		open("/no/such/dir/bpf_tools", O_RDONLY);
		_exit(f >= 0 ? 0 : 1);
	}
	check_exited("another process creates a file", t_wait(opener, T_WAIT_TICKS), 0);
	snprintf(want, sizeof(want), "%-6d ", opener);
	int seen = read_until(fd, text, &len, path) && read_until(fd, text, &len, "/no/such/dir/bpf_tools");
	int fd_seen = -2, err = -1;
	check("opensnoop shows its open, with its pid, an fd and no error",
	      seen && line_with(text, path, want, line, sizeof(line)) && fd_and_err(line, &fd_seen, &err) &&
		      fd_seen >= 3 && err == 0,
	      "%s", line_with(text, path, "", line, sizeof(line)) ? line : text);
	check("... and its failed open: fd -1, ENOENT",
	      line_with(text, "/no/such/dir/bpf_tools", want, line, sizeof(line)) && fd_and_err(line, &fd_seen, &err) &&
		      fd_seen == -1 && err == ENOENT,
	      "%s", text);
	unlink(path);

	char *prog_argv[] = { "bpftool", "prog", NULL }, *map_argv[] = { "bpftool", "map", NULL };
	check_exited("bpftool prog", run_tool(prog_argv, other), 0);
	check("... lists opensnoop's programs, with their type",
	      line_with(other, "tracepoint  name enter_openat", "tag ", line, sizeof(line)), "%s", other);
	check_exited("bpftool map", run_tool(map_argv, other), 0);
	check("... lists its ring buffer", line_with(other, ": ringbuf  name events", "", line, sizeof(line)), "%s", other);
	/* The last map named config is opensnoop's (other programs may have one too). */
	char *p = other, *last = NULL;
	while ((p = strstr(p, ": array  name config")) != NULL)
		last = p++;
	if (check("... and its config map", last != NULL, "%s", other)) {
		while (last > other && last[-1] != '\n')
			last--;
		char id[16];
		snprintf(id, sizeof(id), "%d", atoi(last));
		char *dump_argv[] = { "bpftool", "map", "dump", "id", id, NULL };
		check_exited("bpftool map dump id N", run_tool(dump_argv, other), 0);
		check("... shows its one element", strstr(other, "key: 00 00 00 00  value: 00 00 00 00\nFound 1 element\n") != NULL,
		      "%s", other);
	}
	check_exited("opensnoop ends at SIGINT", stop_tool(snoop, fd, text, &len), 0);
}

static void test_execsnoop(void)
{
	static char text[OUT_MAX], line[512];
	long len = 0;
	int fd;
	char *argv[] = { "execsnoop", NULL };
	pid_t snoop = start_tool(argv, &fd);
	text[0] = 0;
	if (!check("execsnoop prints its header once tracing", read_until(fd, text, &len, "PCOMM"), "%s", text)) {
		stop_tool(snoop, fd, text, &len);
		return;
	}
	pid_t child = t_fork();
	if (child == 0) {
		/* On the stack: BPF's reads of user memory do not fault pages in,
		 * and string constants in a page never touched yet read as "". */
		char a1[] = "--exit", a2[] = "execsnoop-marker";
		char *args[] = { (char *)t_self(), a1, a2, NULL };
		execv(t_self(), args);
		_exit(127);
	}
	t_wait(child, T_WAIT_TICKS);
	char pid_text[16];
	snprintf(pid_text, sizeof(pid_text), " %d ", child);
	read_until(fd, text, &len, "execsnoop-marker");
	check("execsnoop shows the exec with its pid and arguments",
	      line_with(text, "--exit execsnoop-marker", pid_text, line, sizeof(line)) && strstr(line, "   0 "), "%s",
	      text);
	check_exited("execsnoop ends at SIGINT", stop_tool(snoop, fd, text, &len), 0);
}

static void test_syscount(void)
{
	static char text[OUT_MAX], line[512];
	char *argv[] = { "syscount", "-L", "--", (char *)t_self(), "--writes", NULL };
	check_exited("syscount -L -- CMD", run_tool(argv, text), 0);
	check("the header", strstr(text, "SYSCALL                   COUNT        TIME (us)\n") != NULL, "%s", text);
	check("CMD's 7 writes counted", line_with(text, "write   ", "       7 ", line, sizeof(line)), "%s", text);
	check("a histogram of the calls' times", strstr(text, "     nsecs               : count     distribution\n") != NULL,
	      "%s", text);
}

static void test_runqlat(void)
{
	static char text[OUT_MAX];
	char *argv[] = { "runqlat", "1", "1", NULL };
	check_exited("runqlat 1 1", run_tool(argv, text), 0);
	check("its header", strstr(text, "Tracing run queue latency... Hit Ctrl-C to end.\n") != NULL, "%s", text);
	check("a histogram in usecs", strstr(text, "     usecs               : count     distribution\n") != NULL, "%s",
	      text);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--writes") == 0) {
		/* syscount's command: exactly WRITES writes, nothing printed. */
		int fd = open("/dev/null", O_WRONLY);
		for (int i = 0; i < WRITES; i++)
			write(fd, "x", 1);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--exit") == 0)
		return 0; /* execsnoop's command */
	t_set_self(argv);
	t_begin("bpf_tools");
	if (!bpf_can_load("the tools"))
		return t_end();
	if (!find_tools()) {
		t_fail("find the tools", "not beside %s", t_self());
		return t_end();
	}
	test_opensnoop_and_bpftool();
	test_execsnoop();
	test_syscount();
	test_runqlat();
	return t_end();
}
