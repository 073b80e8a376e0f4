/*
 * mkdir: make directories (course section: files).
 *
 * mkdir(2) creates one directory whose parent must already exist. With -p,
 * we create each missing ancestor in turn, left to right, and an existing
 * directory is not an error: "mkdir -p a/b/c" calls mkdir("a"),
 * mkdir("a/b"), mkdir("a/b/c").
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make(const char *path, int parents)
{
	struct stat st;

	if (mkdir(path, 0777) == 0)
		return 0;
	/* With -p an existing directory is fine (but not an existing file). */
	if (parents && errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path, strerror(errno));
	return -1;
}

/* Cuts the path at each '/' in turn (writing a NUL there for a moment) and
 * makes that prefix. */
static int make_parents(const char *path)
{
	char buf[PATH_MAX];

	if (strlen(path) >= sizeof(buf)) {
		fprintf(stderr, "mkdir: %s: path too long\n", path);
		return -1;
	}
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/' && p[-1] != '/') {
			*p = '\0';
			if (make(buf, 1) < 0)
				return -1;
			*p = '/';
		}
	}
	return make(buf, 1);
}

int main(int argc, char **argv)
{
	int parents = 0, status = 0, i = 1;

	if (i < argc && strcmp(argv[i], "-p") == 0) {
		parents = 1;
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "usage: mkdir [-p] dir...\n");
		return 1;
	}
	for (; i < argc; i++)
		if ((parents ? make_parents(argv[i]) : make(argv[i], 0)) < 0)
			status = 1;
	return status;
}
