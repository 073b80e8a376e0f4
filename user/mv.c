/*
 * mv: move or rename files (course section: files).
 *
 * Within one filesystem a move is one rename(2): the kernel takes the name
 * out of one directory and puts it into another, and no byte of the file is
 * copied, however big it is. rename also replaces an existing target in
 * one step, so nobody ever sees the target missing. Between filesystems
 * (/tmp to /dev/shm, say) rename says EXDEV; GNU mv then copies and
 * deletes, this one says so and stops.
 *
 *   mv SOURCE DEST       mv SOURCE... DIRECTORY
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "into_dir.h"

static int move(const char *from, const char *to)
{
	if (rename(from, to) == 0)
		return 0;
	fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", from, to, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: mv SOURCE DEST, or mv SOURCE... DIRECTORY\n");
		return 1;
	}
	return for_each_into(argc, argv, move);
}
