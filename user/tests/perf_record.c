/*
 * perf record and perf report: a profile names the hot function (course
 * section: performance profiling tools).
 *
 * The test records itself: `perf record -g -- THIS --spin` runs this
 * program again, spending most of its time in hot_spin(), called from
 * spin_caller(). Then `perf report` must put hot_spin first with most of
 * the samples, in this program's file, marked [.]; `perf report --folded`
 * must hold a chain from main to hot_spin. (hot_spin is a leaf that sets up
 * no frame, so a frame-pointer walk from inside it finds spin_caller's
 * frame and goes on from its caller: Linux's perf shows main;hot_spin too.)
 * The same binaries (our /bin/perf and this test) run on the host Linux
 * and on sysgate.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "lib/testlib.h"

#define DATA "/tmp/perf_record_test.data"
#define SPIN_MS 300

static volatile unsigned long sink;

/* Read a task-clock counter: CPU time, whatever the host's load. */
static uint64_t cpu_ns(int fd)
{
	uint64_t v = 0;
	read(fd, &v, sizeof(v));
	return v;
}

static __attribute__((noinline)) void hot_spin(void)
{
	for (int i = 0; i < 200000; i++)
		sink += (unsigned long)i * i;
}

static __attribute__((noinline)) void spin_caller(int clock)
{
	while (cpu_ns(clock) < SPIN_MS * 1000000ull)
		hot_spin();
}

static int spin(void)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	int clock = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	spin_caller(clock);
	return 0;
}

/* Run perf with args; its stdout (and stderr, if err) into text. Returns the status. */
static int run_perf(const char *perf, char *const *args, char *text, size_t size, char *err, size_t esize)
{
	int out[2], errp[2];
	pipe(out);
	pipe(errp);
	pid_t c = t_fork();
	if (c == 0) {
		dup2(out[1], 1);
		dup2(errp[1], 2);
		close(out[0]);
		close(errp[0]);
		execv(perf, args);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	size_t n = 0, m = 0;
	long k;
	struct pollfd p[2] = { { out[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
	int open_fds = 2;
	while (open_fds > 0 && poll(p, 2, -1) > 0) {
		for (int i = 0; i < 2; i++) {
			if (!p[i].revents)
				continue;
			char *buf = i ? err : text;
			size_t *len = i ? &m : &n, cap = (i ? esize : size) - 1;
			char scratch[512];
			k = read(p[i].fd, *len < cap ? buf + *len : scratch, *len < cap ? cap - *len : sizeof(scratch));
			if (k <= 0) {
				p[i].fd = -1;
				open_fds--;
			} else if (*len < cap) {
				*len += (size_t)k;
			}
		}
	}
	text[n] = 0;
	err[m] = 0;
	close(out[0]);
	close(errp[0]);
	return t_wait(c, T_WAIT_TICKS * 4);
}

/* The first line of the table: "   87.10%  comm  dso  [.] symbol". */
static const char *first_row(const char *text, long *percent)
{
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (*line == '#' || *line == '\n')
			continue;
		*percent = strtol(line, NULL, 10);
		return line;
	}
	return NULL;
}

static void test_record_report(const char *perf)
{
	static char text[65536], err[8192];
	char *rec[] = { (char *)perf, "record", "-g", "-o", DATA, "--", (char *)t_self(), "--spin", NULL };
	int st = run_perf(perf, rec, text, sizeof(text), err, sizeof(err));
	check_exited("perf record -g -- THIS --spin: the command's status", st, 0);
	check("perf record: its summary line", strstr(err, "[ perf record: Captured and wrote ") != NULL, "%s", err);
	char magic[9] = { 0 };
	int fd = open(DATA, O_RDONLY);
	read(fd, magic, 8);
	close(fd);
	check("perf.data begins with PERFILE2 (Linux's pipe-mode header)", !strcmp(magic, "PERFILE2"), "%s", magic);

	char *rep[] = { (char *)perf, "report", "-i", DATA, NULL };
	st = run_perf(perf, rep, text, sizeof(text), err, sizeof(err));
	check_exited("perf report: status", st, 0);
	check("perf report: the header names the event", strstr(text, "of event 'cpu-clock'") != NULL, "%s", text);
	long percent = 0;
	const char *row = first_row(text, &percent);
	char line[300] = "";
	if (row)
		snprintf(line, sizeof(line), "%.*s", (int)strcspn(row, "\n"), row);
	check("perf report: the hottest row is [.] hot_spin", strstr(line, "[.] hot_spin") != NULL, "%s", line);
	check("perf report: hot_spin took most of the samples", percent >= 50, "%ld%%", percent);
	check("perf report: in this program's file", strstr(line, " perf_record ") != NULL, "%s", line);

	char *fold[] = { (char *)perf, "report", "-i", DATA, "--folded", NULL };
	st = run_perf(perf, fold, text, sizeof(text), err, sizeof(err));
	check_exited("perf report --folded: status", st, 0);
	check("--folded: a chain _start;...;main;...hot_spin COUNT", strstr(text, ";main;hot_spin ") ||
	      strstr(text, ";main;spin_caller;hot_spin ") || strstr(text, ";spin_caller;hot_spin "), "%.600s", text);
	check("--folded: the chains begin with the command's name", !strncmp(text, "perf_record;", 12), "%.100s", text);
	unlink(DATA);

	char *bad[] = { (char *)perf, "report", "-i", "/proc/self/status", NULL };
	st = run_perf(perf, bad, text, sizeof(text), err, sizeof(err));
	check_exited("perf report of a file that is not perf.data: status 1", st, 1);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--spin"))
		return spin();
	t_set_self(argv);
	t_begin("perf_record");
	char perf[4200];
	if (on_sysgate()) {
		strcpy(perf, "/bin/perf");
	} else {
		snprintf(perf, sizeof(perf), "%s", t_self());
		if (!strstr(perf, "/tests/")) {
			t_skip("perf record", "cannot find build/user/perf from %s", perf);
			return t_end();
		}
		strcpy(strstr(perf, "/tests/"), "/perf");
	}
	test_record_report(perf);
	return t_end();
}
