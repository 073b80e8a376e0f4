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
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int make_link(const char *target, const char *name)
{
	if (link(target, name) == 0)
		return 0;
	fprintf(stderr, "ln: failed to create hard link '%s' => '%s': %s\n", name, target, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: ln TARGET LINK_NAME, or ln TARGET... DIRECTORY\n");
		return 1;
	}
	const char *last = argv[argc - 1];
	if (argc == 3 && !is_dir(last))
		return make_link(argv[1], last);
	for (int i = 1; i < argc - 1; i++) {
		char name[PATH_MAX];

		snprintf(name, sizeof(name), "%s/%s", last, base_name(argv[i]));
		status |= make_link(argv[i], name);
	}
	return status;
}
