/*
 * C library: running programs and waiting for them (course section:
 * processes).
 *
 * The kernel has one way to run a program, execve(path, argv, envp). The
 * exec family are conveniences on top: execv uses our own environment,
 * execvp searches the directories of $PATH for a name without '/', and the
 * execl variants take the arguments as a list instead of an array. Likewise
 * wait and waitpid are wait4 with fewer arguments.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscall_headers.h"

/* Written by hand only because C's argv type (char *const []) is not the
 * table's (const char *const *). On success it does not return. */
int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(__syscall3(__NR_execve, (long)path, (long)argv, (long)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/*
 * Tries each directory of $PATH in turn ("/bin:/usr/bin" if unset). A
 * directory without the file (ENOENT) or that is not a directory (ENOTDIR)
 * just means "try the next one"; any other error (e.g. ENOEXEC, a file that
 * is not a program) stops the search. If some candidate existed but could
 * not be run (EACCES), that is a better error to report than ENOENT.
 */
int execvp(const char *file, char *const argv[])
{
	const char *dirs = getenv("PATH");
	char path[PATH_MAX];
	int saw_eacces = 0;

	if (strchr(file, '/'))		/* a path already: no search */
		return execv(file, argv);
	if (dirs == NULL)
		dirs = "/bin:/usr/bin";
	while (*dirs) {
		size_t len = strcspn(dirs, ":");

		/* An empty entry ("::" or a leading ':') means the current directory. */
		if (len == 0)
			path[0] = '.', len = 1;
		else if (len < sizeof(path))
			memcpy(path, dirs, len);
		if (len + 1 + strlen(file) < sizeof(path)) {
			path[len] = '/';
			strcpy(path + len + 1, file);
			execv(path, argv);
			if (errno == EACCES)
				saw_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		dirs += strcspn(dirs, ":");
		if (*dirs == ':')
			dirs++;
	}
	errno = saw_eacces ? EACCES : ENOENT;
	return -1;
}

/* The execl variants: how many strings in the list after arg, up to the
 * NULL; then copy arg and that list, NULL included, into argv. They take a
 * va_list * because C allows the caller to go on reading a va_list only if
 * it was passed that way. */
static int count_args(va_list *ap)
{
	int n = 0;

	while (va_arg(*ap, const char *))
		n++;
	return n;
}

static void fill_args(const char **argv, const char *arg, va_list *ap)
{
	*argv = arg;
	while ((*++argv = va_arg(*ap, const char *)))
		;
}

int execl(const char *path, const char *arg, ...)
{
	va_list ap;

	va_start(ap, arg);
	const char *argv[count_args(&ap) + 2];	/* arg, the list, NULL */
	va_end(ap);
	va_start(ap, arg);
	fill_args(argv, arg, &ap);
	va_end(ap);
	return execv(path, (char *const *)argv);
}

int execlp(const char *file, const char *arg, ...)
{
	va_list ap;

	va_start(ap, arg);
	const char *argv[count_args(&ap) + 2];
	va_end(ap);
	va_start(ap, arg);
	fill_args(argv, arg, &ap);
	va_end(ap);
	return execvp(file, (char *const *)argv);
}

/* The environment comes after the NULL that ends the arguments. */
int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	char *const *envp;

	va_start(ap, arg);
	const char *argv[count_args(&ap) + 2];
	va_end(ap);
	va_start(ap, arg);
	fill_args(argv, arg, &ap);
	envp = va_arg(ap, char *const *);
	va_end(ap);
	return execve(path, (char *const *)argv, envp);
}

pid_t wait(int *wstatus)
{
	return wait4(-1, wstatus, 0, NULL);
}

pid_t waitpid(pid_t pid, int *wstatus, int options)
{
	return wait4(pid, wstatus, options, NULL);
}

/* times returns clock ticks, which may be any number: only an error is
 * negative, from -4095 to -1 like every raw syscall result. */
clock_t times(struct tms *buf)
{
	return (clock_t)__syscall_ret(__syscall1(__NR_times, (long)buf));
}

/* The kernel's waitid also takes a struct rusage; POSIX's does not. */
int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options)
{
	return (int)__syscall_ret(__syscall5(__NR_waitid, idtype, id, (long)infop, options, 0));
}

/* A real vfork lends the parent's memory, stack included, to the child
 * until it execs. The child would return from this function and then run
 * on, overwriting the frame the parent is about to return through. fork
 * gives the same results, only a little slower. */
pid_t vfork(void)
{
	return fork();
}

/* The terminal's foreground process group: the one that may read from it
 * and that gets the signals of ^C and ^Z. */
pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;

	if (ioctl(fd, TIOCGPGRP, &pgrp) < 0)
		return -1;
	return pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return ioctl(fd, TIOCSPGRP, &pgrp);
}

/*
 * system("ls -l"): runs the command with /bin/sh -c and waits. While it runs,
 * the caller ignores SIGINT and SIGQUIT (a ^C is meant for the command) and
 * blocks SIGCHLD (so that a SIGCHLD handler of the caller cannot reap our
 * child before waitpid does). The child gets the caller's settings back
 * before exec. Returns the wait status, or -1 if there was no child.
 */
int system(const char *command)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, oldint = { 0 }, oldquit = { 0 };
	sigset_t chld, oldmask = 0;
	pid_t pid;
	int status = -1;

	if (command == NULL)		/* "is there a shell?" */
		return access("/bin/sh", X_OK) == 0;
	sigaction(SIGINT, &ignore, &oldint);
	sigaction(SIGQUIT, &ignore, &oldquit);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &oldmask);

	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oldint, NULL);
		sigaction(SIGQUIT, &oldquit, NULL);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);		/* what shells return for "cannot run" */
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}

	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGQUIT, &oldquit, NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return status;
}
