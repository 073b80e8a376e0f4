/*
 * runqlat: how long runnable tasks wait for a CPU (course section:
 * advanced eBPF tracing), as bcc's runqlat prints it:
 *
 *     Tracing run queue latency... Hit Ctrl-C to end.
 *          usecs               : count     distribution
 *              0 -> 1          : 12       |*****                                   |
 *              2 -> 3          : 88       |****************************************|
 *
 *     runqlat [-m] [INTERVAL [COUNT]]
 *
 * -m: milliseconds instead of microseconds. With INTERVAL, a histogram
 * every INTERVAL seconds (COUNT times, or until Ctrl-C), each one starting
 * from zero; without, one at Ctrl-C. The measuring is done in the kernel
 * by user/bpf/runqlat.bpf.c on the scheduler's tracepoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/bpf/runqlat.h"
#include "user/bpflib/bpflib.h"

BPF_EMBEDDED(runqlat);

static void usage(void)
{
	fprintf(stderr, "usage: runqlat [-m] [INTERVAL [COUNT]]\n");
	exit(2);
}

/* Prints the histogram and empties it for the next interval. */
static void print_and_clear(int fd, const char *unit)
{
	uint64_t slots[LOG2_SLOTS] = { 0 }, zero = 0;
	for (uint32_t i = 0; i < LOG2_SLOTS; i++) {
		bpf_map_lookup(fd, &i, &slots[i]);
		bpf_map_update(fd, &i, &zero, BPF_ANY);
	}
	print_log2_hist(slots, unit);
}

int main(int argc, char **argv)
{
	struct rq_config config = { .unit_ns = 1000 };
	const char *unit = "usecs";
	int c;
	while ((c = getopt(argc, argv, "m")) != -1) {
		if (c != 'm')
			usage();
		config.unit_ns = 1000000;
		unit = "msecs";
	}
	long interval = optind < argc ? atol(argv[optind]) : 0;
	long count = optind + 1 < argc ? atol(argv[optind + 1]) : -1;
	struct bpf_object obj;
	if (BPF_EMBEDDED_OPEN(&obj, runqlat))
		return 1;
	if (tracepoint_id("sched/sched_wakeup_new") < 0)
		bpf_object_prog(&obj, "wakeup_new")->autoload = 0;
	if (tool_load("runqlat", &obj))
		return 1;
	uint32_t zero = 0;
	bpf_map_update(bpf_object_map(&obj, "config")->fd, &zero, &config, BPF_ANY);
	if (tool_attach("runqlat", &obj))
		return 1;
	tool_catch_signals();
	printf("Tracing run queue latency... Hit Ctrl-C to end.\n");
	fflush(stdout);
	int fd = bpf_object_map(&obj, "hist")->fd;
	do {
		uint64_t end = tool_deadline(interval);
		while (tool_running(end))
			usleep(100 * 1000);
		printf("\n");
		print_and_clear(fd, unit);
		fflush(stdout);
	} while (interval > 0 && !tool_exiting && --count != 0);
	bpf_object_close(&obj);
	return 0;
}
