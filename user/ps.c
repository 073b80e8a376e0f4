/*
 * ps: list processes (course section: processes).
 *
 * There is no "list the processes" syscall: the kernel shows each process
 * as a directory /proc/PID of text files. /proc/PID/stat is one line,
 *     pid (comm) state ppid pgrp session ...
 * where comm is the program's name, in parentheses because it may contain
 * spaces (so we look for the last ')'), and state is R running, S sleeping,
 * T stopped, Z zombie (ended, not yet waited for). /proc/PID/cmdline has
 * the arguments, separated by NULs.
 *
 * `ps -T` also lists each process's threads, one line each with its own
 * id (SPID) from /proc/PID/task/TID/stat: a thread has its own state.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads a small file whole into buf (NUL-terminated); returns its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while (len < (ssize_t)size - 1 && (n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

static int show_threads;	/* -T */

/* The state letter in a stat line: after the last ')'. */
static char stat_state(const char *path)
{
	char stat[512], *close_paren;

	if (read_file(path, stat, sizeof(stat)) <= 0 || !(close_paren = strrchr(stat, ')')))
		return '?';
	return close_paren[1] == ' ' ? close_paren[2] : '?';
}

static void show_tasks(const char *pid, int ppid, const char *cmd)
{
	char path[64];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", pid, e->d_name);
		printf("%5s %5s %5d %c    %s\n", pid, e->d_name, ppid, stat_state(path), cmd);
	}
	closedir(d);
}

static void show(const char *pid)
{
	char path[64], stat[512], cmd[256];
	char *open_paren, *close_paren, state;
	int ppid;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (read_file(path, stat, sizeof(stat)) <= 0)
		return;			/* it ended while we were looking */
	open_paren = strchr(stat, '(');
	close_paren = strrchr(stat, ')');
	if (!open_paren || !close_paren || close_paren[1] != ' ')
		return;
	*close_paren = '\0';
	state = close_paren[2];
	ppid = atoi(close_paren + 4);

	/* The command line, NULs turned into spaces; kernel threads and
	 * zombies have none, so show [comm] instead, as Linux's ps does. */
	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	n = read_file(path, cmd, sizeof(cmd));
	if (n > 0) {
		for (ssize_t i = 0; i < n - 1; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
	} else {
		snprintf(cmd, sizeof(cmd), "[%s]", open_paren + 1);
	}
	if (show_threads)
		show_tasks(pid, ppid, cmd);
	else
		printf("%5s %5d %c    %s\n", pid, ppid, state, cmd);
}

static int by_number(const void *a, const void *b)
{
	return atoi(*(char *const *)a) - atoi(*(char *const *)b);
}

int main(int argc, char **argv)
{
	show_threads = argc > 1 && strcmp(argv[1], "-T") == 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	char *pids[1024];
	size_t n = 0;

	if (d == NULL) {
		fprintf(stderr, "ps: /proc: %s\n", strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < sizeof(pids) / sizeof(pids[0])) {
		/* Only the numbered entries are processes. */
		if (isdigit((unsigned char)e->d_name[0]) && (pids[n] = strdup(e->d_name)))
			n++;
	}
	closedir(d);
	qsort(pids, n, sizeof(pids[0]), by_number);
	printf(show_threads ? "  PID  SPID  PPID STAT CMD\n" : "  PID  PPID STAT CMD\n");
	for (size_t i = 0; i < n; i++)
		show(pids[i]);
	return 0;
}
