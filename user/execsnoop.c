/*
 * execsnoop: every program started, with its arguments (course section:
 * advanced eBPF tracing), in the layout of bcc's execsnoop:
 *
 *     PCOMM            PID    PPID   RET ARGS
 *     ls               57     31       0 /bin/ls -l /tmp
 *
 *     execsnoop [-x] [-n NAME] [-d SECONDS]
 *
 * -x: failed execs too (by default only the ones that worked, as bcc);
 * -n: only commands whose name contains NAME; -d: stop after that many
 * seconds (else at Ctrl-C). The BPF program (user/bpf/execsnoop.bpf.c)
 * sends the pid, its parent's (seen at fork), the new command name, the
 * arguments and the result; for a process forked before tracing began,
 * the parent's pid is read here from /proc/PID/stat.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/bpf/execsnoop.h"
#include "user/bpflib/bpflib.h"

BPF_EMBEDDED(execsnoop);

struct options {
	int failed_too;
	const char *name;
};

/* The fourth field of /proc/PID/stat, after the ")" that ends the name; -1 if gone. */
static int parent_of(uint32_t pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = 0;
	char *p = strrchr(text, ')'); /* ") S 31 ...": the state, then the parent */
	if (!p || strlen(p) < 5)
		return -1;
	return atoi(p + 4);
}

static int print_event(void *ctx, const void *data, size_t size)
{
	const struct options *o = ctx;
	const struct es_event *e = data;
	if (size < sizeof(*e) || (e->ret && !o->failed_too) || (o->name && !strstr(e->comm, o->name)))
		return 0;
	int ppid = e->ppid ? (int)e->ppid : parent_of(e->pid);
	char ppid_text[16] = "?";
	if (ppid >= 0)
		snprintf(ppid_text, sizeof(ppid_text), "%d", ppid);
	printf("%-16.16s %-6u %-6s %3lld", e->comm, e->pid, ppid_text, (long long)e->ret);
	for (uint32_t i = 0; i < e->argc && i < ES_MAX_ARGS; i++)
		printf(" %.*s", ES_ARG_LEN, e->args[i]);
	printf("%s\n", e->more ? " ..." : "");
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: execsnoop [-x] [-n NAME] [-d SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	long seconds = 0;
	int c;
	while ((c = getopt(argc, argv, "xn:d:")) != -1) {
		if (c == 'x')
			o.failed_too = 1;
		else if (c == 'n')
			o.name = optarg;
		else if (c == 'd')
			seconds = atol(optarg);
		else
			usage();
	}
	struct bpf_object obj;
	if (BPF_EMBEDDED_OPEN(&obj, execsnoop) || tool_load("execsnoop", &obj) || tool_attach("execsnoop", &obj))
		return 1;
	char header[80];
	snprintf(header, sizeof(header), "%-16s %-6s %-6s %3s %s", "PCOMM", "PID", "PPID", "RET", "ARGS");
	return tool_stream(&obj, "events", print_event, &o, header, seconds);
}
