/*
 * /proc/PID/{exe, cwd, root, environ, limits, mountinfo}: where a process
 * runs from and what it may use, as tools read them (course sections:
 * observability; procfs and sysfs).
 *
 * The same checks run on Linux and on sysgate: exe leads to the program
 * file, cwd follows chdir (also another process's), environ is the envp
 * exec was given and is refused to another user, limits has Linux's table
 * and follows setrlimit, and mountinfo's fields parse as libmount parses
 * them, with the mount ids fdinfo gives.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testlib.h"

static char buf[16384];

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;
	if (fd < 0)
		return -errno;
	while (n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	if (r < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static const char *link_of(const char *path)
{
	static char target[512];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = 0;
	return n > 0 ? target : "";
}

static void test_exe_root(void)
{
	struct stat via_link, via_path;
	const char *exe = link_of("/proc/self/exe");
	check("exe is an absolute path", exe[0] == '/', "\"%s\"", exe);
	check("exe names the running program's file",
	      stat("/proc/self/exe", &via_link) == 0 && stat(exe, &via_path) == 0 &&
		      via_link.st_ino == via_path.st_ino && via_link.st_dev == via_path.st_dev,
	      "%s", exe);
	check("root is /", !strcmp(link_of("/proc/self/root"), "/"), "\"%s\"", link_of("/proc/self/root"));
}

static void test_cwd(void)
{
	chdir("/dev");
	check("cwd follows chdir", !strcmp(link_of("/proc/self/cwd"), "/dev"), "\"%s\"", link_of("/proc/self/cwd"));
	chdir("/");
	check("cwd after chdir(\"/\")", !strcmp(link_of("/proc/self/cwd"), "/"), "\"%s\"", link_of("/proc/self/cwd"));

	int ready[2], done[2];
	pipe(ready);
	pipe(done);
	pid_t pid = t_fork();
	if (pid == 0) {
		char c;
		chdir("/proc");
		write(ready[1], "r", 1);
		read(done[0], &c, 1);
		_exit(0);
	}
	char c, path[64];
	read(ready[0], &c, 1);
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	check("another process's cwd", !strcmp(link_of(path), "/proc"), "\"%s\"", link_of(path));
	write(done[1], "d", 1);
	t_wait(pid, T_WAIT_TICKS);
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	check_errno("a reaped process's cwd: ENOENT", readlink(path, buf, sizeof(buf)), ENOENT);
	close(ready[0]), close(ready[1]), close(done[0]), close(done[1]);
}

/* Run by the re-executed copy: its environ is exactly the envp it got. */
static int child_checks_environ(void)
{
	static const char want[] = "SG_A=1\0SG_B=two words\0";
	long n = slurp("/proc/self/environ");
	return n == (long)sizeof(want) - 1 && !memcmp(buf, want, sizeof(want) - 1) ? 0 : 1;
}

static void test_environ(void)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { "procpid", "--environ", NULL };
		char *envp[] = { "SG_A=1", "SG_B=two words", NULL };
		execve(t_self(), argv, envp);
		_exit(99);
	}
	int status = t_wait(pid, T_WAIT_TICKS);
	check_exited("environ is the envp given to execve", status, 0);

	/* Another user may not read a root process's environment. */
	int done[2];
	pipe(done);
	pid_t owner = t_fork();
	if (owner == 0) {
		char c;
		read(done[0], &c, 1);
		_exit(0);
	}
	pid_t reader = t_fork();
	if (reader == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/environ", owner);
		if (setresgid(4000, 4000, 4000) || setresuid(4000, 4000, 4000))
			_exit(98);
		_exit(slurp(path) == -EACCES ? 0 : 1);
	}
	check_exited("another user's environ: EACCES", t_wait(reader, T_WAIT_TICKS), 0);
	write(done[1], "d", 1);
	t_wait(owner, T_WAIT_TICKS);
	close(done[0]), close(done[1]);
}

static void test_limits(void)
{
	check("limits: Linux's header",
	      slurp("/proc/self/limits") > 0 &&
		      !strncmp(buf, "Limit                     Soft Limit           Hard Limit           Units     \n", 79),
	      "%.80s", buf);
	check("limits: cpu time unlimited, in seconds",
	      strstr(buf, "\nMax cpu time              unlimited            unlimited            seconds   \n") != NULL,
	      "%.200s", buf);
	check("limits: nice has no unit", strstr(buf, "\nMax nice priority         ") && strstr(buf, "\nMax realtime priority     "),
	      "%.200s", buf);
	struct rlimit r = { 100, 200 };
	setrlimit(RLIMIT_NOFILE, &r);
	slurp("/proc/self/limits");
	check("limits follows setrlimit",
	      strstr(buf, "\nMax open files            100                  200                  files     \n") != NULL, "%s", buf);
	int lines = 0;
	for (const char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	check_eq("limits: header and 16 limits", lines, 17);
}

/* Copy the n-th space-separated field of line (from 0) into out. */
static bool field_at(const char *line, int n, char *out, size_t size)
{
	while (n-- > 0) {
		line = strchr(line, ' ');
		if (!line)
			return false;
		line++;
	}
	size_t len = strcspn(line, " ");
	if (len == 0 || len >= size)
		return false;
	memcpy(out, line, len);
	out[len] = 0;
	return true;
}

/* One mountinfo line's id, mount point (field 4) and type (the field after " - "). */
static bool parse_mountinfo(const char *line, int *id, char *point, char *type)
{
	char dev[32];
	const char *sep = strstr(line, " - ");
	*id = atoi(line);
	return field_at(line, 2, dev, sizeof(dev)) && strchr(dev, ':') && field_at(line, 4, point, 128) && sep &&
	       field_at(sep + 3, 0, type, 64);
}

static void test_mountinfo(void)
{
	check("mountinfo readable", slurp("/proc/self/mountinfo") > 0, "%s", strerror(errno));
	int proc_id = -1, lines = 0, good = 0;
	bool root_seen = false;
	for (char *line = buf, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		*end = 0;
		int id;
		char point[128], type[64];
		lines++;
		if (!parse_mountinfo(line, &id, point, type))
			continue;
		good++;
		root_seen |= !strcmp(point, "/");
		if (!strcmp(point, "/proc") && !strcmp(type, "proc"))
			proc_id = id;
	}
	check("mountinfo: every line parses", lines > 0 && good == lines, "%d of %d", good, lines);
	check("mountinfo: / and /proc", root_seen && proc_id >= 0, "root %d, proc id %d", root_seen, proc_id);
	int fd = open("/proc/self/status", O_RDONLY);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	slurp(path);
	const char *m = strstr(buf, "mnt_id:");
	check("fdinfo's mnt_id is mountinfo's id of /proc", m && atoi(m + 7) == proc_id, "%.80s / %d", buf, proc_id);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--environ"))
		return child_checks_environ();
	t_set_self(argv);
	t_begin("procpid");
	test_exe_root();
	test_cwd();
	test_environ();
	test_limits();
	test_mountinfo();
	return t_end();
}
