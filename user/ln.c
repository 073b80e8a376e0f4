/*
 * ln: give a file another name (course section: files).
 *
 * A name in a directory is only a pointer to an inode; link(2) adds a
 * second pointer to the same inode. Both names are then equal: neither is
 * "the original", st_nlink counts them, and the file's bytes are freed only
 * when the last name is removed and the last descriptor closed.
 *
 * With -s, symlink(2) makes a symbolic link instead: a new small file whose
 * contents is the path TARGET, read again each time the link is followed.
 * It is not counted in the target's st_nlink, and it may name nothing.
 *
 *   ln [-s] TARGET LINK_NAME       ln [-s] TARGET... DIRECTORY
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "into_dir.h"

static int make_link(const char *target, const char *name)
{
	if (link(target, name) == 0)
		return 0;
	fprintf(stderr, "ln: failed to create hard link '%s' => '%s': %s\n", name, target, strerror(errno));
	return 1;
}

static int make_symlink(const char *target, const char *name)
{
	if (symlink(target, name) == 0)
		return 0;
	fprintf(stderr, "ln: failed to create symbolic link '%s' -> '%s': %s\n", name, target, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int symbolic = argc > 1 && strcmp(argv[1], "-s") == 0;

	if (symbolic) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: ln [-s] TARGET LINK_NAME, or ln [-s] TARGET... DIRECTORY\n");
		return 1;
	}
	return for_each_into(argc, argv, symbolic ? make_symlink : make_link);
}
