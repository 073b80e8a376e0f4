/*
 * perf: watch what a program does (course section: performance profiling
 * tools).
 *
 *     perf stat   [-e EVENT[,EVENT...]] CMD [ARGS...]   count     (stat.c)
 *     perf record [-e EVENT] [-F FREQ | -c PERIOD] [-g] [-o FILE] [--] CMD [ARGS...]
 *                                                        sample    (record.c)
 *     perf report [-i FILE] [--folded]                   summarise (report.c)
 *
 * The same subcommands as Linux's perf, with its output layouts, on
 * perf_event_open(2): stat reads counters, record maps each event's ring
 * and saves the records, report names the sampled addresses (symbols.c)
 * and sorts them by how much of the run they took.
 */
#include <stdio.h>
#include <string.h>

#include "perf.h"

static int usage(void)
{
	fprintf(stderr, "usage: perf stat [-e EVENT[,EVENT...]] COMMAND [ARGS...]\n"
			"       perf record [-e EVENT] [-F FREQ | -c PERIOD] [-g] [-o FILE] [--] COMMAND [ARGS...]\n"
			"       perf report [-i FILE] [--folded]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "stat"))
		return perf_stat_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "record"))
		return perf_record_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return perf_report_main(argc - 1, argv + 1);
	return usage();
}
