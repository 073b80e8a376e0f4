/*
 * The /proc/sys files test suites and tools read: kernel/{tainted,
 * shmmax, threads-max, pid_max, core_pattern}, fs/pipe-max-size (course
 * sections: observability; kernel debugging techniques).
 *
 * The same checks run on Linux: each reads as Linux writes it (a number,
 * or a line of text), an ordinary user may not write them (EACCES), and
 * pipe-max-size binds an ordinary user's F_SETPIPE_SZ (EPERM) but not
 * root's. On sysgate (only: it would change the host) root lowers
 * pipe-max-size and shmmax and sees them obeyed.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

#include "testlib.h"

static char text[256];

static long read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	long n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = 0;
	return n;
}

/* The file's number; -1 if it is not one number and a line feed. */
static long number_in(const char *path)
{
	if (read_file(path) <= 0)
		return -1;
	char *end;
	long v = strtol(text, &end, 10);
	return end != text && !strcmp(end, "\n") ? v : -1;
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

static void test_readable(void)
{
	check("kernel/tainted is a number", number_in("/proc/sys/kernel/tainted") >= 0, "\"%s\"", text);
	check("kernel/shmmax is a number", read_file("/proc/sys/kernel/shmmax") > 0 && text[0] >= '0' && text[0] <= '9',
	      "\"%s\"", text);
	check("kernel/threads-max is positive", number_in("/proc/sys/kernel/threads-max") > 0, "\"%s\"", text);
	check_eq("kernel/pid_max is Linux's default", number_in("/proc/sys/kernel/pid_max"), 32768);
	check("kernel/core_pattern is a line", read_file("/proc/sys/kernel/core_pattern") > 1 && strchr(text, '\n'),
	      "\"%s\"", text);
	check_eq("fs/pipe-max-size is 1 MiB", number_in("/proc/sys/fs/pipe-max-size"), 1 << 20);
}

static void as_user(long unused)
{
	(void)unused;
	if (setresgid(4000, 4000, 4000) || setresuid(4000, 4000, 4000))
		_exit(98);
	check_errno("user: write kernel/shmmax: EACCES", write_file("/proc/sys/kernel/shmmax", "4096\n") ? -1 : 0,
		    EACCES);
	check_errno("user: write fs/pipe-max-size: EACCES",
		    write_file("/proc/sys/fs/pipe-max-size", "4096\n") ? -1 : 0, EACCES);
	int p[2];
	pipe(p);
	check_errno("user: F_SETPIPE_SZ above pipe-max-size: EPERM", fcntl(p[0], F_SETPIPE_SZ, 2 << 20), EPERM);
	close(p[0]), close(p[1]);
	_exit(t_end());
}

/* write_file's error as errno, for check_errno. */
static int set_errno(int err)
{
	errno = -err;
	return err ? -1 : 0;
}

/* Does this process have CAP_SYS_RESOURCE (bit 24)? A container's root may not. */
static bool has_sys_resource(void)
{
	return (t_status_field("CapEff", 16) >> 24) & 1;
}

static void test_limits_obeyed(void)
{
	int p[2];
	pipe(p);
	if (has_sys_resource())
		check_eq("CAP_SYS_RESOURCE: F_SETPIPE_SZ above pipe-max-size", fcntl(p[0], F_SETPIPE_SZ, 2 << 20), 2 << 20);
	else
		check_errno("root without CAP_SYS_RESOURCE: F_SETPIPE_SZ above pipe-max-size: EPERM",
			    fcntl(p[0], F_SETPIPE_SZ, 2 << 20), EPERM);
	close(p[0]), close(p[1]);
	if (!on_sysgate()) {
		t_skip("lowering pipe-max-size and shmmax", "it would change the host's settings");
		return;
	}
	check_ok("root: write fs/pipe-max-size 8192", set_errno(write_file("/proc/sys/fs/pipe-max-size", "8192\n")));
	check_eq("... reads back", number_in("/proc/sys/fs/pipe-max-size"), 8192);
	check_ok("root: write kernel/shmmax 8192", set_errno(write_file("/proc/sys/kernel/shmmax", "8192\n")));
	check_errno("a segment over shmmax: EINVAL", shmget(IPC_PRIVATE, 16384, IPC_CREAT | 0600), EINVAL);
	int id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	check("a segment of shmmax bytes", id >= 0, "%s", errno_name(errno));
	shmctl(id, IPC_RMID, NULL);
	check_errno("pipe-max-size 0: EINVAL", set_errno(write_file("/proc/sys/fs/pipe-max-size", "0\n")), EINVAL);
	write_file("/proc/sys/fs/pipe-max-size", "1048576\n");
	write_file("/proc/sys/kernel/shmmax", "1073741824\n");
	check_eq("pipe-max-size restored", number_in("/proc/sys/fs/pipe-max-size"), 1 << 20);
}

/* sysgate: loading a module sets the 'O' bit (12) of kernel/tainted, for good. */
static void test_taint(void)
{
	if (!on_sysgate()) {
		t_skip("a module taints the kernel", "loading a module into the host is not a test's business");
		return;
	}
	long before = number_in("/proc/sys/kernel/tainted");
	int fd = open("/lib/modules/hello.ko", O_RDONLY);
	long loaded = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	long after = number_in("/proc/sys/kernel/tainted");
	syscall(SYS_delete_module, "hello", 0);
	check("a module loads", loaded == 0, "%s", errno_name(errno));
	check("... and sets TAINT_OOT_MODULE (4096)", (after & 4096) && (after & ~4096) == (before & ~4096),
	      "before %ld after %ld", before, after);
	check_eq("unloading it does not clear the taint", number_in("/proc/sys/kernel/tainted"), after);
	check_errno("kernel/tainted is read-only here", set_errno(write_file("/proc/sys/kernel/tainted", "1\n")), EACCES);
}

int main(void)
{
	t_begin("sysctls");
	test_readable();
	check_exited("an ordinary user", run_child(as_user, 0), 0);
	test_limits_obeyed();
	test_taint();
	return t_end();
}
