/*
 * cat: copy files to standard output (course section: files).
 *
 * The whole program is the read/write loop that every Unix tool has at its
 * heart: read(2) up to a buffer's worth, write(2) it out, until read returns
 * 0 (end of file). With no file names, or "-", it copies standard input, so
 * it also works in a pipeline: `ls | cat`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Returns 0, or -1 after a message. write may write less than asked (to a
 * pipe, say), hence the inner loop. */
static int copy(int fd, const char *name)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));

			if (w < 0) {
				perror("cat: write");
				return -1;
			}
			done += w;
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(STDIN_FILENO, "-") < 0;
	for (int i = 1; i < argc; i++) {
		int fd = STDIN_FILENO;

		if (strcmp(argv[i], "-") != 0) {
			fd = open(argv[i], O_RDONLY);
			if (fd < 0) {
				fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
				status = 1;
				continue;
			}
		}
		if (copy(fd, argv[i]) < 0)
			status = 1;
		if (fd != STDIN_FILENO)
			close(fd);
	}
	return status;
}
