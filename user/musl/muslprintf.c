/*
 * A program built by musl-gcc -static, as any Linux program would be
 * (course section: the Linux ABI).
 *
 * musl's start-up code sets up thread-local storage (arch_prctl), asks for
 * its thread id (set_tid_address), and its printf writes with writev after
 * checking whether stdout is a terminal (ioctl TIOCGWINSZ). Running it
 * unchanged on sysgate, with the same output as on Linux, checks all of
 * that against the real thing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

int main(int argc, char **argv)
{
	printf("musl: %d arguments\n", argc - 1);
	for (int i = 1; i < argc; i++)
		printf("musl: argv[%d] = \"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	printf("musl: %5d|%-5d|%05d|%x|%#o|%lld|%s|%c\n", 42, 42, 42, 255, 8, -1234567890123LL, "str", 'c');
	char *p = malloc(100000);
	memset(p, 'x', 100000);
	printf("musl: malloc gave %s\n", p && p[99999] == 'x' ? "usable memory" : "nothing");
	free(p);
	struct utsname u;
	printf("musl: uname %s\n", uname(&u) == 0 && !strcmp(u.machine, "x86_64") ? "x86_64" : "failed");
	struct timespec ts;
	printf("musl: clock %s\n", clock_gettime(CLOCK_MONOTONIC, &ts) == 0 ? "works" : "failed");
	fflush(stdout);
	return 5;
}
