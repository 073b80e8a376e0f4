/*
 * sh: what the shell's parts share (course section: processes).
 *
 * The shell is one program built from the files of this folder, one concept
 * each, in reading order:
 *   main.c      the loop: read a line, run it; sh -c and scripts
 *   parse.c     words, quotes, $ expansion; a line into pipelines
 *   run.c       fork, exec, pipes and redirections: running a pipeline
 *   jobs.c      process groups, the terminal's foreground, wait4; jobs fg bg
 *   builtins.c  commands run inside the shell itself, and help
 *   lineedit.c  the terminal in raw mode: editing keys while typing a line
 *   history.c   the lines typed before (Up and Down, the history builtin)
 *   complete.c  Tab: completing a command name or a path
 */
#ifndef USER_SH_SH_H
#define USER_SH_SH_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

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

/* --- The shell's state (main.c) ------------------------------------------ */

extern int last_status;		/* $? */
extern int interactive;		/* reading commands from a terminal */
extern int job_control;		/* process groups and tcsetpgrp in use */
extern pid_t shell_pgid;
extern char **pos_args;		/* $0, $1, ...: the script and its arguments */
extern int pos_count;

/* parse.c */
extern const char *parse_error;	/* set by the parser; NULL if all is well */
int parse_pipeline(const char **pp, struct pipeline *pl);

/* run.c */
void run_line(const char *line);
int apply_redirections(const struct command *c);
void set_job_signals(sighandler_t action);
int is_assignment(const char *word);
int assign(char *word);

/* jobs.c */
struct job *new_job(const struct pipeline *pl);
struct job *job_by_id(int id);
int foreground(struct job *j);
void reap_jobs(void);
int builtin_jobs(struct command *c);
int builtin_fg(struct command *c);
int builtin_bg(struct command *c);

/* builtins.c */
int is_builtin(const char *name);
int run_builtin(struct command *c);
/* The i-th name the shell knows (builtins and the course's programs), or
 * NULL past the end: for completion. */
const char *known_command(size_t i);

/* history.c */
void history_add(const char *line);
/* The n-th line back (1: the last one), or NULL. */
const char *history_get(int back);
int history_count(void);
int builtin_history(struct command *c);

/* lineedit.c: reads a line from the terminal with editing keys. Returns 1,
 * or 0 at end of input (^D on an empty line). */
int edit_line(const char *prompt, char *buf, size_t size);
/* A ^C arrived while waiting for a key (main.c's handler sets it). */
extern volatile sig_atomic_t interrupted;

/* complete.c: completes the word that ends at buf[pos]. Inserts what all
 * candidates share into buf (at most size bytes), returns how many bytes it
 * inserted; lists the candidates on stdout when asked (list) and there are
 * several. */
size_t complete_word(char *buf, size_t len, size_t pos, size_t size, int list, int *listed);

#endif
