/*
 * fork, exec and wait from a musl program (course section: processes).
 *
 * Runs /bin/echo in a child -- on Linux the system's, on sysgate ours --
 * and reports how it ended, exactly as a shell would.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		char *argv[] = { "echo", "hello", "from", "echo", NULL };
		execv("/bin/echo", argv);
		perror("execv");
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	printf("musl: child exited: %s, status %d\n", WIFEXITED(status) ? "yes" : "no", WEXITSTATUS(status));
	pid = fork();
	if (pid == 0)
		_exit(42);
	waitpid(pid, &status, 0);
	printf("musl: second child: status %d\n", WEXITSTATUS(status));
	return 0;
}
