/*
 * C library: reading a line of any length (course section: the C library on
 * raw syscalls).
 *
 * fgets needs a buffer big enough for the line, and cuts the line if it is
 * not. getline grows a heap buffer instead (doubling it, so a long line costs
 * few reallocations), and reuses it from one call to the next:
 *     char *line = NULL; size_t cap = 0;
 *     while (getline(&line, &cap, stdin) > 0) ...
 *     free(line);
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

ssize_t getdelim(char **line, size_t *n, int delim, FILE *f)
{
	size_t len = 0;
	int c;

	if (line == NULL || n == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (*line == NULL)
		*n = 0;
	do {
		c = fgetc(f);
		if (c == EOF)
			break;
		if (len + 2 > *n) {		/* room for c and the NUL */
			size_t size = *n ? *n * 2 : 128;
			char *p = realloc(*line, size);

			if (p == NULL)
				return -1;	/* errno is ENOMEM; *line is still valid */
			*line = p;
			*n = size;
		}
		(*line)[len++] = (char)c;
	} while (c != delim);
	if (len == 0)
		return -1;			/* end of file (or error) before any byte */
	(*line)[len] = '\0';
	return (ssize_t)len;
}

ssize_t getline(char **line, size_t *n, FILE *f)
{
	return getdelim(line, n, '\n', f);
}
