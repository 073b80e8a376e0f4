/*
 * /proc/PID/{syscall,wchan,stack} and /proc/interrupts (course section:
 * procfs and sysfs): a child blocked in read() on a pipe is seen from
 * outside -- the syscall and its arguments, the kernel function it waits
 * in, its kernel stack -- in Linux's formats; a spinning child is
 * "running"; and prctl's name. On Linux /proc/PID/stack needs root (the
 * suite runs as root).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "testlib.h"

static const char *read_proc(const char *fmt, pid_t pid)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next++ % 4], path[64];
	snprintf(path, sizeof(path), fmt, pid);
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, b, sizeof(buf[0]) - 1);
	if (fd >= 0)
		close(fd);
	b[n > 0 ? n : 0] = 0;
	return n < 0 ? "(unreadable)" : b;
}

static char pipe_buf[77];

static void test_blocked(void)
{
	int p[2];
	pipe(p);
	pid_t child = t_fork();
	if (child == 0) {
		read(p[0], pipe_buf, sizeof(pipe_buf)); /* blocks until the parent writes */
		_exit(0);
	}
	check_eq("the child sleeps in read", t_wait_for_state(child, 'S'), 'S');
	const char *sc = read_proc("/proc/%d/syscall", child);
	char *end;
	long nr = strtol(sc, &end, 10);
	unsigned long a1 = strtoul(end, &end, 16), a2 = strtoul(end, &end, 16), a3 = strtoul(end, &end, 16);
	check_eq("syscall: read is number 0", nr, 0);
	check_eq("syscall: its fd", (long)a1, p[0]);
	check_eqx("syscall: its buffer", a2, (unsigned long)pipe_buf);
	check_eq("syscall: its count", (long)a3, sizeof(pipe_buf));
	int fields = 0;
	for (const char *c = sc; *c; c++)
		fields += *c == ' ';
	check_eq("syscall: nine fields (nr, six arguments, sp, pc)", fields, 8);
	const char *wchan = read_proc("/proc/%d/wchan", child);
	/* Linux 6.18 calls it anon_pipe_read, sysgate pipe_read. */
	size_t wl = strlen(wchan);
	check("wchan: it waits in the pipe's read", wl >= 9 && !strcmp(wchan + wl - 9, "pipe_read"), "got \"%s\"", wchan);
	const char *stack = read_proc("/proc/%d/stack", child), *plus = strchr(stack, '+');
	if (!on_sysgate() && geteuid() != 0)
		t_skip("stack", "Linux shows kernel stacks to root only");
	else
	check("stack: the first frame is [<0>] ...pipe_read+0x.../0x...", !strncmp(stack, "[<0>] ", 6) && plus &&
	      plus - stack >= 15 && !strncmp(plus - 9, "pipe_read+0x", 12) && strchr(stack, '/'), "got \"%.80s\"", stack);
	write(p[1], "x", 1);
	check_exited("the child woke and exited", t_wait(child, T_WAIT_TICKS), 0);
	close(p[0]);
	close(p[1]);
}

static void test_running(void)
{
	const char *self = read_proc("/proc/%d/syscall", getpid());
	/* Linux writes the file when it is read (read: 0), sysgate when it is
	 * opened (open: 2) */
	check("our own syscall file shows our read or open", !strncmp(self, "0 0x", 4) || !strncmp(self, "2 0x", 4),
	      "got \"%s\"", self);
	pid_t child = t_fork();
	if (child == 0)
		for (;;)
			;
	const char *sc = read_proc("/proc/%d/syscall", child);
	check("a spinning child is \"running\"", !strcmp(sc, "running\n"), "got \"%s\"", sc);
	const char *wchan = read_proc("/proc/%d/wchan", child);
	check("... and waits for nothing (wchan 0)", !strcmp(wchan, "0"), "got \"%s\"", wchan);
	kill(child, SIGKILL);
	t_wait(child, T_WAIT_TICKS);
	check_errno("a pid that does not exist: ENOENT", open("/proc/99999999/syscall", O_RDONLY), ENOENT);
}

static void test_interrupts(void)
{
	const char *s = read_proc("/proc/interrupts%.0d", 0);
	check("/proc/interrupts starts with the CPU header", !strncmp(s, "           CPU0", 15), "got \"%.40s\"", s);
	const char *line = strchr(s, '\n');
	check("... then lines of IRQ: count", line && strchr(line, ':'), "got \"%.80s\"", s);
}

static void test_prctl_name(void)
{
	char name[16];
	check_ok("prctl PR_SET_NAME", prctl(PR_SET_NAME, (unsigned long)"a-new-name", 0, 0, 0));
	check_ok("prctl PR_GET_NAME", prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0));
	check("PR_GET_NAME gives it back", !strcmp(name, "a-new-name"), "got \"%s\"", name);
	const char *stat = read_proc("/proc/%d/stat", getpid());
	check("/proc/PID/stat shows it", strstr(stat, "(a-new-name)") != NULL, "got \"%.40s\"", stat);
	prctl(PR_SET_NAME, (unsigned long)"0123456789abcdefghij", 0, 0, 0);
	prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0);
	check("a long name is cut to 15 bytes", !strcmp(name, "0123456789abcde"), "got \"%s\"", name);
	check_errno("PR_SET_NAME from a bad pointer: EFAULT", prctl(PR_SET_NAME, 8, 0, 0, 0), EFAULT);
	check_errno("PR_GET_NAME to a bad pointer: EFAULT", prctl(PR_GET_NAME, 8, 0, 0, 0), EFAULT);
	check_errno("an unknown option: EINVAL", prctl(0x7fff1234, 0, 0, 0, 0), EINVAL);
}

int main(void)
{
	t_begin("prockernel");
	t_group("blocked in read", test_blocked);
	t_group("running", test_running);
	t_group("interrupts", test_interrupts);
	t_group("prctl name", test_prctl_name);
	return t_end();
}
