/*
 * ln: give a file another name (course section: files).
 *
 * A name in a directory is only a pointer to an inode; link(2) adds a
 * second pointer to the same inode. Both names are then equal: neither is
 * "the original", st_nlink counts them, and the file's bytes are freed only
 * when the last name is removed and the last descriptor closed. sysgate has
 * no symbolic links, so there is no -s.
 *
 *   ln TARGET LINK_NAME       ln TARGET... DIRECTORY
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

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ln TARGET LINK_NAME, or ln TARGET... DIRECTORY\n");
		return 1;
	}
	return for_each_into(argc, argv, make_link);
}
