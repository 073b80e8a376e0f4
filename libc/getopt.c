/*
 * C library: command-line options (course section: processes).
 *
 * getopt walks argv one option letter at a time. "-la" is two options, l
 * and a; if optstring has "o:", then -o takes an argument, either glued on
 * ("-ofile") or the next word ("-o file"), and getopt leaves it in optarg.
 * Options stop at the first word that does not start with '-', at a lone
 * "-" (which usually means stdin), and after "--" (skipped). Then optind is
 * the index of the first operand.
 *
 * Mistakes return '?' (with the letter in optopt) after a message on
 * stderr, unless opterr is 0 or optstring starts with ':', which also makes
 * a missing argument return ':' instead of '?'.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

/* Where we are inside a word of grouped options like "-la": its next letter. */
static const char *next;

int getopt(int argc, char *const argv[], const char *optstring)
{
	int quiet = optstring[0] == ':';
	const char *spec;
	int c;

	optarg = NULL;
	if (next == NULL || *next == '\0') {	/* start a new word */
		if (optind >= argc || argv[optind][0] != '-' || argv[optind][1] == '\0')
			return -1;
		if (strcmp(argv[optind], "--") == 0) {
			optind++;
			return -1;
		}
		next = argv[optind] + 1;
	}
	c = (unsigned char)*next++;
	spec = c == ':' ? NULL : strchr(optstring + quiet, c);
	if (*next == '\0') {			/* that was the word's last letter */
		optind++;
		next = NULL;
	}
	if (spec == NULL) {
		optopt = c;
		if (opterr && !quiet)
			fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
		return '?';
	}
	if (spec[1] == ':') {			/* it takes an argument */
		if (next) {			/* the rest of this word: "-ofile" */
			optarg = (char *)next;
			optind++;
			next = NULL;
		} else if (optind < argc) {	/* the next word: "-o file" */
			optarg = argv[optind++];
		} else {
			optopt = c;
			if (quiet)
				return ':';
			if (opterr)
				fprintf(stderr, "%s: option requires an argument -- '%c'\n",
					argv[0], c);
			return '?';
		}
	}
	return c;
}
