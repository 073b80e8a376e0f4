/*
 * sysctl_printk: /proc/sys/kernel/printk (course section: observability).
 *
 * Four numbers, tab-separated: the console's level, the default message
 * level, the lowest console level allowed, the default console level. Root
 * writes one to four of them; the first is the level syslog(2)'s
 * CONSOLE_LEVEL (dmesg -n) sets. Not a number: EINVAL; a bad buffer:
 * EFAULT; a user other than root cannot open it for writing (EACCES). The
 * levels are put back as they were at the end (on Linux too).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "testlib.h"

#define PRINTK "/proc/sys/kernel/printk"

static const char *read_printk(void)
{
	static char buf[128];
	int fd = open(PRINTK, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = 0;
	if (fd >= 0)
		close(fd);
	return buf;
}

static long write_printk(const void *text, size_t n)
{
	int fd = open(PRINTK, O_WRONLY);
	if (fd < 0)
		return -1;
	long r = write(fd, text, n);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static void levels(void)
{
	char original[128];
	strcpy(original, read_printk());
	long v[4];
	char *p = original;
	int tabs = 0;
	for (int i = 0; i < 4; i++) {
		v[i] = strtol(p, &p, 10);
		tabs += *p == (i < 3 ? '\t' : '\n');
		p++;
	}
	check("four numbers, tab-separated, then a newline", tabs == 4 && !*p, "got '%s'", original);
	long b = v[1], c = v[2], d = v[3];
	check_eq("write one number", write_printk("3\n", 2), 2);
	char want[128];
	snprintf(want, sizeof(want), "3\t%ld\t%ld\t%ld\n", b, c, d);
	check("... sets only the first", !strcmp(read_printk(), want), "got '%s'", read_printk());
	check_eq("write four numbers", write_printk("5 4 1 7", 7), 7);
	check("... sets all four", !strcmp(read_printk(), "5\t4\t1\t7\n"), "got '%s'", read_printk());
	check_ok("syslog CONSOLE_LEVEL 6", klogctl(8, NULL, 6));
	check("... is the first number", !strcmp(read_printk(), "6\t4\t1\t7\n"), "got '%s'", read_printk());
	check_errno("not a number: EINVAL", write_printk("abc\n", 4), EINVAL);
	check_errno("a bad buffer: EFAULT", write_printk((void *)8, 4), EFAULT);
	check("... and the levels are as they were", !strcmp(read_printk(), "6\t4\t1\t7\n"), "got '%s'",
	      read_printk());

	pid_t child = t_fork();
	if (child == 0) {
		if (setuid(1000) < 0)
			_exit(2);
		int fd = open(PRINTK, O_WRONLY);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	check_exited("another user: open for writing is EACCES", t_wait(child, T_WAIT_TICKS), 0);

	write_printk(original, strlen(original));
	check("the levels are put back", !strcmp(read_printk(), original), "got '%s'", read_printk());
}

int main(void)
{
	t_begin("sysctl_printk");
	t_group("levels", levels);
	return t_end();
}
