/*
 * syscount: how many times each syscall was called, and how long the
 * calls took (course section: advanced eBPF tracing), in the layout of
 * bcc's syscount:
 *
 *     SYSCALL                   COUNT        TIME (us)
 *     write                         7           31.518
 *
 *     syscount [-L] [-p PID] [-d SECONDS] [-T TOP] [-- CMD [ARGS...]]
 *
 * -L: the time spent in each syscall, and a histogram of how long single
 * calls took (log2 slots of nanoseconds); -p: only that process; -d: stop
 * after that many seconds (else at Ctrl-C); -T: how many syscalls to list
 * (10; 0 for all). With a command: run it and count its syscalls only,
 * until it exits. The counting is done in the kernel by
 * user/bpf/syscount.bpf.c; this program reads its maps at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscall_info.c"
#include "user/bpf/syscount.h"
#include "user/bpflib/bpflib.h"

BPF_EMBEDDED(syscount);

struct options {
	int latency, top;
	long seconds;
	uint32_t pid;
	char **command;
};

static void usage(void)
{
	fprintf(stderr, "usage: syscount [-L] [-p PID] [-d SECONDS] [-T TOP] [-- CMD [ARGS...]]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct options *o)
{
	int c;
	o->top = 10;
	while ((c = getopt(argc, argv, "Lp:d:T:")) != -1) {
		if (c == 'L')
			o->latency = 1;
		else if (c == 'p')
			o->pid = (uint32_t)atoi(optarg);
		else if (c == 'd')
			o->seconds = atol(optarg);
		else if (c == 'T')
			o->top = atoi(optarg);
		else
			usage();
	}
	if (optind < argc)
		o->command = &argv[optind];
}

static struct sc_stat stats[SC_MAX_NR];
static int order[SC_MAX_NR];

static const char *name_of(int nr)
{
	static char unknown[24];
	if (nr < NR_SYSCALLS && syscall_info[nr].name)
		return syscall_info[nr].name;
	snprintf(unknown, sizeof(unknown), "[unknown: %d]", nr);
	return unknown;
}

/* Largest first: by time with -L, else by count (insertion sort: 512 at most). */
static int sort_stats(int by_time)
{
	int n = 0;
	for (int nr = 0; nr < SC_MAX_NR; nr++) {
		if (!stats[nr].count)
			continue;
		int k = n++;
		for (; k > 0; k--) {
			const struct sc_stat *a = &stats[nr], *b = &stats[order[k - 1]];
			if (by_time ? a->ns <= b->ns : a->count <= b->count)
				break;
			order[k] = order[k - 1];
		}
		order[k] = nr;
	}
	return n;
}

static void print_report(struct bpf_object *obj, const struct options *o)
{
	int fd = bpf_object_map(obj, "stats")->fd;
	for (uint32_t nr = 0; nr < SC_MAX_NR; nr++)
		if (bpf_map_lookup(fd, &nr, &stats[nr]))
			memset(&stats[nr], 0, sizeof(stats[nr]));
	int n = sort_stats(o->latency);
	if (o->top > 0 && n > o->top)
		n = o->top;
	printf(o->latency ? "%-22s %8s %16s\n" : "%-22s %8s\n", "SYSCALL", "COUNT", "TIME (us)");
	for (int i = 0; i < n; i++) {
		const struct sc_stat *s = &stats[order[i]];
		printf("%-22s %8llu", name_of(order[i]), (unsigned long long)s->count);
		if (o->latency)
			printf(" %12llu.%03llu", (unsigned long long)(s->ns / 1000), (unsigned long long)(s->ns % 1000));
		printf("\n");
	}
	if (!o->latency)
		return;
	uint64_t slots[LOG2_SLOTS] = { 0 };
	int hfd = bpf_object_map(obj, "hist")->fd;
	for (uint32_t i = 0; i < LOG2_SLOTS; i++)
		bpf_map_lookup(hfd, &i, &slots[i]);
	printf("\n");
	print_log2_hist(slots, "nsecs");
}

/* The first pair of programs (syscount.bpf.c) this kernel can attach. */
static const char *const pairs[][2] = {
	{ "tp_enter", "tp_exit" },     /* raw_syscalls tracepoints */
	{ "raw_enter", "raw_exit" },   /* raw tracepoints */
	{ "each_enter", "each_exit" }, /* every syscalls:sys_enter_NAME / sys_exit_NAME */
};

static int choose_pair(void)
{
	if (tracepoint_id("raw_syscalls/sys_enter") >= 0 && tracepoint_id("raw_syscalls/sys_exit") >= 0)
		return 0;
	if (raw_tracepoint_available("sys_enter") && raw_tracepoint_available("sys_exit"))
		return 1;
	return 2;
}

static int start(struct bpf_object *obj, const struct options *o)
{
	if (BPF_EMBEDDED_OPEN(obj, syscount))
		return -1;
	int chosen = choose_pair();
	for (int i = 0; i < obj->n_progs; i++)
		obj->progs[i].autoload = 0;
	bpf_object_prog(obj, pairs[chosen][0])->autoload = 1;
	bpf_object_prog(obj, pairs[chosen][1])->autoload = 1;
	if (tool_load("syscount", obj))
		return -1;
	uint32_t zero = 0;
	struct sc_config config = { .tgid = o->pid };
	bpf_map_update(bpf_object_map(obj, "config")->fd, &zero, &config, BPF_ANY);
	return tool_attach("syscount", obj);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	parse(argc, argv, &o);
	struct bpf_object obj;
	int release = -1;
	pid_t child = 0;
	if (o.command) {
		child = tool_spawn_held(o.command, &release);
		if (child < 0) {
			perror("syscount: fork");
			return 1;
		}
		o.pid = (uint32_t)child;
	}
	if (start(&obj, &o)) {
		if (child > 0)
			close(release); /* the child sees end of file and leaves */
		return 1;
	}
	tool_catch_signals();
	if (child > 0) {
		tool_release(release);
		int status;
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		printf("Tracing syscalls, printing top %d... Ctrl+C to quit.\n", o.top);
		fflush(stdout);
		uint64_t end = tool_deadline(o.seconds);
		while (tool_running(end))
			usleep(100 * 1000);
	}
	print_report(&obj, &o);
	bpf_object_close(&obj);
	return 0;
}
