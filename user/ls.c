/*
 * ls: list directories (course section: files).
 *
 * A directory is a file of (name, inode number) entries, read with
 * opendir/readdir (getdents64 underneath). The names alone say nothing
 * about the files: -l asks fstatat(2) for each one's inode: its type and
 * permissions (st_mode), link count, size.
 *   ls [-l] [-a] [path...]     -a also shows names starting with '.'
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int long_format, show_all;

/* st_mode as "drwxr-xr-x": the type, then read/write/execute for the
 * owner, the group and everyone else. */
static void mode_string(unsigned int mode, char s[11])
{
	static const char rwx[] = "rwxrwxrwx";

	switch (mode & S_IFMT) {
	case S_IFDIR: s[0] = 'd'; break;
	case S_IFCHR: s[0] = 'c'; break;
	case S_IFBLK: s[0] = 'b'; break;
	case S_IFIFO: s[0] = 'p'; break;
	case S_IFLNK: s[0] = 'l'; break;
	case S_IFSOCK: s[0] = 's'; break;
	default: s[0] = '-'; break;
	}
	for (int i = 0; i < 9; i++)
		s[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
	s[10] = '\0';
}

/* One line of output; dirfd and name locate the file (see fstatat). */
static void show(int dirfd, const char *name)
{
	struct stat st;
	char mode[11];

	if (!long_format) {
		puts(name);
		return;
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		fprintf(stderr, "ls: %s: %s\n", name, strerror(errno));
		return;
	}
	mode_string(st.st_mode, mode);
	printf("%s %3lu %8ld %s", mode, (unsigned long)st.st_nlink, (long)st.st_size, name);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		long n = readlinkat(dirfd, name, target, sizeof(target) - 1);

		target[n > 0 ? n : 0] = '\0';
		printf(" -> %s", target);
	}
	putchar('\n');
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads all the names first, to print them sorted. */
static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL) {
		fprintf(stderr, "ls: cannot open directory '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && !show_all)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		if (names == NULL || (names[n++] = strdup(e->d_name)) == NULL) {
			fprintf(stderr, "ls: out of memory\n");
			exit(2);
		}
	}
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		show(dirfd(d), names[i]);
		free(names[i]);
	}
	free(names);
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0, npaths;

	while ((opt = getopt(argc, argv, "la")) != -1) {
		switch (opt) {
		case 'l': long_format = 1; break;
		case 'a': show_all = 1; break;
		default:
			fprintf(stderr, "usage: ls [-la] [path...]\n");
			return 2;
		}
	}
	npaths = argc - optind;
	if (npaths == 0)
		return list_dir(".") < 0 ? 2 : 0;
	for (int i = optind; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: cannot access '%s': %s\n", argv[i], strerror(errno));
			status = 2;
		} else if (!S_ISDIR(st.st_mode)) {
			show(AT_FDCWD, argv[i]);
		} else {
			if (npaths > 1)
				printf("%s%s:\n", i > optind ? "\n" : "", argv[i]);
			if (list_dir(argv[i]) < 0)
				status = 2;
		}
	}
	return status;
}
