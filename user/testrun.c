/*
 * testrun: many test programs in one boot (course section: testing).
 *
 * Booting sysgate costs about as much as a small test itself, so
 * tools/test.sh boots the kernel once for a batch of tests, with this
 * program as init:
 *
 *     init=/bin/testrun -- signals,pipes,files
 *
 * (one comma-separated word: the kernel keeps at most 32 words of command
 * line). It runs /tests/NAME for each name in turn, each as a fresh
 * process group and session led by the test, as the test would be if it
 * were init, and around each it writes one line on the console:
 *
 *     @@testrun start NAME
 *     @@testrun end NAME STATUS MILLISECONDS
 *
 * STATUS is what tools/run-elf reports for a single program: the exit
 * status, or 128 + N when signal N killed the test. From these lines
 * test.sh gives each test its own log, and when a test hangs the machine or
 * panics the kernel, test.sh knows which one did (a start with no end) and
 * runs the rest of the batch in a new boot. Between two tests, whatever the
 * last one left running is killed and reaped, so that the next starts on a
 * quiet system. At the end testrun exits 0: the kernel's leak scan, which
 * runs when init exits, then covers the whole batch.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_DIR "/tests/"
#define MARK "@@testrun"
#define NAME_MAX_LEN 200

extern char **environ;

/* Marker lines go straight to the console with one write each, so they
 * never sit in a buffer while a test writes its own lines. */
static void mark(const char *line)
{
	write(STDOUT_FILENO, line, strlen(line));
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The child's side: lead its own session and process group (as pid 1
 * did), so a test's kill(0, ...) reaches only its own processes. */
static void exec_test(const char *name)
{
	char path[NAME_MAX_LEN + sizeof(TEST_DIR)];
	char *argv[] = { path, NULL };

	snprintf(path, sizeof(path), "%s%s", TEST_DIR, name);
	setsid();
	execve(path, argv, environ);
	fprintf(stderr, "testrun: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Wait for the test itself; orphans reparented to us are reaped on the
 * way. Returns the status as a shell would say it. */
static int wait_test(pid_t pid)
{
	int status;
	pid_t done;

	while ((done = wait4(-1, &status, 0, NULL)) != pid)
		if (done < 0 && errno != EINTR)
			return 125;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Kill what the test left behind (kill(-1) spares init, that is us) and
 * reap it all: the next test starts with no stranger beside it. */
static void clean_up(void)
{
	kill(-1, SIGKILL);
	while (wait4(-1, NULL, 0, NULL) > 0 || errno == EINTR)
		;
}

static void run_one(const char *name)
{
	char line[NAME_MAX_LEN + 64];
	long started = now_ms();
	pid_t pid;
	int status;

	snprintf(line, sizeof(line), MARK " start %s\n", name);
	mark(line);
	pid = fork();
	if (pid == 0)
		exec_test(name);
	status = pid < 0 ? 125 : wait_test(pid);
	clean_up();
	snprintf(line, sizeof(line), MARK " end %s %d %ld\n", name, status, now_ms() - started);
	mark(line);
}

int main(int argc, char **argv)
{
	char *list, *name, *rest;

	if (argc != 2) {
		fprintf(stderr, "usage: testrun NAME,NAME,... (tests in %s)\n", TEST_DIR);
		return 2;
	}
	list = argv[1];
	for (name = strtok_r(list, ",", &rest); name; name = strtok_r(NULL, ",", &rest))
		run_one(name);
	return 0;
}
