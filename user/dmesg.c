/*
 * dmesg: print the kernel's log (course section: the kernel's own tools).
 *
 * Asks the kernel how big its log is (syslog(2), SYSLOG_ACTION_SIZE_BUFFER),
 * reads it all (SYSLOG_ACTION_READ_ALL: the lines since the last clear, as
 * "<4>[    1.234567] text") and prints each line without its "<4>", the
 * record's priority, as util-linux's dmesg does.
 *
 * Usage: dmesg          the log
 *        dmesg -r       raw: with the priorities
 *        dmesg -c       the log, then clear it (later reads start after it)
 *        dmesg -C       clear it only
 *        dmesg -n LEVEL only messages below LEVEL reach the console (1: none)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

static int print_log(int action, int raw)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf = malloc(size > 0 ? (size_t)size : 1);
	if (size <= 0 || buf == NULL) {
		perror("dmesg: SYSLOG_ACTION_SIZE_BUFFER");
		return 1;
	}
	int n = klogctl(action, buf, size);
	if (n < 0) {
		perror("dmesg: read the kernel log");
		return 1;
	}
	for (char *line = buf; line < buf + n;) {
		char *end = memchr(line, '\n', buf + n - line);
		size_t len = end ? (size_t)(end - line) + 1 : (size_t)(buf + n - line);
		char *text = line;
		if (!raw && *text == '<' && (text = memchr(line, '>', len)) != NULL)
			text++;				/* drop "<4>" */
		else
			text = line;
		fwrite(text, 1, len - (size_t)(text - line), stdout);
		line += len;
	}
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int raw = 0, action = SYSLOG_ACTION_READ_ALL, opt;
	while ((opt = getopt(argc, argv, "rcCn:")) != -1) {
		switch (opt) {
		case 'r':
			raw = 1;
			break;
		case 'c':
			action = SYSLOG_ACTION_READ_CLEAR;
			break;
		case 'C':
			if (klogctl(SYSLOG_ACTION_CLEAR, NULL, 0) < 0) {
				perror("dmesg: clear");
				return 1;
			}
			return 0;
		case 'n':
			if (klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, atoi(optarg)) < 0) {
				perror("dmesg: console level");
				return 1;
			}
			return 0;
		default:
			fprintf(stderr, "usage: dmesg [-r] [-c | -C | -n LEVEL]\n");
			return 2;
		}
	}
	return print_log(action, raw);
}
