/*
 * proc: nested spawning: each process starts the next and waits for it; small tools; exit status
 * and wait4; waitid (course section: processes;  bad-input catalogue "Processes"). One part of the
 * proc test: main.c runs it.
 */
#include "proc.h"

/* ---- nested spawning: each process starts the next and waits for it ------------ */


int nest_report(int depth, int err)
{
	struct nest_report r = { depth, err };

	return write(NEST_FD, &r, sizeof(r)) == sizeof(r) ? 0 : 3;
}

/* "--nest D CAP": this process is level D. It forks and execs level D+1
 * and waits for it; the last level to run reports how deep it got. */
int helper_nest(char **argv)
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

int helper(int argc, char **argv)
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
int run_capture(char *const argv[], char *const envp[], char *out, size_t size)
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
int exec_errno(const char *path, char *const argv[], char *const envp[])
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

void check_exec_errno(const char *name, const char *path, char *const argv[], int want)
{
	int e = exec_errno(path, argv, environ);

	check(name, e == want, "wrong result (expected %s, got %s)", errno_name(want),
	      e < 0 ? "a successful exec" : errno_name(e));
}

/* A child that waits until fd has data or EOF, then exits with code. */
pid_t child_waiting_on(int rfd, int wfd, int code)
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

int write_file(const char *path, const void *data, size_t len, mode_t mode)
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

void exit_with(long code)
{
	exit((int)code);
}

void test_exit_status(void)
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

void test_killed(void)
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

void test_wait_basics(void)
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
void check_waitid(const char *name, idtype_t type, id_t id, int options, pid_t pid, int code, int status)
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
void stop_self(long rfd)
{
	char c;

	raise(SIGSTOP);
	read((int)rfd, &c, 1);
	_exit(4);
}

void test_waitid(void)
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
void test_wait_pgrp(void)
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
