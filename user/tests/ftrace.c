/*
 * The function tracer through tracefs (course section: kernel debugging
 * techniques).
 *
 * sysgate only, and only in a kernel built with FTRACE=1 (`make FTRACE=1
 * BUILD=build-ftrace` and SYSGATE_BUILD=build-ftrace tools/test.sh sysgate
 * ftrace): the host Linux forbids the function tracer to the tests, and
 * the default kernel has no call sites (available_tracers says just nop).
 * With the filter on sys_getpid, a getpid shows the line Linux prints,
 * "sys_getpid <-PARENT"; globs match and "!" takes away; notrace wins over
 * the filter; `echo nop` puts the nops back and the trace stops growing;
 * with every function traced, the kernel's own calls for one getpid show.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/perflib.h"
#include "lib/testlib.h"

#define TRACING "/sys/kernel/tracing/"
#define TEXT_MAX (256 * 1024)

static char text[TEXT_MAX];

static long write_file(const char *name, const char *s, int flags)
{
	int fd = open(name, O_WRONLY | flags);
	if (fd < 0)
		return -1;
	long r = write(fd, s, strlen(s));
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

static int read_file(const char *name)
{
	int fd = open(name, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = 0, k;
	while (n < TEXT_MAX - 1 && (k = read(fd, text + n, TEXT_MAX - 1 - n)) > 0)
		n += k;
	text[n] = 0;
	close(fd);
	return (int)n;
}

static int count_lines_with(const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_filtered(void)
{
	check("available_filter_functions lists sys_getpid", read_file(TRACING "available_filter_functions") > 0 &&
	      strstr(text, "\nsys_getpid\n"), "no sys_getpid");
	check("set_ftrace_filter, empty: all functions", read_file(TRACING "set_ftrace_filter") > 0 &&
	      !strcmp(text, "#### all functions enabled ####\n"), "%s", text);
	check_ok("set_ftrace_filter: sys_getpid", write_file(TRACING "set_ftrace_filter", "sys_getpid", O_TRUNC));
	check_errno("a glob matching nothing: EINVAL", write_file(TRACING "set_ftrace_filter", "no_such_fn*", O_APPEND), EINVAL);
	check_ok("current_tracer: function", write_file(TRACING "current_tracer", "function\n", O_TRUNC));
	read_file(TRACING "current_tracer");
	check("current_tracer reads function", !strcmp(text, "function\n"), "%s", text);
	write_file(TRACING "trace", "", O_TRUNC);
	for (int i = 0; i < 5; i++)
		syscall(SYS_getpid);
	read_file(TRACING "trace");
	write_file(TRACING "current_tracer", "nop", O_TRUNC);
	check("the trace header: # tracer: function", !strncmp(text, "# tracer: function\n", 19), "%.80s", text);
	check_eq("5 getpid: 5 lines sys_getpid <-...", count_lines_with(": sys_getpid <-"), 5);
	check("the caller is named", strstr(text, ": sys_getpid <-syscall_dispatch") != NULL, "%.300s", text);
	write_file(TRACING "trace", "", O_TRUNC);
	syscall(SYS_getpid);
	read_file(TRACING "trace");
	check_eq("current_tracer nop: the nops are back, nothing traced", count_lines_with(": sys_getpid <-"), 0);
}

static void test_globs(void)
{
	check_ok("set_ftrace_filter: sys_get*", write_file(TRACING "set_ftrace_filter", "sys_get*", O_TRUNC));
	read_file(TRACING "set_ftrace_filter");
	check("it holds sys_getpid and sys_getppid", strstr(text, "sys_getpid\n") && strstr(text, "sys_getppid\n"), "%s", text);
	check_ok("!sys_getppid", write_file(TRACING "set_ftrace_filter", "!sys_getppid", O_APPEND));
	read_file(TRACING "set_ftrace_filter");
	check("sys_getppid taken away", strstr(text, "sys_getpid\n") && !strstr(text, "sys_getppid\n"), "%s", text);
	check_ok("set_ftrace_notrace: sys_getpid", write_file(TRACING "set_ftrace_notrace", "sys_getpid", O_TRUNC));
	write_file(TRACING "trace", "", O_TRUNC);
	write_file(TRACING "current_tracer", "function", O_TRUNC);
	syscall(SYS_getpid);
	syscall(SYS_getuid);
	write_file(TRACING "current_tracer", "nop", O_TRUNC);
	read_file(TRACING "trace");
	check_eq("notrace wins over the filter", count_lines_with(": sys_getpid <-"), 0);
	check("a filtered function still traced (sys_getuid)", count_lines_with(": sys_getuid <-") >= 1, "%.300s", text);
	write_file(TRACING "set_ftrace_notrace", "", O_TRUNC);
	write_file(TRACING "set_ftrace_filter", "", O_TRUNC);
}

/* Everything: what one getpid does in the kernel. */
static void test_all_functions(void)
{
	write_file(TRACING "trace", "", O_TRUNC);
	check_ok("every function traced", write_file(TRACING "current_tracer", "function", O_TRUNC));
	syscall(SYS_getpid);
	write_file(TRACING "current_tracer", "nop", O_TRUNC);
	read_file(TRACING "trace");
	check("the kernel's own calls appear (sys_getpid among many)", count_lines_with(": sys_getpid <-") >= 1 &&
	      count_lines_with(" <-") > 5, "%.300s", text);
	check_errno("an unknown tracer: EINVAL", write_file(TRACING "current_tracer", "blk", O_TRUNC), EINVAL);
}

/* --measure (ICOUNT=1): getpid with idle sites, with sys_getpid traced, and
 * how many traced functions one getpid passes through. */
static int measure(void)
{
	uint64_t idle = getpid_cost();
	write_file(TRACING "set_ftrace_filter", "sys_getpid", O_TRUNC);
	write_file(TRACING "current_tracer", "function", O_TRUNC);
	uint64_t one = getpid_cost();
	write_file(TRACING "current_tracer", "nop", O_TRUNC);
	write_file(TRACING "set_ftrace_filter", "", O_TRUNC);
	write_file(TRACING "trace", "", O_TRUNC);
	write_file(TRACING "current_tracer", "function", O_TRUNC);
	syscall(SYS_getpid);
	write_file(TRACING "current_tracer", "nop", O_TRUNC);
	read_file(TRACING "trace");
	printf("getpid_cycles=%lu\ngetpid_sys_getpid_traced_cycles=%lu\n", (unsigned long)idle, (unsigned long)one);
	printf("%s", text);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--measure"))
		return measure();
	t_set_self(argv);
	t_begin("ftrace");
	if (!on_sysgate()) {
		t_skip("function tracer", "the host Linux forbids the function tracer to the tests (sysgate only)");
		return t_end();
	}
	read_file(TRACING "available_tracers");
	if (!strstr(text, "function")) {
		t_skip("function tracer", "this kernel was built without FTRACE=1 (no call sites)");
		check_errno("current_tracer function without sites: EINVAL",
			    write_file(TRACING "current_tracer", "function", O_TRUNC), EINVAL);
		return t_end();
	}
	test_filtered();
	test_globs();
	test_all_functions();
	return t_end();
}
