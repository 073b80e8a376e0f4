/*
 * rm: remove files (course section: files).
 *
 * A name is removed with unlink(2); the file itself goes away when no name
 * and no open descriptor refers to it any more. A directory must be empty
 * before rmdir(2) removes it, so -r first removes what is inside, depth
 * first, reading it with opendir/readdir. -f: no complaint about names that
 * do not exist.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

static int complain(const char *path)
{
	if (force && errno == ENOENT)
		return 0;
	fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
	return -1;
}

static int remove_path(const char *path);

/*
 * Empties a directory, then removes it. Removing entries while reading the
 * directory may make the kernel skip some (the positions shift under it),
 * so after a pass that removed anything, we read it again from the start.
 */
static int remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int removed, status = 0;

	if (d == NULL)
		return complain(path);
	do {
		removed = 0;
		rewinddir(d);
		while ((e = readdir(d)) != NULL) {
			char child[PATH_MAX];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
			if (remove_path(child) < 0)
				status = -1;
			else
				removed++;
		}
	} while (removed && status == 0);
	closedir(d);
	if (rmdir(path) < 0)
		return complain(path);
	return status;
}

static int remove_path(const char *path)
{
	struct stat st;

	/* lstat, not stat: a symbolic link to a directory is removed as a
	 * link, not followed into the directory. */
	if (lstat(path, &st) < 0)
		return complain(path);
	if (S_ISDIR(st.st_mode)) {
		if (recursive)
			return remove_dir(path);
		errno = EISDIR;
		return complain(path);
	}
	if (unlink(path) < 0)
		return complain(path);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0;

	while ((opt = getopt(argc, argv, "rRf")) != -1) {
		switch (opt) {
		case 'r': case 'R': recursive = 1; break;
		case 'f': force = 1; break;
		default:
			fprintf(stderr, "usage: rm [-rf] file...\n");
			return 1;
		}
	}
	if (optind == argc && !force) {
		fprintf(stderr, "usage: rm [-rf] file...\n");
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (remove_path(argv[i]) < 0)
			status = 1;
	return status;
}
