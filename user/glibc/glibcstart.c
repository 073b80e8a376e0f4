/*
 * A program built with the system's own C library, glibc, statically
 * (course section: the syscall gate -- the Linux ABI).
 *
 * `gcc -static` links glibc, whose start-up makes calls our libc never
 * does: set_robust_list, rseq, prlimit64, getrandom, readlink, TCGETS on
 * stdout to choose its buffering. sysgate answers each the way Linux does
 * or with an error glibc is prepared for (ENOSYS), so the program runs
 * unchanged: printf, malloc of a large block (mmap), a signal handler,
 * the clock, fork + exec of /bin/echo + wait, and the exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	got = sig;
}

int main(int argc, char **argv)
{
	printf("glibc: %d arguments, the last \"%s\"\n", argc - 1, argv[argc - 1]);

	char *big = malloc(1 << 20);	/* glibc maps a block this large by itself */
	memset(big, 'x', 1 << 20);
	printf("glibc: a 1 MiB malloc holds %s\n", big[(1 << 20) - 1] == 'x' ? "what was written" : "garbage");
	free(big);

	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	printf("glibc: the handler saw signal %d\n", (int)got);

	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("glibc: the monotonic clock %s\n",
	       b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec) ? "goes forward" : "went back");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/echo", "echo", "glibc: echo ran in the child", (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("glibc: the child exited with %d\n", WEXITSTATUS(status));
	return 4;
}
