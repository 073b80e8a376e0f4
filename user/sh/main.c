/*
 * sh: a small Unix shell (course section: processes).
 *
 * A shell is a loop: read a line, split it into words, start the programs
 * it names, wait for them. This file is the loop; sh.h names the other
 * parts (parsing, running, jobs, builtins, line editing).
 *
 * Usage: sh                interactive (prompt "$ " when stdin is a terminal)
 *        sh -c 'command' [name args...]
 *        sh FILE [args...]
 *
 * At a terminal the line is typed with editing keys (lineedit.c): arrows,
 * Home/End, ^A ^E ^K ^U ^W ^L, Up/Down through the history, Tab completion.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

int last_status;
int interactive;
int job_control;
pid_t shell_pgid;
char **pos_args;
int pos_count;

volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Reads a line from fd into buf, without its newline. One byte per read:
 * slow, but the shell must not read past the newline, since what follows
 * may be input for the command it is about to start (which reads the same
 * descriptor). Returns 1, or 0 at end of file. A ^C while waiting makes
 * read fail with EINTR: the line is dropped and we return an empty one.
 */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	char c;

	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR && interrupted) {
			interrupted = 0;
			fputs("\n", stderr);	/* after the echoed "^C" */
			buf[0] = '\0';
			return 1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			buf[len] = '\0';
			return len > 0;
		}
		if (c == '\n')
			break;
		if (len + 1 < size)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return 1;
}

/*
 * Job control setup: put the shell in its own process group and make that
 * group the terminal's foreground. The shell ignores the keyboard's job
 * signals (^C, ^\, ^Z) and SIGTTOU, which the kernel would send it for
 * calling tcsetpgrp while in the background. At the prompt, ^C gets a
 * handler instead, so that it abandons the half-typed line.
 */
static void init_job_control(void)
{
	struct sigaction sa = { .sa_handler = on_sigint };	/* no SA_RESTART */

	job_control = 1;
	set_job_signals(SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	setpgid(0, 0);		/* fails harmlessly if we lead a session already */
	shell_pgid = getpgrp();
	tcsetpgrp(STDIN_FILENO, shell_pgid);
}

/* Reads fd line by line and runs each line; the prompt only if interactive. */
static void run_input(int fd)
{
	static char line[MAX_LINE];

	for (;;) {
		reap_jobs();
		if (interactive ? !edit_line("$ ", line, sizeof(line)) : !read_line(fd, line, sizeof(line)))
			break;
		if (interactive && line[0])
			history_add(line);
		if (interactive)
			signal(SIGINT, SIG_IGN);	/* while a command runs */
		run_line(line);
		if (interactive) {
			struct sigaction sa = { .sa_handler = on_sigint };

			sigaction(SIGINT, &sa, NULL);
		}
	}
	if (interactive)
		fputs("\n", stderr);
}

int main(int argc, char **argv)
{
	/* Where a command not given with a path is looked for, if the
	 * environment does not say. */
	setenv("PATH", "/bin:/usr/bin", 0);
	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		/* sh -c 'cmd' [$0 [$1 ...]] */
		pos_args = argc > 3 ? argv + 3 : argv;
		pos_count = argc > 3 ? argc - 3 : 1;
		run_line(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		/* sh FILE [args]: $0 is FILE. O_CLOEXEC: the commands
		 * we start have no business with the script's descriptor. */
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		pos_args = argv + 1;
		pos_count = argc - 1;
		run_input(fd);
		return last_status;
	}
	pos_args = argv;
	pos_count = 1;
	interactive = isatty(STDIN_FILENO);
	if (interactive)
		init_job_control();
	run_input(STDIN_FILENO);
	return last_status;
}
