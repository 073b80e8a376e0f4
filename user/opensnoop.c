/*
 * opensnoop: every file opened, by whom, with what result (course
 * section: advanced eBPF tracing), in the layout of bcc's opensnoop:
 *
 *     PID    COMM               FD ERR PATH
 *     42     cat                 3   0 /etc/passwd
 *
 *     opensnoop [-x] [-p PID] [-n NAME] [-d SECONDS]
 *
 * -x: only failed opens; -p: only that process; -n: only commands whose
 * name contains NAME; -d: stop after that many seconds (else at Ctrl-C).
 * The work is done in the kernel by user/bpf/opensnoop.bpf.c, which sends
 * one record per open through a ring buffer; this program prints them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/bpf/opensnoop.h"
#include "user/bpflib/bpflib.h"

BPF_EMBEDDED(opensnoop);

struct options {
	int failed_only;
	const char *name;
};

static int print_event(void *ctx, const void *data, size_t size)
{
	const struct options *o = ctx;
	const struct os_event *e = data;
	if (size < sizeof(*e))
		return 0;
	if (o->failed_only && e->ret >= 0)
		return 0;
	if (o->name && !strstr(e->comm, o->name))
		return 0;
	int fd = e->ret >= 0 ? (int)e->ret : -1, err = e->ret >= 0 ? 0 : (int)-e->ret;
	printf("%-6u %-16.16s %4d %3d %s\n", e->pid, e->comm, fd, err, e->path);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: opensnoop [-x] [-p PID] [-n NAME] [-d SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct os_config config = { 0 };
	long seconds = 0;
	int c;
	while ((c = getopt(argc, argv, "xp:n:d:")) != -1) {
		if (c == 'x')
			o.failed_only = 1;
		else if (c == 'p')
			config.tgid = (uint32_t)atoi(optarg);
		else if (c == 'n')
			o.name = optarg;
		else if (c == 'd')
			seconds = atol(optarg);
		else
			usage();
	}
	struct bpf_object obj;
	if (BPF_EMBEDDED_OPEN(&obj, opensnoop))
		return 1;
	/* open(2) is x86_64's older call; a system without it has only openat. */
	if (tracepoint_id("syscalls/sys_enter_open") < 0) {
		bpf_object_prog(&obj, "enter_open")->autoload = 0;
		bpf_object_prog(&obj, "exit_open")->autoload = 0;
	}
	if (tool_load("opensnoop", &obj))
		return 1;
	uint32_t zero = 0;
	bpf_map_update(bpf_object_map(&obj, "config")->fd, &zero, &config, BPF_ANY);
	if (tool_attach("opensnoop", &obj))
		return 1;
	char header[80];
	snprintf(header, sizeof(header), "%-6s %-16s %4s %3s %s", "PID", "COMM", "FD", "ERR", "PATH");
	return tool_stream(&obj, "events", print_event, &o, header, seconds);
}
