/*
 * sh: builtins, the commands run inside the shell itself (course section:
 * processes).
 *
 * cd must change the shell's own directory, exit must end the shell, export
 * and umask must change what the shell's later children inherit: a child
 * process could only change its own copy. help lists them and the programs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

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
	{ "history", builtin_history, "the lines typed before (Up and Down recall them)" },
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
	{ "evdemo", NULL, "waiting for many events: poll, epoll, eventfd" },
	{ "shmdemo", NULL, "shared memory between processes" },
	{ "mmapdemo", NULL, "memory mappings and page faults" },
	{ "insmod", NULL, "load a kernel module" },
	{ "rmmod", NULL, "unload a kernel module" },
	{ "lsmod", NULL, "list the loaded kernel modules" },
	{ "modinfo", NULL, "describe a kernel module" },
	{ "greet", NULL, "call syscall 400, which modules/newsyscall.ko adds (insmod it first)" },
	{ "dmesg", NULL, "print the kernel's log: syslog(2)" },
	{ "poweroff", NULL, "turn the machine off: reboot(2), ACPI sleep state S5" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *known_command(size_t i)
{
	return i < NCOMMANDS ? commands[i].name : NULL;
}

int is_builtin(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].builtin && strcmp(commands[i].name, name) == 0)
			return 1;
	return 0;
}

int run_builtin(struct command *c)
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

