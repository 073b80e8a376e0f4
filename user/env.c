/*
 * env: show the environment, or run a program in a changed one (course
 * section: processes).
 *
 * The environment is a list of "NAME=value" strings that execve passes from
 * a program to the next, like argv. libc keeps it in `environ`.
 *   env                    prints it
 *   env A=1 B=2 cmd args   adds A and B, then runs cmd with them
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && strchr(argv[i], '='); i++) {
		if (putenv(argv[i]) < 0) {
			perror("env");
			return 125;
		}
	}
	if (i == argc) {
		for (char **e = environ; *e; e++)
			puts(*e);
		return 0;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
	return 127;
}
