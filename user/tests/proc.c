/*
 * proc: processes — fork, execve, exit and wait4 (course section: processes;
 * bad-input catalogue "Processes").
 *
 * How a child's end is encoded and collected (exit codes, signals, WNOHANG,
 * ECHILD, process groups), what survives execve (pid, descriptors without
 * FD_CLOEXEC) and what it refuses (ENOENT, EACCES, ENOEXEC, EFAULT, E2BIG),
 * copy-on-write after fork, orphans and zombies, running out of processes,
 * and a scheduler that lets everybody run.
 *
 * The program to exec is this test itself: run with "--echo", "--exit",
 * "--pid", "--fds", "--args", "--env", "--chain" or "--nest" as argv[1] it acts as a
 * small helper (see helper() below), which works the same on both systems.
 */
#include <abi/elf.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

static char dir[64];	/* our scratch directory under /tmp */

/* ---- the helper program (this binary with a mode flag) --------------------------- */

/* "+3" means fd 3 must be open, "-4" that fd 4 must be closed. Exit 0 if
 * all hold, else the position of the first one that does not. */
static int helper_fds(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i] + 1);
		int open_now = fcntl(fd, F_GETFD) >= 0;
		if (open_now != (argv[i][0] == '+'))
			return i - 1;
	}
	return 0;
}

/* ---- nested spawning: each process starts the next and waits for it ------------ */

#define NEST_FD 20	/* where every level finds the report pipe */

struct nest_report {
	int depth;	/* how many levels ran */
	int err;	/* why the next one did not: 0 if the cap was reached */
};

static int nest_report(int depth, int err)
{
	struct nest_report r = { depth, err };

	return write(NEST_FD, &r, sizeof(r)) == sizeof(r) ? 0 : 3;
}

/* "--nest D CAP": this process is level D. It forks and execs level D+1
 * and waits for it; the last level to run reports how deep it got. */
static int helper_nest(char **argv)
{
	int depth = atoi(argv[2]), cap = atoi(argv[3]);
	char num[16];
	char *next[] = { argv[0], "--nest", num, argv[3], NULL };
	pid_t pid;

	if (depth >= cap)
		return nest_report(depth, 0);
	snprintf(num, sizeof(num), "%d", depth + 1);
	pid = fork();
	if (pid < 0)
		return nest_report(depth, errno);
	if (pid == 0) {
		execve(argv[0], next, environ);
		_exit(nest_report(depth, errno));	/* level D+1 never ran */
	}
	return waitpid(pid, NULL, 0) == pid ? 0 : 4;
}

static int helper(int argc, char **argv)
{
	const char *mode = argv[1];

	if (strcmp(mode, "--echo") == 0) {	/* like /bin/echo */
		for (int i = 2; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "");
		printf("\n");
		return 0;
	}
	if (strcmp(mode, "--exit") == 0)
		return atoi(argv[2]);
	if (strcmp(mode, "--pid") == 0) {
		printf("%d %d\n", getpid(), getppid());
		return 0;
	}
	if (strcmp(mode, "--fds") == 0)
		return helper_fds(argc, argv);
	if (strcmp(mode, "--args") == 0) {	/* --args N LEN, then N strings of LEN */
		int n = atoi(argv[2]);
		size_t len = (size_t)atol(argv[3]);
		if (argc != n + 4)
			return 1;
		for (int i = 4; i < argc; i++)
			if (strlen(argv[i]) != len || argv[i][len / 2] != 'x')
				return 2;
		return 0;
	}
	if (strcmp(mode, "--env") == 0) {
		const char *v = getenv("SYSGATE_TEST");
		printf("%s\n", v ? v : "(none)");
		return 0;
	}
	if (strcmp(mode, "--chain") == 0) {	/* exec ourselves N more times */
		int n = atoi(argv[2]);
		char num[16];
		char *next[] = { argv[0], "--chain", num, NULL };
		if (n == 0)
			return 0;
		snprintf(num, sizeof(num), "%d", n - 1);
		execve(argv[0], next, environ);
		return 100;
	}
	if (strcmp(mode, "--nest") == 0 && argc == 4)
		return helper_nest(argv);
	printf("unknown helper mode %s\n", mode);
	return 99;
}

/* ---- small tools ---------------------------------------------------------------- */

/* Runs argv (a helper mode of this program) in a child with its stdout on a
 * pipe; collects what it printed into out and returns its wait status. */
static int run_capture(char *const argv[], char *const envp[], char *out, size_t size)
{
	int p[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	out[0] = '\0';
	if (pipe(p) < 0)
		return -1;
	pid = t_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(t_self(), argv, envp);
		_exit(127);
	}
	close(p[1]);
	while (len < size - 1 && (n = read(p[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	return t_wait(pid, T_WAIT_TICKS);
}

/* Calls execve in a child, which exits with the errno it got. Returns that
 * errno, or -1 if the exec succeeded (or the child died otherwise). */
static int exec_errno(const char *path, char *const argv[], char *const envp[])
{
	pid_t pid = t_fork();
	int st;

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno);
	}
	st = t_wait(pid, T_WAIT_TICKS);
	if (st >= 0 && WIFEXITED(st))
		return WEXITSTATUS(st);
	return -1;
}

static void check_exec_errno(const char *name, const char *path, char *const argv[], int want)
{
	int e = exec_errno(path, argv, environ);

	check(name, e == want, "wrong result (expected %s, got %s)", errno_name(want),
	      e < 0 ? "a successful exec" : errno_name(e));
}

/* A child that waits until fd has data or EOF, then exits with code. */
static pid_t child_waiting_on(int rfd, int wfd, int code)
{
	pid_t pid = t_fork();
	char c;

	if (pid == 0) {
		close(wfd);
		read(rfd, &c, 1);
		_exit(code);
	}
	return pid;
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	if (len && write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ---- exit status and wait4 -------------------------------------------------------- */

static void exit_with(long code)
{
	exit((int)code);
}

static void test_exit_status(void)
{
	int st = run_child(exit_with, 0);

	check_eq("exit(0) gives status 0", st, 0);
	st = run_child(exit_with, 3);
	check_eq("exit(3) gives status 0x300", st, 0x300);
	check("WIFEXITED and WEXITSTATUS read exit(3)", WIFEXITED(st) && WEXITSTATUS(st) == 3,
	      "got %s", status_text(st));
	check_exited("exit(255)", run_child(exit_with, 255), 255);
	check_exited("exit(256) keeps the low 8 bits", run_child(exit_with, 256), 0);
	check_exited("exit(-1) is 255", run_child(exit_with, -1), 255);
}

static void test_killed(void)
{
	int p[2];
	pid_t pid;
	int st = 0;

	pipe(p);
	pid = child_waiting_on(p[0], p[1], 0);
	check_eq("kill(child, SIGKILL)", kill(pid, SIGKILL), 0);
	check_eq("wait4 reaps the killed child", wait4(pid, &st, 0, NULL), pid);
	check_eq("killed by SIGKILL gives status 9", st, SIGKILL);
	check_signaled("WIFSIGNALED/WTERMSIG read it", st, SIGKILL);
	pid = child_waiting_on(p[0], p[1], 0);
	kill(pid, SIGTERM);
	check_signaled("killed by SIGTERM", t_wait(pid, T_WAIT_TICKS), SIGTERM);
	close(p[0]);
	close(p[1]);
}

static void test_wait_basics(void)
{
	int p[2], st = 0;
	pid_t a, b;
	struct rusage ru;

	pipe(p);
	a = child_waiting_on(p[0], p[1], 7);
	b = child_waiting_on(p[0], p[1], 8);
	check_eq("WNOHANG while the children run returns 0", wait4(-1, &st, WNOHANG, NULL), 0);
	check_eq("WNOHANG for a specific running child returns 0", wait4(a, &st, WNOHANG, NULL), 0);
	close(p[1]);	/* both children see EOF and exit */
	close(p[0]);
	check_eq("wait4(b) returns b", wait4(b, &st, 0, NULL), b);
	check_exited("b's status", st, 8);
	check_eq("wait4(-1) returns the other child", wait4(-1, &st, 0, &ru), a);
	check_exited("a's status", st, 7);
	check_errno("waiting for a again", wait4(a, &st, 0, NULL), ECHILD);
	check_errno("wait4(-1) with no children", wait4(-1, &st, 0, NULL), ECHILD);
	check_errno("WNOHANG with no children", wait4(-1, &st, WNOHANG, NULL), ECHILD);
	check_errno("wait4 for ourselves", wait4(getpid(), &st, 0, NULL), ECHILD);
	check_errno("wait4 for a pid that does not exist", wait4(999999, &st, 0, NULL), ECHILD);
	if (getpid() != 1)
		check_errno("wait4 for pid 1 (not our child)", wait4(1, &st, 0, NULL), ECHILD);
	a = t_fork();
	if (a == 0)
		_exit(0);
	/* Linux accepts only WNOHANG, WUNTRACED, WCONTINUED and __W* flags. */
	check_errno("wait4 options 0x1000", wait4(a, &st, 0x1000, NULL), EINVAL);
	check_errno("wait4 options WEXITED (waitid's flag)", wait4(a, &st, WEXITED, NULL), EINVAL);
	check_errno("wait4 options WNOWAIT", wait4(a, &st, WNOWAIT, NULL), EINVAL);
	check_errno("wait4 to a kernel status pointer",
		    wait4(a, (int *)0xffff800000000000UL, 0, NULL), EFAULT);
	/* Linux reaps the child before it finds the pointer bad. */
	check_errno("the child was reaped anyway", wait4(a, &st, WNOHANG, NULL), ECHILD);
	a = t_fork();
	if (a == 0)
		_exit(0);
	check_errno("wait4 to a kernel rusage pointer",
		    wait4(a, &st, 0, (struct rusage *)0xffffffff80100000UL), EFAULT);
	a = t_fork();
	if (a == 0)
		_exit(5);
	check_eq("wait4 with a NULL status pointer", wait4(a, NULL, 0, NULL), a);
}

/* ---- waitid ---------------------------------------------------------------------------------- */

/* Runs waitid and checks the siginfo it fills: code and status. */
static void check_waitid(const char *name, idtype_t type, id_t id, int options, pid_t pid, int code, int status)
{
	siginfo_t info;

	memset(&info, 0x55, sizeof(info));
	int r = waitid(type, id, &info, options);
	check(name, r == 0 && info.si_signo == SIGCHLD && info.si_pid == pid && info.si_code == code &&
	      info.si_status == status, "returned %d (%s), signo %d pid %d (want %d) code %d (want %d) status %d (want %d)",
	      r, r ? errno_name(errno) : "-", info.si_signo, info.si_pid, pid, info.si_code, code, info.si_status,
	      status);
}

/* Stops itself; once continued, waits for its pipe to close, then exits 4
 * (so the parent sees the continue before the exit). */
static void stop_self(long rfd)
{
	char c;

	raise(SIGSTOP);
	read((int)rfd, &c, 1);
	_exit(4);
}

static void test_waitid(void)
{
	siginfo_t info;
	int p[2], st;

	pipe(p);
	pid_t a = child_waiting_on(p[0], p[1], 7);
	memset(&info, 0x55, sizeof(info));
	check_eq("WNOHANG while the child runs: 0", waitid(P_PID, a, &info, WEXITED | WNOHANG), 0);
	check("and the siginfo is zeroed (si_pid 0)", info.si_pid == 0 && info.si_signo == 0, "si_pid %d si_signo %d",
	      info.si_pid, info.si_signo);
	close(p[1]);
	close(p[0]);
	check_waitid("WEXITED|WNOWAIT: CLD_EXITED with status 7", P_PID, a, WEXITED | WNOWAIT, a, CLD_EXITED, 7);
	check_eq("WNOWAIT left it: waitpid still reaps it", waitpid(a, &st, 0), a);
	check_exited("with the same status", st, 7);

	a = t_fork();
	if (a == 0) {
		pause();
		_exit(0);
	}
	kill(a, SIGKILL);
	check_waitid("a child killed by SIGKILL: CLD_KILLED", P_ALL, 0, WEXITED, a, CLD_KILLED, SIGKILL);
	check_errno("and it was reaped", waitpid(a, &st, WNOHANG), ECHILD);

	pipe(p);
	a = t_fork();
	if (a == 0) {
		close(p[1]);
		stop_self(p[0]);
	}
	close(p[0]);
	check_waitid("WSTOPPED: CLD_STOPPED by SIGSTOP", P_PID, a, WSTOPPED, a, CLD_STOPPED, SIGSTOP);
	kill(a, SIGCONT);
	check_waitid("WCONTINUED: CLD_CONTINUED", P_PID, a, WCONTINUED, a, CLD_CONTINUED, SIGCONT);
	close(p[1]);
	check_waitid("then it exits: 4", P_PID, a, WEXITED, a, CLD_EXITED, 4);
	a = t_fork();
	if (a == 0)
		_exit(0);
	waitid(P_PID, a, &info, WEXITED | WNOWAIT);	/* a zombie now */
	check_errno("a zombie is not waited for without WEXITED: ECHILD", waitid(P_PID, a, &info, WSTOPPED | WCONTINUED),
		    ECHILD);
	waitpid(a, NULL, 0);

	a = t_fork();
	if (a == 0) {
		setpgid(0, 0);
		_exit(9);
	}
	setpgid(a, a);
	check_waitid("P_PGID: a child in a group of its own", P_PGID, a, WEXITED, a, CLD_EXITED, 9);

	check_errno("options without WEXITED, WSTOPPED or WCONTINUED: EINVAL", waitid(P_ALL, 0, &info, WNOHANG),
		    EINVAL);
	check_errno("options 0x1000: EINVAL", waitid(P_ALL, 0, &info, WEXITED | 0x1000), EINVAL);
	check_errno("P_PID with id 0: EINVAL", waitid(P_PID, 0, &info, WEXITED), EINVAL);
	check_errno("P_PGID with id -1: EINVAL", waitid(P_PGID, (id_t)-1, &info, WEXITED), EINVAL);
	check_errno("idtype 99: EINVAL", waitid(99, 0, &info, WEXITED), EINVAL);
	check_errno("no children: ECHILD", waitid(P_ALL, 0, &info, WEXITED), ECHILD);
	a = t_fork();
	if (a == 0)
		_exit(0);
	check_errno("siginfo at a kernel address: EFAULT", waitid(P_PID, a, (siginfo_t *)0xffffffff80100000UL, WEXITED),
		    EFAULT);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* wait4(0) waits for children in our process group only; -pgid for
 * children in that group. */
static void test_wait_pgrp(void)
{
	int p[2], st = 0;
	pid_t pid;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		char c;
		setpgid(0, 0);
		close(p[1]);
		read(p[0], &c, 1);
		_exit(4);
	}
	setpgid(pid, pid);	/* both sides set it, so there is no race */
	check_eq("the child is in its own process group", getpgid(pid), pid);
	check_errno("wait4(0) ignores a child in another group", wait4(0, &st, WNOHANG, NULL), ECHILD);
	check_eq("wait4(-pgid, WNOHANG) sees it running", wait4(-pid, &st, WNOHANG, NULL), 0);
	close(p[1]);
	close(p[0]);
	check_eq("wait4(-pgid) reaps it", wait4(-pid, &st, 0, NULL), pid);
	pid = t_fork();
	if (pid == 0)
		_exit(6);
	check_eq("wait4(0) reaps a child in our group", wait4(0, &st, 0, NULL), pid);
}

/* ---- parents, orphans and zombies -------------------------------------------------- */

static void test_parents(void)
{
	int p[2];
	pid_t me = getpid(), pid, child_ppid = 0;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		pid_t pp = getppid();
		write(p[1], &pp, sizeof(pp));
		_exit(0);
	}
	read(p[0], &child_ppid, sizeof(child_ppid));
	t_wait(pid, T_WAIT_TICKS);
	check_eq("getppid in the child is the parent", child_ppid, me);
	close(p[0]);
	close(p[1]);
}

/* A grandchild whose parent exits is re-parented: to init (pid 1) on
 * sysgate, to init or a "subreaper" on Linux. Either way, not to the dead
 * parent any more. */
static void test_orphan(void)
{
	int p[2];
	pid_t child, new_ppid = 0;

	pipe(p);
	child = t_fork();
	if (child == 0) {
		pid_t me = getpid();
		if (t_fork() == 0) {
			for (int i = 0; i < 1000 && getppid() == me; i++)
				t_nap(10);
			new_ppid = getppid();
			write(p[1], &new_ppid, sizeof(new_ppid));
			_exit(0);
		}
		_exit(0);
	}
	t_wait(child, T_WAIT_TICKS);
	close(p[1]);
	read(p[0], &new_ppid, sizeof(new_ppid));
	close(p[0]);
	check("an orphan is re-parented", new_ppid != child && new_ppid > 0,
	      "getppid is %d, the dead parent was %d", new_ppid, child);
	if (on_sysgate())
		check_eq("to init (pid 1) on sysgate", new_ppid, 1);
	/* When this test is init itself, the orphan is ours to reap. */
	if (getpid() == 1)
		check("init reaps the orphan", wait4(-1, NULL, 0, NULL) > 0, "wait4 failed");
}

static void test_zombie(void)
{
	pid_t pid = t_fork();
	char path[64], state = 0;
	struct stat st;

	if (pid == 0)
		_exit(0);
	for (int i = 0; i < 500 && (state = t_proc_state(pid)) != 'Z'; i++)
		t_nap(10);
	check("an exited, unwaited child is a zombie", state == 'Z',
	      "wrong state in /proc/%d/stat (expected Z, got %c)", pid, state ? state : '?');
	check_eq("wait4 reaps the zombie", wait4(pid, NULL, 0, NULL), pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	check_errno("the reaped zombie is gone from /proc", stat(path, &st), ENOENT);
}

/* ---- execve ------------------------------------------------------------------------- */

static void test_exec_ok(void)
{
	char out[256], num[32];
	char *echo[] = { "proc", "--echo", "hello", "world", NULL };
	char *pid_argv[] = { "proc", "--pid", NULL };
	char *env_argv[] = { "proc", "--env", NULL };
	char *envp[] = { "A=1", "SYSGATE_TEST=from the parent", NULL };
	char *exit_argv[] = { "proc", "--exit", "42", NULL };
	pid_t pid;
	int st;

	st = run_capture(echo, environ, out, sizeof(out));
	check_exited("exec of an echo helper exits 0", st, 0);
	check("and prints its arguments", strcmp(out, "hello world\n") == 0, "got \"%s\"", out);
	st = run_capture(env_argv, envp, out, sizeof(out));
	check("envp reaches the new program", strcmp(out, "from the parent\n") == 0, "got \"%s\"", out);

	pid = t_fork();
	if (pid == 0) {
		execve(t_self(), exit_argv, environ);
		_exit(127);
	}
	check_exited("the exec'd program's exit status reaches the parent", t_wait(pid, T_WAIT_TICKS), 42);

	/* The pid and parent stay the same across execve. */
	{
		int p[2];
		size_t len = 0;
		ssize_t n;
		pipe(p);
		pid = t_fork();
		if (pid == 0) {
			dup2(p[1], 1);
			execve(t_self(), pid_argv, environ);
			_exit(127);
		}
		close(p[1]);
		while ((n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
			len += (size_t)n;
		out[len] = '\0';
		close(p[0]);
		t_wait(pid, T_WAIT_TICKS);
		snprintf(num, sizeof(num), "%d %d\n", pid, getpid());
		check("execve keeps the pid and the parent", strcmp(out, num) == 0,
		      "expected \"%.*s\", got \"%s\"", (int)strlen(num) - 1, num, out);
	}
}

/* Copies of this program with one field of the ELF header changed. */
static void make_bad_elfs(void)
{
	int fd = open(t_self(), O_RDONLY);
	struct stat st;
	unsigned char *img;
	char path[96];

	if (fd < 0 || fstat(fd, &st) < 0 || !(img = malloc((size_t)st.st_size)))
		return;
	if (read(fd, img, (size_t)st.st_size) != st.st_size) {
		close(fd);
		return;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/trunc32", dir);
	write_file(path, img, 32, 0755);	/* not even a whole ELF header */
	snprintf(path, sizeof(path), "%s/copy", dir);
	write_file(path, img, (size_t)st.st_size, 0755);
	img[18] = 3;	/* e_machine = EM_386 */
	snprintf(path, sizeof(path), "%s/i386", dir);
	write_file(path, img, (size_t)st.st_size, 0755);
	img[18] = 62;
	img[56] = img[57] = 0;	/* e_phnum = 0 */
	snprintf(path, sizeof(path), "%s/nophdr", dir);
	write_file(path, img, (size_t)st.st_size, 0755);
	img[56] = 1;	/* one program header: the first PT_LOAD, moved to kernel space */
	{
		Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
		Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);
		int i = 0;
		while (ph[i].p_type != PT_LOAD)
			i++;
		ph[0] = ph[i];
		eh->e_phnum = 1;
		ph[0].p_vaddr = ph[0].p_paddr = 0xffffffff80000000UL;
		snprintf(path, sizeof(path), "%s/kload", dir);
		write_file(path, img, (size_t)st.st_size, 0755);
	}
	free(img);
	/* A fresh copy whose entry point is address 0. */
	fd = open(t_self(), O_RDONLY);
	img = malloc((size_t)st.st_size);
	if (img && read(fd, img, (size_t)st.st_size) == st.st_size) {
		((Elf64_Ehdr *)img)->e_entry = 0;
		snprintf(path, sizeof(path), "%s/entry0", dir);
		write_file(path, img, (size_t)st.st_size, 0755);
	}
	close(fd);
	free(img);
}

/* execve in a child: the wait status (exit 0..133: the errno if execve
 * failed, else whatever the new program did). */
static int exec_status(const char *path, char *const argv[])
{
	pid_t pid = t_fork();

	if (pid == 0) {
		execve(path, argv, environ);
		_exit(errno);
	}
	return t_wait(pid, T_WAIT_TICKS);
}

static void test_exec_errors(void)
{
	char path[128], noexec[128], garbage[128], empty[128], script[128];
	char *argv[] = { "x", "--exit", "0", NULL };
	char long_path[PATH_MAX + 16];

	snprintf(noexec, sizeof(noexec), "%s/noexec", dir);
	snprintf(garbage, sizeof(garbage), "%s/garbage", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	snprintf(script, sizeof(script), "%s/script", dir);
	write_file(noexec, "#!/bin/sh\n", 10, 0644);
	write_file(garbage, "this is not a program\n", 22, 0755);
	write_file(empty, "", 0, 0755);
	write_file(script, "#!/nonexistent/interpreter\n", 27, 0755);
	make_bad_elfs();

	check_exec_errno("execve of a missing file: ENOENT", "/nonexistent/program", argv, ENOENT);
	check_exec_errno("execve of \"\": ENOENT", "", argv, ENOENT);
	check_exec_errno("execve of a directory: EACCES", "/tmp", argv, EACCES);
	check_exec_errno("execve of a file without x bits: EACCES", noexec, argv, EACCES);
	snprintf(path, sizeof(path), "%s/x", noexec);
	check_exec_errno("execve through a file as a directory: ENOTDIR", path, argv, ENOTDIR);
	memset(long_path, 'a', sizeof(long_path));
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	check_exec_errno("execve of a path longer than PATH_MAX: ENAMETOOLONG", long_path, argv,
			 ENAMETOOLONG);
	check_exec_errno("execve of text with mode 0755: ENOEXEC", garbage, argv, ENOEXEC);
	check_exec_errno("execve of an empty file: ENOEXEC", empty, argv, ENOEXEC);
	snprintf(path, sizeof(path), "%s/trunc32", dir);
	check_exec_errno("execve of an ELF cut after 32 bytes: ENOEXEC", path, argv, ENOEXEC);
	snprintf(path, sizeof(path), "%s/i386", dir);
	check_exec_errno("execve of an ELF for another machine: ENOEXEC", path, argv, ENOEXEC);
	snprintf(path, sizeof(path), "%s/nophdr", dir);
	check_exec_errno("execve of an ELF without program headers: ENOEXEC", path, argv, ENOEXEC);
	/* "#!" scripts are part of Linux's execve: a missing interpreter is ENOENT. */
	check_exec_errno("execve of a script whose interpreter is missing: ENOENT", script, argv, ENOENT);
	/* Past the point of no return: the old image is gone, so a bad entry
	 * point can only end in SIGSEGV. */
	snprintf(path, sizeof(path), "%s/entry0", dir);
	check_signaled("execve of an ELF whose entry is 0: SIGSEGV", exec_status(path, argv), SIGSEGV);
	/* A segment in the kernel half must never be mapped. Linux notices only
	 * after the point of no return (SIGSEGV); refusing it up front with
	 * ENOEXEC, EINVAL or ENOMEM is as safe. */
	snprintf(path, sizeof(path), "%s/kload", dir);
	{
		int st = exec_status(path, argv);
		int e = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : 0;
		check("execve of an ELF loading into kernel space fails",
		      (st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) || e == ENOEXEC ||
			      e == EINVAL || e == ENOMEM,
		      "expected SIGSEGV or ENOEXEC/EINVAL/ENOMEM, got %s", status_text(st));
	}
	snprintf(path, sizeof(path), "%s/copy", dir);
	{
		pid_t pid = t_fork();
		if (pid == 0) {
			execve(path, argv, environ);
			_exit(127);
		}
		check_exited("a byte-for-byte copy of the program runs", t_wait(pid, T_WAIT_TICKS), 0);
	}
}

static void test_exec_efault(void)
{
	char *argv[] = { "x", "--exit", "0", NULL };
	char *bad_argv0[] = { (char *)0xffffffffUL, NULL };
	char *bad_argv1[] = { "x", (char *)0xffff800000000000UL, NULL };
	char *bad_envp0[] = { (char *)0xffffffff80100000UL, NULL };
	const char *self = t_self();

	check_exec_errno("execve path NULL: EFAULT", NULL, argv, EFAULT);
	check_exec_errno("execve path a kernel address: EFAULT", (char *)0xffffffff80100000UL, argv, EFAULT);
	check_exec_errno("execve path non-canonical: EFAULT", (char *)0x800000000000UL, argv, EFAULT);
	check_exec_errno("execve argv a kernel address: EFAULT", self,
			 (char *const *)0xffff800000000000UL, EFAULT);
	check_exec_errno("execve argv[0] = 0xffffffff: EFAULT", self, bad_argv0, EFAULT);
	check_exec_errno("execve argv[1] a kernel address: EFAULT", self, bad_argv1, EFAULT);
	check(cname("execve envp a kernel address: EFAULT"),
	      exec_errno(self, argv, (char *const *)0xffffffff80100000UL) == EFAULT, "not EFAULT");
	check(cname("execve envp[0] a kernel address: EFAULT"),
	      exec_errno(self, argv, bad_envp0) == EFAULT, "not EFAULT");
}

/* argv[0] = 0xffffffff over and over (1000 times on sysgate): each gives
 * EFAULT, and the half-built new image is freed every time. */
static void efault_loop(long n)
{
	char *bad[] = { (char *)0xffffffffUL, NULL };

	for (long i = 0; i < n; i++) {
		if (execve(t_self(), bad, environ) != -1 || errno != EFAULT)
			_exit(1);
	}
	_exit(0);
}

static void test_exec_efault_loop(void)
{
	long n = on_sysgate() ? 1000 : 10;
	struct leak_mark m;

	run_child(efault_loop, 1);	/* warm-up */
	leak_mark(&m);
	check_exited(cname("execve with argv[0] = 0xffffffff, %ld times", n), run_child(efault_loop, n), 0);
	leak_check("no leak from the failed execs", &m);
}

static void test_e2big(void)
{
	size_t big = 200 * 1024, chunk = 120 * 1024;
	char *s = malloc(big + 1);
	char *argv[64];
	char nstr[16], lstr[16];
	pid_t pid;

	if (!s) {
		t_skip("E2BIG", "malloc failed");
		return;
	}
	memset(s, 'x', big);
	s[big] = '\0';
	/* One string longer than Linux's 128 KiB per-string limit. */
	argv[0] = "x";
	argv[1] = s;
	argv[2] = NULL;
	check_exec_errno("execve with one 200 KiB argument: E2BIG", t_self(), argv, E2BIG);
	/* 60 strings of 120 KiB: 7 MB in all, over Linux's limit (a quarter of
	 * the stack limit, at most 6 MB) and surely over sysgate's. */
	s[chunk] = '\0';
	argv[0] = "x";
	for (int i = 1; i <= 60; i++)
		argv[i] = s;
	argv[61] = NULL;
	check_exec_errno("execve with 7 MB of arguments: E2BIG", t_self(), argv, E2BIG);
	/* 40 KB in 40 strings of 1000 bytes is well within the limits. */
	s[1000] = '\0';
	snprintf(nstr, sizeof(nstr), "%d", 40);
	snprintf(lstr, sizeof(lstr), "%d", 1000);
	argv[0] = "proc";
	argv[1] = "--args";
	argv[2] = nstr;
	argv[3] = lstr;
	for (int i = 4; i < 44; i++)
		argv[i] = s;
	argv[44] = NULL;
	pid = t_fork();
	if (pid == 0) {
		execve(t_self(), argv, environ);
		_exit(127);
	}
	check_exited("execve with 40 arguments of 1000 bytes works", t_wait(pid, T_WAIT_TICKS), 0);
	free(s);
}

/* Descriptors survive execve unless FD_CLOEXEC is set on them. */
static void test_exec_fds(void)
{
	char path[96], a[8], b[8], c[8], d[8];
	char *argv[] = { "proc", "--fds", a, b, c, d, NULL };
	int fa, fb, fc, fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/fds", dir);
	fa = open(path, O_RDWR | O_CREAT, 0600);
	fb = open(path, O_RDONLY | O_CLOEXEC);
	fc = dup(fa);
	fcntl(fc, F_SETFD, FD_CLOEXEC);
	fd = dup(fb);	/* dup clears FD_CLOEXEC on the new descriptor */
	check_eq("O_CLOEXEC sets FD_CLOEXEC", fcntl(fb, F_GETFD), FD_CLOEXEC);
	check_eq("dup's copy has no FD_CLOEXEC", fcntl(fd, F_GETFD), 0);
	snprintf(a, sizeof(a), "+%d", fa);
	snprintf(b, sizeof(b), "-%d", fb);
	snprintf(c, sizeof(c), "-%d", fc);
	snprintf(d, sizeof(d), "+%d", fd);
	pid = t_fork();
	if (pid == 0) {
		execve(t_self(), argv, environ);
		_exit(127);
	}
	check_exited("exec keeps plain fds, closes FD_CLOEXEC ones (exit: first wrong one)",
		     t_wait(pid, T_WAIT_TICKS), 0);
	close(fa);
	close(fb);
	close(fc);
	close(fd);
	unlink(path);
}

/* A chain of 50 execs in one process, twice: no frames may stay behind. */
static void test_exec_chain(void)
{
	/* argv[0] is our path: each link of the chain execs argv[0] again. */
	char *argv[] = { (char *)t_self(), "--chain", "50", NULL };
	struct leak_mark m;
	pid_t pid;

	for (int round = 0; round < 2; round++) {
		if (round == 1)
			leak_mark(&m);
		pid = t_fork();
		if (pid == 0) {
			execve(t_self(), argv, environ);
			_exit(127);
		}
		check_exited(cname("a chain of 50 execs (round %d)", round + 1), t_wait(pid, T_WAIT_TICKS), 0);
	}
	leak_check("no leak from 50 execs", &m);
}

/*
 * Processes that each spawn the next until the kernel refuses one (Pintos's
 * multi-oom), ten times: the depth must be the same every time, or the
 * earlier rounds left something behind. Linux would go on for thousands,
 * so there the chain stops at a cap.
 */
static void test_nested_spawn(void)
{
	char cap[16];
	char *argv[] = { (char *)t_self(), "--nest", "1", cap, NULL };
	struct nest_report first = { 0, 0 }, r;
	int p[2], same = 1, st = 0;
	struct leak_mark m;

	snprintf(cap, sizeof(cap), "%d", on_sysgate() ? 100000 : 100);
	for (int round = 0; round < 10; round++) {
		if (round == 1)
			leak_mark(&m);
		pipe(p);
		pid_t pid = t_fork();
		if (pid == 0) {
			dup2(p[1], NEST_FD);
			close(p[0]);
			close(p[1]);
			execve(t_self(), argv, environ);
			_exit(127);
		}
		close(p[1]);
		r.depth = -1;
		if (read(p[0], &r, sizeof(r)) != sizeof(r))
			r.depth = -1;
		close(p[0]);
		st = t_wait(pid, T_WAIT_TICKS);
		if (round == 0)
			first = r;
		else if (r.depth != first.depth)
			same = 0;
		if (st != 0 || r.depth < 0)
			break;
	}
	check_exited("nested spawning: every level exits 0", st, 0);
	check(cname("nested spawning reaches %d levels", first.depth), first.depth >= 30,
	      "only %d", first.depth);
	if (on_sysgate())
		check("and then fork or exec fails with EAGAIN or ENOMEM",
		      first.err == EAGAIN || first.err == ENOMEM, "got %s",
		      first.err ? errno_name(first.err) : "no failure");
	check("the same depth all ten times", same, "first %d, then %d", first.depth, r.depth);
	leak_check("no leak from ten nested spawns", &m);
}

/* ---- copy-on-write ------------------------------------------------------------------- */

static int cow_data = 1;	/* .data */
static int cow_bss;		/* .bss */

static void test_cow(void)
{
	int to_child[2], to_parent[2];
	int stack_var = 1;
	size_t big = 1 << 20;
	unsigned char *heap = malloc(big);
	int same = 1;
	pid_t pid;
	char c;

	cow_bss = 1;
	memset(heap, 1, big);
	pipe(to_child);
	pipe(to_parent);
	pid = t_fork();
	if (pid == 0) {
		int ok = 1;
		cow_data = cow_bss = stack_var = 2;
		memset(heap, 2, big);	/* every page of 1 MiB */
		write(to_parent[1], "w", 1);
		read(to_child[0], &c, 1);	/* the parent has now written 3s */
		ok = cow_data == 2 && cow_bss == 2 && stack_var == 2;
		for (size_t i = 0; i < big; i += 4096)
			ok &= heap[i] == 2;
		_exit(ok ? 0 : 1);
	}
	read(to_parent[0], &c, 1);	/* the child has written its 2s */
	for (size_t i = 0; i < big; i += 4096)
		same &= heap[i] == 1;
	check("child's writes to .data don't reach the parent", cow_data == 1, "got %d", cow_data);
	check("child's writes to .bss don't reach the parent", cow_bss == 1, "got %d", cow_bss);
	check("child's writes to the stack don't reach the parent", stack_var == 1, "got %d", stack_var);
	check("child's writes to 1 MiB of heap don't reach the parent", same, "a page changed");
	cow_data = cow_bss = stack_var = 3;
	memset(heap, 3, big);
	write(to_child[1], "g", 1);
	check_exited("parent's writes don't reach the child", t_wait(pid, T_WAIT_TICKS), 0);
	free(heap);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* ---- scheduling ------------------------------------------------------------------------ */

static void spin_forever(long unused)
{
	(void)unused;
	for (;;)
		__asm__ volatile("");
}

/* Spinning children never call the kernel: only the timer interrupt can take
 * the CPU back from them. */
static void test_spinners(void)
{
	pid_t pids[3];
	int st, ok = 1;

	for (int i = 0; i < 3; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0)
			spin_forever(0);
	}
	for (int i = 0; i < 20; i++) {	/* the parent still gets to run */
		getpid();
		t_nap(2);
	}
	check_eq("WNOHANG: the spinners are still running", wait4(-1, &st, WNOHANG, NULL), 0);
	for (int i = 0; i < 3; i++)
		ok &= kill(pids[i], SIGKILL) == 0;
	check("the parent runs beside 3 spinners and kills them", ok, "kill failed");
	for (int i = 0; i < 3; i++) {
		st = t_wait(pids[i], T_WAIT_TICKS);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			ok = 0;
	}
	check("and reaps them, killed by SIGKILL", ok, "got %s", status_text(st));
}

/*
 * Four CPU-bound children, each writing one byte (its number) to a shared
 * pipe per unit of work, a fixed loop. The parent counts bytes and stops
 * everybody after TOKENS of them: a count, not a duration. On one CPU a fair
 * scheduler gives each about TOKENS / 4.
 *
 * Fairness only shows over many time slices, so a unit must be small next to
 * a slice whatever the CPU's speed (KVM or emulation): the loop length is
 * calibrated to take about 0.5 ms, and the run lasts about 200 slices, so
 * a slice lost to the host (under emulation, a burst of timer ticks when
 * QEMU itself was descheduled) moves the shares by little. The clock only
 * sizes the work; nothing is asserted about time.
 */
#define NWORKERS 4
#define TOKENS 4000

static void spin(long n)
{
	for (volatile long i = 0; i < n; i++)
		;
}

static long calibrate_unit(void)
{
	struct timespec a, b;
	long n = 1024, ns = 0;

	while (n < (1L << 40)) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		spin(n);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
		if (ns >= 4000000)	/* long enough to measure: scale to 0.5 ms */
			return n / (ns / 500000);
		n *= 2;
	}
	return n;
}

static void worker(int id, int start_fd, int out_fd, long unit)
{
	unsigned char me = (unsigned char)id;
	char c;

	read(start_fd, &c, 1);	/* wait for the start: EOF when all exist */
	for (;;) {
		spin(unit);
		write(out_fd, &me, 1);
	}
}

/* test.sh: boot alone -- the shares are counted in timer ticks of real
 * time, which another QEMU on the same cores would take from this one. */
static void test_fairness(void)
{
	int start[2], tok[2];
	long count[NWORKERS] = { 0 };
	pid_t pids[NWORKERS];
	long total = 0, lo, hi;
	unsigned char buf[64];
	long unit = calibrate_unit();

	pipe(start);
	pipe(tok);
	for (int i = 0; i < NWORKERS; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			close(start[1]);
			close(tok[0]);
			worker(i, start[0], tok[1], unit);
		}
	}
	close(start[0]);
	close(start[1]);	/* go */
	close(tok[1]);
	while (total < TOKENS) {
		ssize_t n = read(tok[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++, total++)
			count[buf[i] % NWORKERS]++;
	}
	for (int i = 0; i < NWORKERS; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < NWORKERS; i++)
		t_wait(pids[i], T_WAIT_TICKS);
	close(tok[0]);
	lo = hi = count[0];
	for (int i = 1; i < NWORKERS; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	check("4 CPU-bound children all progress", lo > 0, "a child never ran (counts %ld %ld %ld %ld)",
	      count[0], count[1], count[2], count[3]);
	if (on_sysgate())
		check("and equally, within 20%", hi * 100 <= lo * 120, "counts %ld %ld %ld %ld",
		      count[0], count[1], count[2], count[3]);
	else
		t_skip("and equally, within 20%", "checked on sysgate only (Linux has several CPUs)");
}

/* ---- running out of processes ------------------------------------------------------------ */

/*
 * Fork children that wait on a pipe until fork fails, then let them all go
 * and reap them. On Linux the limit is large (or absent, for root) and the
 * host is shared, so the test stops at 200 children there. Returns how many
 * were forked; *err gets fork's errno (0 if it never failed), *reaped the
 * number wait4 collected.
 */
static long fork_until_failure(long cap, int *err, long *reaped)
{
	long n = 0;
	int p[2];
	pid_t pid;

	*err = 0;
	*reaped = 0;
	pipe(p);
	while (n < cap) {
		pid = t_fork();
		if (pid < 0) {
			*err = errno;
			break;
		}
		if (pid == 0) {
			char c;
			close(p[1]);
			read(p[0], &c, 1);
			_exit(0);
		}
		n++;
	}
	close(p[1]);	/* all children see EOF */
	close(p[0]);
	while (wait4(-1, NULL, 0, NULL) > 0)
		(*reaped)++;
	return n;
}

static void test_fork_bomb(void)
{
	long cap = on_sysgate() ? 100000 : 200, n, n2, reaped;
	int err;
	struct leak_mark m;

	n = fork_until_failure(cap, &err, &reaped);
	if (on_sysgate())
		check(cname("fork until it fails (%ld children)", n), err == EAGAIN || err == ENOMEM,
		      "wrong errno (expected EAGAIN or ENOMEM, got %s)", n == cap ? "no failure" : errno_name(err));
	else
		t_skip("fork until it fails", "stopped at %ld children on Linux", n);
	check_eq("every child reaped", reaped, n);
	check_errno("one more wait4: ECHILD", wait4(-1, NULL, 0, NULL), ECHILD);
	/* The second time, with the kernel's tables already grown by the first:
	 * as many children as before, and every frame back afterwards. */
	leak_mark(&m);
	n2 = fork_until_failure(cap, &err, &reaped);
	check_eq("the same number of children the second time", n2, n);
	check_eq("every child reaped again", reaped, n2);
	leak_check("free frames back to the baseline", &m);
	/* And the system still works. */
	check_exited("a fork after all that", run_child(exit_with, 9), 9);
}

/* ---- vfork ------------------------------------------------------------------------------- */

/*
 * vfork by hand (libc's vfork is a plain fork). The child borrows the
 * parent's memory and stack until it execs or exits, so this function may
 * not keep its return address on the stack across the syscall: the child
 * would return through it first and the parent would find it overwritten.
 * It waits in rdx instead, which the syscall preserves, and is pushed back
 * for the ret.
 */
pid_t raw_vfork(void) __attribute__((returns_twice));
__asm__(".text\n"
	".globl raw_vfork\n"
	"raw_vfork:\n\t"
	"pop %rdx\n\t"
	"mov $58, %eax\n\t"	/* SYS_vfork */
	"syscall\n\t"
	"push %rdx\n\t"
	"ret\n");

static void test_vfork(void)
{
	char *argv[] = { "proc", "--exit", "11", NULL };
	volatile int shared = 0;
	pid_t pid;

	fflush(stdout);
	pid = raw_vfork();
	if (pid == 0) {
		/* Only execve or _exit are allowed here: we share the parent's memory. */
		execve(t_self(), argv, environ);
		_exit(127);
	}
	check("vfork returns a pid", pid > 0, "got %d", pid);
	check_exited("vfork + execve: the child's status", t_wait(pid, T_WAIT_TICKS), 11);
	pid = raw_vfork();
	if (pid == 0) {
		shared = 1;	/* the parent is suspended; it sees this after _exit */
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
	check_eq("a vfork child shares the parent's memory", shared, 1);
}

/* Write /proc/sys/kernel/threads-max, keeping the old value in old if asked. */
static void swap_threads_max(const char *value, char *old, size_t size)
{
	int fd = open("/proc/sys/kernel/threads-max", O_RDWR);
	if (old) {
		long n = read(fd, old, size - 1);
		old[n > 0 ? n : 0] = 0;
	}
	lseek(fd, 0, SEEK_SET);
	write(fd, value, strlen(value));
	close(fd);
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	if (argc > 1 && strncmp(argv[1], "--", 2) == 0)
		return helper(argc, argv);
	t_begin("proc");
	if (!t_self()) {
		t_fail("find this program's path", "argv[0] and /proc/self/exe failed");
		return t_end();
	}
	snprintf(dir, sizeof(dir), "/tmp/proc-test-%d", getpid());
	mkdir(dir, 0700);
	/* The exhaustion tests (nested spawning, the fork bomb) fill the task
	 * table: at its boot size (from the memory, ~1,800 tasks in 256 MiB)
	 * that takes minutes under emulation, so they fill one of 256. */
	char saved_max[16] = "";
	if (on_sysgate())
		swap_threads_max("256", saved_max, sizeof(saved_max));

	test_exit_status();
	test_killed();
	test_wait_basics();
	test_waitid();
	test_wait_pgrp();
	test_parents();
	test_orphan();
	test_zombie();
	test_exec_ok();
	test_exec_errors();
	test_exec_efault();
	test_exec_efault_loop();
	test_e2big();
	test_exec_fds();
	test_exec_chain();
	test_nested_spawn();
	test_cow();
	test_vfork();
	test_spinners();
	test_fairness();
	test_fork_bomb();

	{
		const char *names[] = { "trunc32", "copy", "i386", "nophdr", "kload", "entry0",
					"noexec", "garbage", "empty", "script" };
		char path[128];
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			unlink(path);
		}
		check_eq("remove the scratch directory", rmdir(dir), 0);
	}
	if (saved_max[0])
		swap_threads_max(saved_max, NULL, 0);
	return t_end();
}
