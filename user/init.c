/*
 * init: the first process (course section: processes).
 *
 * The kernel starts exactly one program itself, as pid 1; every other
 * process descends from it through fork. init has two jobs:
 *   - start the user's programs: here, a shell on the console, started
 *     again whenever it exits;
 *   - adopt orphans: when a process ends, its children are given to pid 1,
 *     and when they end, their zombies stay in the process table until
 *     someone waits for them. So init waits, forever, for any child.
 * If pid 1 itself ended, the system would have nothing left to run
 * (Linux panics). With arguments, init runs that one command instead
 * ("init /bin/ls -l /"), waits for it, and exits with its status, which
 * is how tests and tools/run-elf run a single program.
 *
 * First, as an administrator's first boot would, init makes each user's
 * home directory that /etc/passwd names and the initrd lacks, owned by
 * that user (the initrd's files all belong to root).
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHELL "/bin/sh"

/* Turns a wait status into a shell-style number: the exit code, or
 * 128 + the signal that killed the process. */
static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* The child's side of starting the shell: a new session (a fresh set of
 * process groups, with the console as its terminal) and then exec. */
static void start_shell_child(void)
{
	char *argv[] = { "sh", NULL };

	setsid();
	ioctl(STDIN_FILENO, TIOCSCTTY, 0);	/* Linux wants this; sysgate ignores it */
	tcsetpgrp(STDIN_FILENO, getpid());
	execv(SHELL, argv);
	fprintf(stderr, "init: cannot run %s: %s\n", SHELL, strerror(errno));
	_exit(127);
}

static pid_t start_shell(void)
{
	pid_t pid = fork();

	if (pid == 0)
		start_shell_child();
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

/* "init CMD ARGS": run it, reap everything, report, exit with its status. */
static int run_command(char **argv)
{
	pid_t pid = fork(), done;
	int status = 0;

	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		perror("init: fork");
		return 1;
	}
	/* Waiting for any child also reaps the orphans the command leaves. */
	while ((done = wait4(-1, &status, 0, NULL)) != pid)
		if (done < 0 && errno != EINTR)
			return 1;
	if (WIFSIGNALED(status))
		printf("init: %s killed by signal %d (%s)\n", argv[0], WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
	else
		printf("init: %s exited with status %d\n", argv[0], WEXITSTATUS(status));
	return exit_code(status);
}

static void make_homes(void)
{
	struct passwd *pw;
	struct stat st;

	mkdir("/home", 0755);
	setpwent();
	while ((pw = getpwent()))
		if (strcmp(pw->pw_dir, "/") && stat(pw->pw_dir, &st) && mkdir(pw->pw_dir, 0755) == 0) {
			chown(pw->pw_dir, pw->pw_uid, pw->pw_gid);
			chmod(pw->pw_dir, pw->pw_uid ? 0755 : 0700);
		}
	endpwent();
}

int main(int argc, char **argv)
{
	struct timespec started, now;
	pid_t shell, pid;
	int status;

	printf("sysgate init: pid %d\n", getpid());
	make_homes();
	if (argc > 1)
		return run_command(argv + 1);

	printf("Type `help` for the commands and what each one teaches; `poweroff` to leave.\n");
	clock_gettime(CLOCK_MONOTONIC, &started);
	shell = start_shell();
	for (;;) {
		pid = wait4(-1, &status, 0, NULL);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid > 0 && pid != shell)
			continue;			/* an orphan, now reaped */
		/* The shell ended, or there is no child at all (ECHILD: the
		 * fork failed): start another. If it lived less than a
		 * second, something is wrong (no /bin/sh?): wait a little
		 * rather than fork in a tight loop. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - started.tv_sec < 1)
			sleep(1);
		if (pid == shell)
			printf("init: shell exited with status %d, starting a new one\n",
			       exit_code(status));
		started = now;
		shell = start_shell();
	}
}
