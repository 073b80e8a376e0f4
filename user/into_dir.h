/*
 * The argument convention mv and ln share: "CMD FROM TO", or
 * "CMD FROM... DIRECTORY", which puts each FROM into DIRECTORY under its
 * own last name. A header, not a library: two small programs use it.
 */
#ifndef USER_INTO_DIR_H
#define USER_INTO_DIR_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Calls op(from, to) for each pair the arguments name; returns 1 if any
 * call failed (op says why), 0 if all worked. */
static int for_each_into(int argc, char **argv, int (*op)(const char *from, const char *to))
{
	const char *last = argv[argc - 1];
	int status = 0;

	if (argc == 3 && !is_dir(last))
		return op(argv[1], last);
	for (int i = 1; i < argc - 1; i++) {
		const char *slash = strrchr(argv[i], '/');
		char to[PATH_MAX];

		snprintf(to, sizeof(to), "%s/%s", last, slash ? slash + 1 : argv[i]);
		status |= op(argv[i], to);
	}
	return status;
}

#endif
