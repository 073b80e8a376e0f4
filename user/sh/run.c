/*
 * sh: running a pipeline (course section: processes).
 *
 * Everything the shell does with processes is one of a few syscalls:
 *   fork      make a copy of the shell, which then becomes the command;
 *   execve    replace that copy's program with the command's;
 *   pipe      connect one command's output to the next one's input;
 *   dup2      put a pipe end or an open file at descriptor 0, 1 or 2
 *             before exec: the command just uses its standard I/O;
 *   wait4     learn when a command ends (or stops): see jobs.c.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

/* Opens the files of c's redirections and moves them into place. Returns
 * 0, or -1 after a message. */
int apply_redirections(const struct command *c)
{
	for (int i = 0; i < c->nredirs; i++) {
		const struct redir *r = &c->redirs[i];
		int fd;

		if (r->kind == R_DUP) {		/* 2>&1: fd 2 becomes a copy of fd 1 */
			if (!isdigit((unsigned char)r->target[0]) ||
			    dup2(atoi(r->target), r->fd) < 0) {
				fprintf(stderr, "sh: %s: bad file descriptor\n", r->target);
				return -1;
			}
			continue;
		}
		if (r->kind == R_IN)
			fd = open(r->target, O_RDONLY);
		else if (r->kind == R_OUT)
			fd = open(r->target, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		else
			fd = open(r->target, O_WRONLY | O_CREAT | O_APPEND, 0666);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", r->target, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

/* Runs a program: a name with a '/' is a path; otherwise /bin/NAME, then
 * the directories of $PATH. Never returns. */
static void exec_command(char **argv)
{
	char path[PATH_MAX];

	if (strchr(argv[0], '/')) {
		execv(argv[0], argv);
	} else {
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
		execv(path, argv);
		if (errno == ENOENT)
			execvp(argv[0], argv);
	}
	if (errno == ENOENT) {
		fprintf(stderr, "sh: %s: command not found\n", argv[0]);
		_exit(127);
	}
	fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(errno));
	_exit(126);
}

/* The signals an interactive shell ignores; its children must get the
 * default actions back, since an ignored signal stays ignored across exec. */
static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

void set_job_signals(sighandler_t action)
{
	for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
		signal(job_signals[i], action);
}


/*
 * `kill %2`: /bin/kill knows pids, the shell knows jobs. So the child,
 * before it execs kill, turns each %n into -PGID (the job's whole process
 * group), after a "--" so that kill does not read "-PGID" as a signal.
 */
static void expand_job_specs(struct command *c)
{
	static char pgids[MAX_ARGS][16];
	int first = 1;			/* the first operand, after the signal */
	int expanded = 0;

	if (c->argc > 2 && strcmp(c->argv[1], "-s") == 0)
		first = 3;
	else if (c->argc > 1 && c->argv[1][0] == '-' && strcmp(c->argv[1], "--") != 0)
		first = 2;
	if (first < c->argc && strcmp(c->argv[first], "--") == 0)
		first++;
	for (int i = first; i < c->argc; i++) {
		struct job *j;

		if (c->argv[i][0] != '%')
			continue;
		j = job_by_id(atoi(c->argv[i] + 1));
		if (j == NULL) {
			fprintf(stderr, "kill: %s: no such job\n", c->argv[i]);
			_exit(1);
		}
		snprintf(pgids[i], sizeof(pgids[i]), "-%d", (int)j->pgid);
		c->argv[i] = pgids[i];
		expanded = 1;
	}
	if (expanded && c->argc < MAX_ARGS && strcmp(c->argv[first - 1], "--") != 0) {
		memmove(&c->argv[first + 1], &c->argv[first], (c->argc - first + 1) * sizeof(char *));
		c->argv[first] = "--";
		c->argc++;
	}
}

/*
 * In the child, between fork and exec: join the job's process group (pgid
 * 0: start a new one, numbered after us), take the terminal if the job is
 * in the foreground, restore the signals, plug in the pipe ends and the
 * redirections. The parent also calls setpgid for us: whichever runs first
 * wins, and neither can then act on a process that is not yet in place.
 */
static void child(struct command *c, pid_t pgid, int background, int in, int out)
{
	if (job_control) {
		setpgid(0, pgid);
		if (!background)
			tcsetpgrp(STDIN_FILENO, pgid ? pgid : getpid());
		set_job_signals(SIG_DFL);
	} else if (background) {
		/* Without job control, ^C reaches everyone in our group: a
		 * background command should not die of it. */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	}
	if (in != STDIN_FILENO) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	if (out != STDOUT_FILENO) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	if (apply_redirections(c) < 0)
		_exit(1);
	if (c->argc == 0)		/* only redirections: "> file" creates it */
		_exit(0);
	if (is_builtin(c->argv[0]))	/* e.g. "help | wc": a builtin in a pipe */
		exit(run_builtin(c));
	if (strcmp(c->argv[0], "kill") == 0)
		expand_job_specs(c);
	exec_command(c->argv);
}

/* A builtin alone in the foreground runs in the shell itself (cd must
 * change the shell's directory, exit must end the shell). Its redirections
 * apply for the moment: the shell's own 0, 1, 2 are saved and put back. */
static int run_builtin_here(struct command *c)
{
	int saved[3], status;

	if (c->nredirs == 0)
		return run_builtin(c);
	for (int fd = 0; fd < 3; fd++)
		saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	status = apply_redirections(c) < 0 ? 1 : run_builtin(c);
	fflush(stdout);
	for (int fd = 0; fd < 3; fd++) {
		if (saved[fd] >= 0) {
			dup2(saved[fd], fd);
			close(saved[fd]);
		}
	}
	return status;
}

/* "NAME=value" alone on a line sets a variable. This shell keeps all its
 * variables in the environment, so it is the same as export. */
int is_assignment(const char *word)
{
	const char *p = word;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=';
}

int assign(char *word)
{
	char *eq = strchr(word, '=');

	*eq = '\0';
	return setenv(word, eq + 1, 1) < 0;
}

/*
 * Starts every command of the pipeline, each in its own child, connected by
 * pipes: command i writes into pipe i, command i + 1 reads from it. The
 * parent closes its copies of the pipe ends as it goes, so that a reader
 * sees end of file once its writer exits. Returns the exit code ($?).
 */
static int run_pipeline(struct pipeline *pl)
{
	struct job *j;
	int in = STDIN_FILENO;

	if (pl->ncmds == 0)
		return last_status;
	if (pl->ncmds == 1 && pl->cmds[0].argc == 1 && is_assignment(pl->cmds[0].argv[0]))
		return assign(pl->cmds[0].argv[0]);
	if (pl->ncmds == 1 && !pl->background && pl->cmds[0].argc > 0 &&
	    is_builtin(pl->cmds[0].argv[0]))
		return run_builtin_here(&pl->cmds[0]);
	j = new_job(pl);
	if (j == NULL) {
		fprintf(stderr, "sh: too many jobs\n");
		return 1;
	}
	fflush(NULL);		/* or the children would inherit unwritten output */
	for (int i = 0; i < pl->ncmds; i++) {
		int fds[2] = { -1, STDOUT_FILENO };
		pid_t pid;

		/* O_CLOEXEC: the pipe ends other than 0 and 1 must not stay
		 * open in the programs we start, or a reader would never see
		 * end of file (its own copy of the write end keeps it open). */
		if (i + 1 < pl->ncmds && pipe2(fds, O_CLOEXEC) < 0) {
			perror("sh: pipe");
			break;
		}
		pid = fork();
		if (pid == 0)
			child(&pl->cmds[i], j->pgid, pl->background, in, fds[1]);
		if (pid < 0) {
			perror("sh: fork");
			if (fds[0] >= 0)
				close(fds[0]), close(fds[1]);
			break;
		}
		if (j->pgid == 0)
			j->pgid = pid;		/* the first command leads the group */
		if (job_control)
			setpgid(pid, j->pgid);
		j->pids[j->npids] = pid;
		j->state[j->npids++] = P_RUNNING;
		if (in != STDIN_FILENO)
			close(in);
		if (fds[1] != STDOUT_FILENO)
			close(fds[1]);
		in = fds[0];
	}
	if (in != STDIN_FILENO && in >= 0)
		close(in);
	if (j->npids == 0) {
		j->id = 0;
		return 1;
	}
	if (pl->background) {
		if (interactive)
			printf("[%d] %d\n", j->id, j->pgid);
		return 0;
	}
	return foreground(j);
}

/* Runs every pipeline of a line in turn, honouring && and ||. */
void run_line(const char *line)
{
	enum connector prev = C_SEMI;

	while (*line) {
		struct pipeline pl;
		int run;

		if (parse_pipeline(&line, &pl) < 0) {
			fprintf(stderr, "sh: %s\n", parse_error);
			last_status = 2;
			return;
		}
		/* "a && b": b only if a succeeded; "a || b": only if it failed. */
		run = prev == C_SEMI || (prev == C_AND && last_status == 0) ||
		      (prev == C_OR && last_status != 0);
		if (run)
			last_status = run_pipeline(&pl);
		prev = pl.next;
	}
}

