/*
 * C library: ending a process (course section: the C library on raw syscalls).
 *
 * exit() is the polite way out: it runs the functions registered with
 * atexit (last registered first, undoing setup in reverse order), writes out
 * stdio's buffers, and only then asks the kernel to end the process.
 * _exit() and _Exit() skip all of that: a child that failed to execve uses
 * _exit so that it does not flush a copy of its parent's buffered output.
 *
 * The syscall is exit_group (231), which ends every thread of the process;
 * exit (60) would end only the calling thread.
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "syscall_arch.h"
#include "syscall_nr.h"

#define ATEXIT_MAX 32

static void (*handlers[ATEXIT_MAX])(void);
static int nhandlers;

void __exit_group(int status)
{
	for (;;)	/* the kernel never returns from it; loop to convince gcc */
		__syscall1(__NR_exit_group, status);
}

void _exit(int status)
{
	__exit_group(status);
}

void _Exit(int status)
{
	__exit_group(status);
}

int atexit(void (*fn)(void))
{
	if (nhandlers == ATEXIT_MAX)
		return -1;
	handlers[nhandlers++] = fn;
	return 0;
}

void exit(int status)
{
	/* Taking each handler off the table before calling it means a handler
	 * that calls exit() itself, or registers another, cannot loop forever. */
	while (nhandlers > 0)
		handlers[--nhandlers]();
	__stdio_flush_all();
	__exit_group(status);
}

/*
 * abort ends the process with SIGABRT, whatever the program did with that
 * signal: unblock it and raise it; if a handler returns (it may instead
 * longjmp away or _exit), set the default action, which kills, and raise
 * again. If even that fails (a kernel without signals), exit with the
 * status a shell would show for SIGABRT.
 */
void abort(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	sigaction(SIGABRT, &dfl, NULL);
	raise(SIGABRT);
	__exit_group(128 + SIGABRT);
}

/* Called by assert() (see <assert.h>): prints glibc's message, then exits
 * with 134, the status a shell shows for a process killed by SIGABRT. */
void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	dprintf(STDERR_FILENO, "%s:%d: %s: Assertion `%s' failed.\n", file, line,
		func, expr);
	__exit_group(134);
}
