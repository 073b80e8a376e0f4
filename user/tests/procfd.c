/*
 * procfd: /proc/PID/fd and /proc/PID/fdinfo (course section: observability).
 *
 * Every open descriptor is a symbolic link in /proc/PID/fd whose target is
 * Linux's description of the file: a path, "pipe:[N]" (the same N for both
 * ends), "socket:[N]", "anon_inode:[eventfd]". /proc/PID/fdinfo/N tells the
 * position, the open flags in octal (O_CLOEXEC among them) and the mount.
 * Hostile cases: a bad buffer to readlink, a closed descriptor, a dead pid.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testlib.h"

/* readlink("/proc/PID/fd/FD") as a string, or "" with errno set. */
static const char *fd_link(pid_t pid, int fd)
{
	static char buf[256];
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	long n = readlink(path, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

/* The value of a line "key:\tVALUE" of /proc/self/fdinfo/FD, or -1. */
static long fdinfo_value(int fd, const char *key, int base)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	if (f < 0)
		return -1;
	long n = read(f, buf, sizeof(buf) - 1);
	close(f);
	buf[n < 0 ? 0 : n] = 0;
	char *line = strstr(buf, key);
	if (!line)
		return -1;
	return strtol(line + strlen(key), NULL, base);
}

static void links(void)
{
	pid_t me = getpid();
	int null = open("/dev/null", O_RDWR);
	check("/dev/null's link is its path", !strcmp(fd_link(me, null), "/dev/null"), "got '%s'",
	      fd_link(me, null));
	int tmp = open("/tmp/procfd-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	check("a file in /tmp: its path", !strcmp(fd_link(me, tmp), "/tmp/procfd-file"), "got '%s'",
	      fd_link(me, tmp));
	int p[2], s[2];
	pipe(p);
	char a[64], b[64];
	strcpy(a, fd_link(me, p[0]));
	strcpy(b, fd_link(me, p[1]));
	check("a pipe: pipe:[N], both ends the same N", !strncmp(a, "pipe:[", 6) && !strcmp(a, b),
	      "got '%s' and '%s'", a, b);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	check("a socket: socket:[N]", !strncmp(fd_link(me, s[0]), "socket:[", 8), "got '%s'", fd_link(me, s[0]));
	int e = eventfd(0, 0);
	check("an eventfd: anon_inode:[eventfd]", !strcmp(fd_link(me, e), "anon_inode:[eventfd]"), "got '%s'",
	      fd_link(me, e));

	struct stat st;
	check_ok("stat through /proc/self/fd/N reaches the file", stat("/proc/self/fd/0", &st) >= 0 ? 0 : -1);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", tmp);
	int again = open(path, O_RDONLY);
	check("open through the link opens the same file", again >= 0, "errno %s", errno_name(errno));
	close(again);

	int found = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	while (d && (de = readdir(d)))
		found += atoi(de->d_name) == e;
	if (d)
		closedir(d);
	check_eq("the directory lists the eventfd", found, 1);

	close(null);
	close(tmp);
	unlink("/tmp/procfd-file");
	close(p[0]);
	close(p[1]);
	close(s[0]);
	close(s[1]);
	close(e);
}

static void fdinfo(void)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	check_eq("fdinfo pos: 0 at first", fdinfo_value(fd, "pos:", 10), 0);
	long flags = fdinfo_value(fd, "flags:", 8);
	check("fdinfo flags: O_WRONLY and O_CLOEXEC, in octal", (flags & O_ACCMODE) == O_WRONLY &&
	      (flags & O_CLOEXEC), "got 0%lo", flags);
	check("fdinfo has mnt_id:", fdinfo_value(fd, "mnt_id:", 10) >= 0, "missing");
	close(fd);
	int t = open("/tmp/procfd-pos", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(t, "hello", 5);
	check_eq("fdinfo pos: after writing 5 bytes", fdinfo_value(t, "pos:", 10), 5);
	check_eq("fdinfo flags: no O_CLOEXEC without it", fdinfo_value(t, "flags:", 8) & O_CLOEXEC, 0);
	close(t);
	unlink("/tmp/procfd-pos");
}

static void hostile(void)
{
	int fd = open("/dev/null", O_RDONLY);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	check_errno("readlink into a bad pointer: EFAULT", readlink(path, (char *)8, 64), EFAULT);
	check_errno("readlink with a zero size: EINVAL", readlink(path, path, 0), EINVAL);
	close(fd);
	char buf[64];
	check_errno("readlink of a closed descriptor: ENOENT", readlink(path, buf, sizeof(buf)), ENOENT);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	check_errno("fdinfo of a closed descriptor: ENOENT", open(path, O_RDONLY), ENOENT);
	check_errno("fd 99999: ENOENT", readlink("/proc/self/fd/99999", buf, sizeof(buf)), ENOENT);
	check_errno("fd -1: ENOENT", readlink("/proc/self/fd/-1", buf, sizeof(buf)), ENOENT);

	pid_t child = t_fork();
	if (child == 0)
		_exit(0);
	int status;
	waitpid(child, &status, 0);
	snprintf(path, sizeof(path), "/proc/%d/fd/0", child);
	check_errno("a dead pid's fd: ENOENT", readlink(path, buf, sizeof(buf)), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", child);
	check_errno("a dead pid's fdinfo: ENOENT", open(path, O_RDONLY), ENOENT);
}

static void churn(void)
{
	for (int i = 0; i < 20; i++) {
		int p[2];
		pipe(p);
		fd_link(getpid(), p[0]);
		fdinfo_value(p[1], "pos:", 10);
		close(p[0]);
		close(p[1]);
	}
	fd_link(getpid(), 0); /* the closed ones' entries go */
}

int main(void)
{
	t_begin("procfd");
	t_group("links", links);
	t_group("fdinfo", fdinfo);
	t_group("hostile", hostile);
	t_leak_test("20 pipes looked at in /proc/self/fd and fdinfo: no frame or heap byte lost", churn);
	return t_end();
}
