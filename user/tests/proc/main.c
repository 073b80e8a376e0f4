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
 *
 * Its parts, one concept a file: wait.c, exec.c, sched.c; main.c keeps the shared helpers and runs
 * them all.
 */
#include "proc.h"

char dir[64];	/* our scratch directory under /tmp */

/* ---- the helper program (this binary with a mode flag) --------------------------- */

/* "+3" means fd 3 must be open, "-4" that fd 4 must be closed. Exit 0 if
 * all hold, else the position of the first one that does not. */
int helper_fds(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i] + 1);
		int open_now = fcntl(fd, F_GETFD) >= 0;
		if (open_now != (argv[i][0] == '+'))
			return i - 1;
	}
	return 0;
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
