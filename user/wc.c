/*
 * wc: count lines, words and bytes (course section: files).
 *
 * Reads each file (or standard input) in blocks and counts as it goes, so a
 * file of any size needs only one buffer. A word is a run of characters
 * that are not white space. -l, -w, -c choose the columns (default: all
 * three); with several files a total line follows.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
	long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;
static int width = 7; /* of each column; 1 for a lone count, as GNU wc prints it */

static int count(int fd, struct counts *c)
{
	char buf[4096];
	int in_word = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c->bytes += n;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)buf[i];

			if (ch == '\n')
				c->lines++;
			if (isspace(ch)) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;	/* the first character of a word */
				c->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

static void show(const struct counts *c, const char *name)
{
	const char *sep = "";

	if (show_lines)
		printf("%*ld", width, c->lines), sep = " ";
	if (show_words)
		printf("%s%*ld", sep, width, c->words), sep = " ";
	if (show_bytes)
		printf("%s%*ld", sep, width, c->bytes);
	printf(*name ? " %s\n" : "\n", name);
}

int main(int argc, char **argv)
{
	struct counts total = { 0 };
	int opt, status = 0, nfiles;

	while ((opt = getopt(argc, argv, "lwc")) != -1) {
		switch (opt) {
		case 'l': show_lines = 1; break;
		case 'w': show_words = 1; break;
		case 'c': show_bytes = 1; break;
		default:
			fprintf(stderr, "usage: wc [-lwc] [file...]\n");
			return 1;
		}
	}
	if (!show_lines && !show_words && !show_bytes)
		show_lines = show_words = show_bytes = 1;
	nfiles = argc - optind;
	if (show_lines + show_words + show_bytes == 1 && nfiles <= 1)
		width = 1;	/* `ls | wc -l` prints just the number */
	if (nfiles == 0) {
		struct counts c = { 0 };

		if (count(STDIN_FILENO, &c) < 0) {
			perror("wc");
			return 1;
		}
		show(&c, "");
		return 0;
	}
	for (int i = optind; i < argc; i++) {
		struct counts c = { 0 };
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0 || count(fd, &c) < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		} else {
			show(&c, argv[i]);
			total.lines += c.lines;
			total.words += c.words;
			total.bytes += c.bytes;
		}
		if (fd >= 0)
			close(fd);
	}
	if (nfiles > 1)
		show(&total, "total");
	return status;
}
