/*
 * echo: print the arguments (course section: processes).
 *
 * The shell has already split the command line into words and removed the
 * quotes; the kernel copied those words onto our new stack (argv). echo only
 * joins them with spaces. -n leaves out the final newline.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int newline = 1, i = 1;

	if (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		putchar('\n');
	return 0;
}
