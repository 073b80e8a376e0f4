/*
 * bpfdemo: printf from inside the kernel (course section: eBPF, the
 * revolution in kernel programming).
 *
 *     bpfdemo [-c COUNT] [-d SECONDS]
 *
 * loads user/bpf/bpfdemo.bpf.c, whose program runs at every execve and
 * calls bpf_trace_printk, then copies the lines it wrote from
 * /sys/kernel/tracing/trace_pipe to stdout, in trace_pipe's format:
 *
 *     sh-31     [000] .....    52.123456: bpf_trace_printk: bpfdemo: pid 57 (sh) calls execve
 *
 * until COUNT lines were shown, SECONDS passed, or Ctrl-C. Run a command
 * from another shell (or `bpfdemo &` then `ls`) to see one.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/bpflib/bpflib.h"

BPF_EMBEDDED(bpfdemo);

#define TRACE_PIPE "/sys/kernel/tracing/trace_pipe"
#define LINE_MAX_LEN 1024

/* Prints the complete lines of buf that are ours; keeps a partial last line. */
static long take_lines(char *buf, long len, long *shown)
{
	char *start = buf, *nl;
	while ((nl = memchr(start, '\n', (size_t)(buf + len - start))) != NULL) {
		*nl = 0;
		if (strstr(start, "bpfdemo: ")) {
			printf("%s\n", start);
			(*shown)++;
		}
		start = nl + 1;
	}
	long rest = buf + len - start;
	memmove(buf, start, (size_t)rest);
	return rest == LINE_MAX_LEN ? 0 : rest; /* a line too long: dropped */
}

int main(int argc, char **argv)
{
	long count = 0, seconds = 0, shown = 0;
	int c;
	while ((c = getopt(argc, argv, "c:d:")) != -1) {
		if (c == 'c')
			count = atol(optarg);
		else if (c == 'd')
			seconds = atol(optarg);
		else {
			fprintf(stderr, "usage: bpfdemo [-c COUNT] [-d SECONDS]\n");
			return 2;
		}
	}
	int fd = open(TRACE_PIPE, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "bpfdemo: %s: %s\n", TRACE_PIPE, strerror(errno));
		return 1;
	}
	struct bpf_object obj;
	if (BPF_EMBEDDED_OPEN(&obj, bpfdemo) || tool_load("bpfdemo", &obj) || tool_attach("bpfdemo", &obj)) {
		close(fd);
		return 1;
	}
	tool_catch_signals();
	printf("Tracing execve with bpf_trace_printk... Hit Ctrl-C to end.\n");
	fflush(stdout);
	static char buf[LINE_MAX_LEN];
	long len = 0;
	uint64_t end = tool_deadline(seconds);
	while (tool_running(end) && (!count || shown < count)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		long n = read(fd, buf + len, sizeof(buf) - (size_t)len);
		if (n > 0)
			len = take_lines(buf, len + n, &shown);
		fflush(stdout);
	}
	bpf_object_close(&obj);
	close(fd);
	return 0;
}
