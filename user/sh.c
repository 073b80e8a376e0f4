/*
 * sh: a small Unix shell (course section: processes).
 *
 * A shell is a loop: read a line, split it into words, start the programs
 * it names, wait for them. Everything it does with processes is one of a
 * few syscalls:
 *   fork      make a copy of the shell, which then becomes the command;
 *   execve    replace that copy's program with the command's;
 *   pipe      connect one command's output to the next one's input;
 *   dup2      put a pipe end or an open file at descriptor 0, 1 or 2
 *             before exec: the command just uses its standard I/O;
 *   wait4     learn when a command ends (or stops) and its exit status.
 * Job control adds process groups: each pipeline gets its own (setpgid),
 * and the terminal sends ^C and ^Z to one group only, the foreground one,
 * which the shell chooses with tcsetpgrp.
 *
 * Usage: sh                interactive (prompt "$ " when stdin is a terminal)
 *        sh -c 'command' [name args...]
 *        sh FILE [args...]
 *
 * The language: words with '...' and "..." quoting and \ escapes; $VAR,
 * ${VAR}, $?, $$, $#, $0..$9 and ~; `|` pipelines; < > >> and N> N>> N<
 * N>&M redirections; ; && || & and newlines between pipelines; # comments.
 * Simplifications: each pipeline is expanded just before it runs, so a
 * syntax error late in a line shows up after the earlier parts ran; "a && b &"
 * puts only b in the background; expansions are not split into words.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LINE 4096
#define MAX_ARGS 128
#define MAX_REDIRS 8
#define MAX_CMDS 16		/* commands in one pipeline */
#define MAX_JOBS 16
#define ARENA_SIZE 65536	/* the words of one pipeline, after expansion */

/* --- The parsed form of a pipeline ------------------------------------ */

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP };

struct redir {
	int fd;			/* the descriptor being redirected */
	enum redir_kind kind;	/* < > >> >& */
	const char *target;	/* a file name, or the number for >& */
};

struct command {
	char *argv[MAX_ARGS + 1];	/* NULL-terminated */
	int argc;
	struct redir redirs[MAX_REDIRS];
	int nredirs;
};

/* What separates a pipeline from the next one. */
enum connector { C_END, C_SEMI, C_AND, C_OR };

struct pipeline {
	struct command cmds[MAX_CMDS];
	int ncmds;
	int background;			/* ended with & */
	enum connector next;		/* ; && || or the end of the line */
};

/* --- Jobs --------------------------------------------------------------- */

enum proc_state { P_RUNNING, P_STOPPED, P_DONE };

/* A pipeline that was started: its processes and what became of them. */
struct job {
	int id;				/* the n of %n; 0 marks a free slot */
	pid_t pgid;			/* its process group */
	pid_t pids[MAX_CMDS];
	enum proc_state state[MAX_CMDS];
	int npids;
	int status;			/* wait status of the last command */
	int background;			/* not being waited for */
	int notified;			/* "Stopped" was already printed */
	char text[128];			/* the command, for messages */
};

static struct job jobs[MAX_JOBS];

/* --- The shell's state -------------------------------------------------- */

static int last_status;		/* $? */
static int interactive;		/* reading commands from a terminal */
static int job_control;		/* process groups and tcsetpgrp in use */
static pid_t shell_pgid;
static char **pos_args;		/* $0, $1, ...: the script and its arguments */
static int pos_count;

static char arena[ARENA_SIZE];
static size_t arena_used;
static const char *parse_error;	/* set by the parser; NULL if all is well */

/* ======================================================================= */
/* Reading and expanding words                                             */
/* ======================================================================= */

static void put_char(char c)
{
	if (arena_used < ARENA_SIZE)
		arena[arena_used++] = c;
	else
		parse_error = "line too long";
}

static void put_string(const char *s)
{
	while (*s)
		put_char(*s++);
}

/* Expands the $... at *pp (just after the '$') into the arena and moves
 * *pp past it. A '$' followed by nothing usable stays a '$'. */
static void expand_dollar(const char **pp)
{
	const char *p = *pp;
	char name[128], num[16];
	size_t len = 0;
	int braces = *p == '{';

	if (*p == '?' || *p == '$' || *p == '#') {
		int v = *p == '?' ? last_status : *p == '$' ? getpid() : pos_count - 1;

		snprintf(num, sizeof(num), "%d", v < 0 ? 0 : v);
		put_string(num);
		*pp = p + 1;
		return;
	}
	if (isdigit((unsigned char)*p)) {		/* $0 .. $9 */
		int i = *p - '0';

		if (i < pos_count)
			put_string(pos_args[i]);
		*pp = p + 1;
		return;
	}
	if (braces)
		p++;
	while ((isalnum((unsigned char)*p) || *p == '_') && len < sizeof(name) - 1)
		name[len++] = *p++;
	name[len] = '\0';
	if (len == 0 || (braces && *p != '}')) {
		put_char('$');			/* not a variable after all */
		return;
	}
	if (braces)
		p++;
	if (getenv(name))
		put_string(getenv(name));
	*pp = p;
}

/* Characters that end an unquoted word. */
static int is_special(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || c == '<' || c == '>';
}

/*
 * Reads one word at *pp into the arena, removing quotes and expanding $.
 * Returns the word, or NULL if nothing is left of it (an unquoted $EMPTY
 * vanishes, while "" is an empty word).
 */
static char *read_word(const char **pp)
{
	const char *p = *pp;
	size_t start = arena_used;
	int quoted = 0;

	/* ~ or ~/... at the start of a word is the home directory. */
	if (*p == '~' && (is_special(p[1]) || p[1] == '/') && getenv("HOME")) {
		put_string(getenv("HOME"));
		p++;
	}
	while (!is_special(*p)) {
		if (*p == '\\') {		/* \x is x, whatever x is */
			if (p[1] == '\0') {	/* a \ at the very end stays */
				put_char(*p++);
				continue;
			}
			put_char(p[1]);
			p += 2;
		} else if (*p == '\'') {	/* '...': everything literal */
			const char *end = strchr(p + 1, '\'');

			if (end == NULL) {
				parse_error = "unterminated '";
				return NULL;
			}
			while (++p < end)
				put_char(*p);
			p++;
			quoted = 1;
		} else if (*p == '"') {		/* "...": only $ and \ are special */
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1] && strchr("\"\\$", p[1])) {
					put_char(p[1]);
					p += 2;
				} else if (*p == '$') {
					p++;
					expand_dollar(&p);
				} else {
					put_char(*p++);
				}
			}
			if (*p != '"') {
				parse_error = "unterminated \"";
				return NULL;
			}
			p++;
			quoted = 1;
		} else if (*p == '$') {
			p++;
			expand_dollar(&p);
		} else {
			put_char(*p++);
		}
	}
	*pp = p;
	if (arena_used == start && !quoted)
		return NULL;
	put_char('\0');
	return arena + start;
}

/* ======================================================================= */
/* Parsing a pipeline                                                      */
/* ======================================================================= */

/* A redirection operator at p? "<", ">", ">>", ">&", each optionally after
 * one digit ("2>"). Fills r (without the target) and returns its length. */
static int redir_operator(const char *p, struct redir *r)
{
	const char *q = p;

	r->fd = -1;
	if (isdigit((unsigned char)q[0]) && (q[1] == '<' || q[1] == '>'))
		r->fd = *q++ - '0';
	if (*q == '<') {
		r->kind = R_IN;
		q++;
	} else if (*q == '>') {
		q++;
		r->kind = R_OUT;
		if (*q == '>')
			r->kind = R_APPEND, q++;
		else if (*q == '&')
			r->kind = R_DUP, q++;
	} else {
		return 0;
	}
	if (r->fd < 0)
		r->fd = r->kind == R_IN ? 0 : 1;
	return (int)(q - p);
}

/*
 * Parses (and expands) one pipeline starting at *pp, up to ; & && || a
 * newline or the end, and moves *pp past it. Returns 0, or -1 with
 * parse_error set. A pipeline of no commands at all is allowed (an empty
 * line, a comment) and does nothing.
 */
static int parse_pipeline(const char **pp, struct pipeline *pl)
{
	const char *p = *pp;
	struct command *cmd;

	memset(pl, 0, sizeof(*pl));
	arena_used = 0;
	parse_error = NULL;
	cmd = &pl->cmds[0];
	pl->ncmds = 1;
	pl->next = C_END;
	for (;;) {
		struct redir r;
		int n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#')			/* a comment: up to the newline */
			p += strcspn(p, "\n");
		if (*p == '\0')
			break;
		if (*p == '\n' || *p == ';') {
			p++;
			pl->next = C_SEMI;
			break;
		}
		if (*p == '&') {
			if (p[1] == '&') {
				p += 2;
				pl->next = C_AND;
			} else {
				p++;
				pl->background = 1;
				pl->next = C_SEMI;
			}
			break;
		}
		if (*p == '|') {
			if (p[1] == '|') {
				p += 2;
				pl->next = C_OR;
				break;
			}
			p++;
			if (cmd->argc == 0 || pl->ncmds == MAX_CMDS) {
				parse_error = cmd->argc ? "pipeline too long" : "syntax error near '|'";
				return -1;
			}
			cmd = &pl->cmds[pl->ncmds++];
			continue;
		}
		if ((n = redir_operator(p, &r)) > 0) {
			p += n;
			while (*p == ' ' || *p == '\t')
				p++;
			r.target = read_word(&p);
			if (r.target == NULL || cmd->nredirs == MAX_REDIRS) {
				if (!parse_error)
					parse_error = r.target ? "too many redirections" :
								 "redirection without a file";
				return -1;
			}
			cmd->redirs[cmd->nredirs++] = r;
			continue;
		}
		char *word = read_word(&p);

		if (parse_error)
			return -1;
		if (word == NULL)
			continue;
		if (cmd->argc == MAX_ARGS) {
			parse_error = "too many arguments";
			return -1;
		}
		cmd->argv[cmd->argc++] = word;
	}
	*pp = p;
	if (parse_error)
		return -1;
	/* "a |" or "| b" or a lone "&&" are errors; an empty line is not. */
	if (cmd->argc == 0 && cmd->nredirs == 0 &&
	    (pl->ncmds > 1 || pl->background || pl->next == C_AND || pl->next == C_OR)) {
		parse_error = "syntax error: missing command";
		return -1;
	}
	if (cmd->argc == 0 && cmd->nredirs == 0)
		pl->ncmds = 0;
	return 0;
}

/* ======================================================================= */
/* Running commands                                                        */
/* ======================================================================= */

/* Opens the files of c's redirections and moves them into place. Returns
 * 0, or -1 after a message. */
static int apply_redirections(const struct command *c)
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

static void set_job_signals(sighandler_t action)
{
	for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
		signal(job_signals[i], action);
}

static int run_builtin(struct command *c);
static int is_builtin(const char *name);

static struct job *job_by_id(int id);

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

/* --- The job table --- */

static struct job *new_job(const struct pipeline *pl)
{
	int id = 1;
	struct job *j = NULL;

	for (int i = 0; i < MAX_JOBS; i++) {
		if (jobs[i].id >= id)
			id = jobs[i].id + 1;
		if (jobs[i].id == 0 && j == NULL)
			j = &jobs[i];
	}
	if (j == NULL)
		return NULL;
	memset(j, 0, sizeof(*j));
	j->id = id;
	j->background = pl->background;
	/* The text, for "[1]+ Stopped  sleep 10 | cat". */
	for (int i = 0; i < pl->ncmds; i++) {
		const struct command *c = &pl->cmds[i];

		for (int k = 0; k < c->argc; k++) {
			size_t len = strlen(j->text);

			snprintf(j->text + len, sizeof(j->text) - len, "%s%s",
				 len ? " " : "", c->argv[k]);
		}
		if (i + 1 < pl->ncmds)
			strncat(j->text, " |", sizeof(j->text) - strlen(j->text) - 1);
	}
	return j;
}

static int job_has(const struct job *j, enum proc_state s)
{
	for (int i = 0; i < j->npids; i++)
		if (j->state[i] == s)
			return 1;
	return 0;
}

/* Records what wait4 said about pid. */
static void update_process(pid_t pid, int status)
{
	for (int k = 0; k < MAX_JOBS; k++) {
		struct job *j = &jobs[k];

		for (int i = 0; j->id && i < j->npids; i++) {
			if (j->pids[i] != pid)
				continue;
			if (WIFSTOPPED(status)) {
				j->state[i] = P_STOPPED;
			} else if (WIFCONTINUED(status)) {
				j->state[i] = P_RUNNING;
			} else {
				j->state[i] = P_DONE;
				if (i == j->npids - 1)
					j->status = status;
			}
			return;
		}
	}
}

/* The status a job reports as $?: the last command's exit code, 128 + the
 * signal that killed it, or 128 + the signal that stopped the job. */
static int job_exit_code(const struct job *j)
{
	if (job_has(j, P_STOPPED))
		return 128 + SIGTSTP;
	if (WIFSIGNALED(j->status))
		return 128 + WTERMSIG(j->status);
	return WEXITSTATUS(j->status);
}

/* Waits until job j has no running process left: all ended, or stopped
 * (^Z). Other children that change state meanwhile are recorded too. */
static void wait_for_job(struct job *j)
{
	while (job_has(j, P_RUNNING)) {
		int status;
		pid_t pid = wait4(-1, &status, WUNTRACED, NULL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;		/* ECHILD: nothing left to wait for */
		}
		update_process(pid, status);
	}
}

/* Collects, without waiting, what happened to our children meanwhile. */
static void collect(void)
{
	int status;
	pid_t pid;

	while ((pid = wait4(-1, &status, WNOHANG | WUNTRACED, NULL)) > 0)
		update_process(pid, status);
}

/* Before a prompt: reports the background jobs that finished or stopped,
 * and forgets the finished ones. */
/* How a finished job ended, as bash says it: "Done", "Exit 3", "Terminated". */
static const char *job_end_text(const struct job *j)
{
	static char text[32];

	if (WIFSIGNALED(j->status))
		return strsignal(WTERMSIG(j->status));
	if (WEXITSTATUS(j->status) == 0)
		return "Done";
	snprintf(text, sizeof(text), "Exit %d", WEXITSTATUS(j->status));
	return text;
}

static void reap_jobs(void)
{
	collect();
	for (int k = 0; k < MAX_JOBS; k++) {
		struct job *j = &jobs[k];

		if (j->id == 0 || job_has(j, P_RUNNING))
			continue;
		if (job_has(j, P_STOPPED)) {
			if (!j->notified)
				printf("[%d]+ Stopped  %s\n", j->id, j->text);
			j->notified = 1;
		} else {
			if (interactive)
				printf("[%d]+ %s  %s\n", j->id, job_end_text(j), j->text);
			j->id = 0;
		}
	}
}

/* Puts the job in the foreground: gives it the terminal, waits, takes the
 * terminal back. Returns its exit code. */
static int foreground(struct job *j)
{
	int code;

	j->background = 0;
	if (job_control)
		tcsetpgrp(STDIN_FILENO, j->pgid);
	wait_for_job(j);
	if (job_control)
		tcsetpgrp(STDIN_FILENO, shell_pgid);
	code = job_exit_code(j);
	if (job_has(j, P_STOPPED)) {
		printf("\n[%d]+ Stopped  %s\n", j->id, j->text);
		j->background = 1;
		j->notified = 1;
		return code;
	}
	/* Like other shells, say why a job died, except for ^C (the user
	 * knows: just end the line the terminal echoed "^C" on) and a broken
	 * pipe (the normal end of "yes | head"). */
	if (WIFSIGNALED(j->status) && WTERMSIG(j->status) == SIGINT)
		fputs("\n", stderr);
	else if (WIFSIGNALED(j->status) && WTERMSIG(j->status) != SIGPIPE)
		fprintf(stderr, "%s%s\n", strsignal(WTERMSIG(j->status)),
			WCOREDUMP(j->status) ? " (core dumped)" : "");
	j->id = 0;
	return code;
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
static int is_assignment(const char *word)
{
	const char *p = word;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=';
}

static int assign(char *word)
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
static void run_line(const char *line)
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

/* ======================================================================= */
/* Builtins                                                                */
/* ======================================================================= */

static int builtin_help(struct command *c);

static int builtin_cd(struct command *c)
{
	const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");

	if (dir == NULL)
		dir = "/";
	if (chdir(dir) < 0) {
		fprintf(stderr, "cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static int builtin_exit(struct command *c)
{
	exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
}

/* export NAME=value sets and exports; export NAME exports an existing
 * shell variable, which here is the same as doing nothing. With no
 * argument, print the environment. */
static int builtin_export(struct command *c)
{
	if (c->argc == 1) {
		for (char **e = environ; *e; e++)
			printf("export %s\n", *e);
		return 0;
	}
	for (int i = 1; i < c->argc; i++) {
		if (!is_assignment(c->argv[i]))
			continue;
		if (assign(c->argv[i]) != 0) {
			perror("export");
			return 1;
		}
	}
	return 0;
}

static struct job *job_by_id(int id)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (id > 0 && jobs[i].id == id)
			return &jobs[i];
	return NULL;
}

/* ulimit's options: the letter, the limit, its unit in bytes (1: a count). */
static const struct {
	char opt;
	int resource;
	unsigned long unit;
	const char *what;
} limits[] = {
	{ 'c', RLIMIT_CORE, 1024, "core file size (KiB)" },
	{ 'd', RLIMIT_DATA, 1024, "data seg size (KiB)" },
	{ 'f', RLIMIT_FSIZE, 1024, "file size (KiB)" },
	{ 'n', RLIMIT_NOFILE, 1, "open files" },
	{ 's', RLIMIT_STACK, 1024, "stack size (KiB)" },
	{ 't', RLIMIT_CPU, 1, "cpu time (seconds)" },
	{ 'u', RLIMIT_NPROC, 1, "max user processes" },
	{ 'v', RLIMIT_AS, 1024, "virtual memory (KiB)" },
};

#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

static void print_limit(size_t k, int with_name)
{
	struct rlimit r;

	getrlimit(limits[k].resource, &r);
	if (with_name)
		printf("%-24s (-%c) ", limits[k].what, limits[k].opt);
	if (r.rlim_cur == RLIM_INFINITY)
		printf("unlimited\n");
	else
		printf("%lu\n", r.rlim_cur / limits[k].unit);
}

/* ulimit [-a | -c|-d|-f|-n|-s|-t|-u|-v [N|unlimited]]: show or set a
 * soft limit (setrlimit); children inherit it. Without an option: -f. */
static int builtin_ulimit(struct command *c)
{
	const char *opt = c->argc > 1 && c->argv[1][0] == '-' ? c->argv[1] + 1 : "f";
	const char *value = c->argv[c->argc > 1 && c->argv[1][0] == '-' ? 2 : 1];

	if (strcmp(opt, "a") == 0) {
		for (size_t k = 0; k < NLIMITS; k++)
			print_limit(k, 1);
		return 0;
	}
	for (size_t k = 0; k < NLIMITS; k++) {
		struct rlimit r;

		if (opt[0] != limits[k].opt || opt[1])
			continue;
		if (value == NULL) {
			print_limit(k, 0);
			return 0;
		}
		getrlimit(limits[k].resource, &r);
		r.rlim_cur = strcmp(value, "unlimited") == 0 ? RLIM_INFINITY : strtoul(value, NULL, 10) * limits[k].unit;
		if (setrlimit(limits[k].resource, &r) != 0) {
			fprintf(stderr, "ulimit: %s: %s\n", value, strerror(errno));
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "ulimit: -%s: unknown option (ulimit -a lists them)\n", opt);
	return 2;
}

/* umask [mode]: show (as octal) or set the mask, in the shell itself, since
 * a child's mask would die with the child. */
static int builtin_umask(struct command *c)
{
	char *end;

	if (c->argc < 2) {
		mode_t old = umask(0);

		umask(old);
		printf("%04o\n", old);
		return 0;
	}
	unsigned long mask = strtoul(c->argv[1], &end, 8);
	if (*end || end == c->argv[1] || mask > 0777) {
		fprintf(stderr, "umask: %s: not an octal mode\n", c->argv[1]);
		return 1;
	}
	umask((mode_t)mask);
	return 0;
}

/* The most recent job, or the one named by "%n" or "n". */
static struct job *find_job(struct command *c)
{
	struct job *best = NULL;
	int want = 0;

	if (c->argc > 1)
		want = atoi(c->argv[1][0] == '%' ? c->argv[1] + 1 : c->argv[1]);
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		if (j->id && (want ? j->id == want : (!best || j->id > best->id)))
			best = j;
	}
	if (best == NULL)
		fprintf(stderr, "%s: %s: no such job\n", c->argv[0],
			c->argc > 1 ? c->argv[1] : "current");
	return best;
}

static int builtin_jobs(struct command *c)
{
	int newest = 0;

	(void)c;
	collect();
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].id > newest)
			newest = jobs[i].id;
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		int running = job_has(j, P_RUNNING), stopped = !running && job_has(j, P_STOPPED);
		const char *state = running ? "Running" : stopped ? "Stopped" : job_end_text(j);

		if (j->id == 0)
			continue;
		printf("[%d]%c %-8s %s\n", j->id, j->id == newest ? '+' : ' ', state, j->text);
		if (stopped)
			j->notified = 1;
		else if (!running)
			j->id = 0;		/* reported: forget it */
	}
	return 0;
}

/* fg and bg: wake the job's processes with SIGCONT (sent to the whole
 * group: kill with a negative pid), then wait for it or not. */
static struct job *continue_job(struct command *c)
{
	struct job *j;

	if (!job_control) {
		fprintf(stderr, "%s: no job control\n", c->argv[0]);
		return NULL;
	}
	j = find_job(c);
	if (j == NULL)
		return NULL;
	for (int i = 0; i < j->npids; i++)
		if (j->state[i] == P_STOPPED)
			j->state[i] = P_RUNNING;
	j->notified = 0;
	return j;
}

static int builtin_fg(struct command *c)
{
	struct job *j = continue_job(c);

	if (j == NULL)
		return 1;
	printf("%s\n", j->text);
	fflush(stdout);
	tcsetpgrp(STDIN_FILENO, j->pgid);	/* before it runs, so it can read */
	kill(-j->pgid, SIGCONT);
	return foreground(j);
}

static int builtin_bg(struct command *c)
{
	struct job *j = continue_job(c);

	if (j == NULL)
		return 1;
	j->background = 1;
	kill(-j->pgid, SIGCONT);
	printf("[%d]+ %s &\n", j->id, j->text);
	return 0;
}

/*
 * Every command the shell knows of, and what it teaches: the builtins
 * (with the function that runs them inside the shell) and the programs of
 * the course, some of which arrive in later sections. help marks those not
 * in /bin yet.
 */
static const struct {
	const char *name;
	int (*builtin)(struct command *c);	/* NULL for a program in /bin */
	const char *what;
} commands[] = {
	{ "cd", builtin_cd, "[dir]: change the shell's directory (chdir)" },
	{ "exit", builtin_exit, "[n]: leave the shell with status n" },
	{ "export", builtin_export, "NAME=value: set an environment variable" },
	{ "help", builtin_help, "this list" },
	{ "jobs", builtin_jobs, "list background and stopped jobs" },
	{ "ulimit", builtin_ulimit, "[-a | -n N ...]: show or set a resource limit (setrlimit)" },
	{ "umask", builtin_umask, "[mode]: show or set the bits new files do not get (umask)" },
	{ "fg", builtin_fg, "[%n]: continue a job in the foreground (SIGCONT)" },
	{ "bg", builtin_bg, "[%n]: continue a stopped job in the background" },
	{ "init", NULL, "the first process: starts the shell, adopts orphans" },
	{ "sh", NULL, "this shell: fork, exec, pipes, redirections, job control" },
	{ "hello", NULL, "the smallest program: one write, one exit" },
	{ "echo", NULL, "print the arguments: argv" },
	{ "cat", NULL, "copy files to stdout: the read/write loop" },
	{ "ls", NULL, "list a directory (-l -a): getdents64 and stat" },
	{ "mkdir", NULL, "make directories (-p)" },
	{ "rm", NULL, "remove files (-r -f): unlink and rmdir" },
	{ "ln", NULL, "another name for a file: link" },
	{ "mv", NULL, "move or rename files: rename" },
	{ "pwd", NULL, "print the working directory: getcwd" },
	{ "wc", NULL, "count lines, words, bytes (-l -w -c)" },
	{ "env", NULL, "show or change the environment" },
	{ "uname", NULL, "name the system (-a): the kernel answers" },
	{ "ps", NULL, "list processes, from /proc" },
	{ "kill", NULL, "send a signal to pids or %jobs (kill -l lists them)" },
	{ "sleep", NULL, "sleep for a while (fractions allowed): nanosleep" },
	{ "true", NULL, "exit status 0" },
	{ "false", NULL, "exit status 1" },
	{ "clear", NULL, "clear the screen: escape sequences" },
	{ "bench", NULL, "cycles for a syscall, fork, a pipe round trip, a signal" },
	{ "fuzz", NULL, "random hostile syscalls (only as init: tools/run-elf build/user/fuzz)" },
	{ "sigdemo", NULL, "signal handlers, masks and sigreturn" },
	{ "evdemo", NULL, "one epoll loop: eventfd, pipe, timers, signals, uevents, a unix server" },
	{ "udevmon", NULL, "print the kernel's uevents (netlink): try insmod chardev.ko" },
	{ "procmon", NULL, "log every fork, exec and exit (the process-events connector)" },
	{ "shmdemo", NULL, "shared memory between processes" },
	{ "mmapdemo", NULL, "memory mappings and page faults" },
	{ "insmod", NULL, "load a kernel module" },
	{ "rmmod", NULL, "unload a kernel module" },
	{ "lsmod", NULL, "list the loaded kernel modules" },
	{ "modinfo", NULL, "describe a kernel module" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int is_builtin(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].builtin && strcmp(commands[i].name, name) == 0)
			return 1;
	return 0;
}

static int run_builtin(struct command *c)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].builtin && strcmp(commands[i].name, c->argv[0]) == 0)
			return commands[i].builtin(c);
	return 127;
}

static int builtin_help(struct command *c)
{
	(void)c;
	printf("Builtins (run inside the shell itself):\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].builtin)
			printf("  %-9s %s\n", commands[i].name, commands[i].what);
	printf("Programs (in /bin):\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char path[64];

		if (commands[i].builtin)
			continue;
		snprintf(path, sizeof(path), "/bin/%s", commands[i].name);
		printf("  %-9s %s%s\n", commands[i].name, commands[i].what,
		       access(path, X_OK) == 0 ? "" : " (if installed)");
	}
	printf("Syntax: cmd | cmd, < > >> 2> 2>&1, ; && || &, 'quotes' \"$VAR\", # comment\n");
	return 0;
}

/* ======================================================================= */
/* Reading lines and the main loop                                         */
/* ======================================================================= */

static volatile sig_atomic_t interrupted;

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
		if (interactive)
			fputs("$ ", stderr);
		if (!read_line(fd, line, sizeof(line)))
			break;
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
