/*
 * sh: jobs (course section: processes; signals).
 *
 * Job control adds process groups: each pipeline gets its own (setpgid),
 * and the terminal sends ^C and ^Z to one group only, the foreground one,
 * which the shell chooses with tcsetpgrp. wait4 with WUNTRACED tells the
 * shell when a job ends or stops; jobs, fg and bg list and continue them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

static struct job jobs[MAX_JOBS];

struct job *new_job(const struct pipeline *pl)
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

void reap_jobs(void)
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
int foreground(struct job *j)
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

struct job *job_by_id(int id)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (id > 0 && jobs[i].id == id)
			return &jobs[i];
	return NULL;
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

int builtin_jobs(struct command *c)
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

int builtin_fg(struct command *c)
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

int builtin_bg(struct command *c)
{
	struct job *j = continue_job(c);

	if (j == NULL)
		return 1;
	j->background = 1;
	kill(-j->pgid, SIGCONT);
	printf("[%d]+ %s &\n", j->id, j->text);
	return 0;
}
