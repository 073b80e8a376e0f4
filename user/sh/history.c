/*
 * sh: the history of the lines typed (course section: processes).
 *
 * Kept for the session only, in the shell's memory: the last HISTORY_MAX
 * lines, oldest first. Up and Down in lineedit.c walk it; the history
 * builtin prints it numbered, as bash does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

#define HISTORY_MAX 100

static char *lines[HISTORY_MAX];
static int count;		/* lines kept, at most HISTORY_MAX */
static int first_number = 1;	/* the number `history` shows for lines[0] */

void history_add(const char *line)
{
	char *copy;

	if (count > 0 && strcmp(lines[count - 1], line) == 0)
		return;			/* the same command again: keep one */
	copy = strdup(line);
	if (copy == NULL)
		return;
	if (count == HISTORY_MAX) {	/* full: forget the oldest */
		free(lines[0]);
		memmove(lines, lines + 1, (HISTORY_MAX - 1) * sizeof(lines[0]));
		count--;
		first_number++;
	}
	lines[count++] = copy;
}

const char *history_get(int back)
{
	return back >= 1 && back <= count ? lines[count - back] : NULL;
}

int history_count(void)
{
	return count;
}

int builtin_history(struct command *c)
{
	(void)c;
	for (int i = 0; i < count; i++)
		printf("%5d  %s\n", first_number + i, lines[i]);
	return 0;
}
