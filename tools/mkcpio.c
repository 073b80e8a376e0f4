/*
 * mkcpio: pack a directory into a cpio "newc" archive (course section:
 * booting; the initrd).
 *
 * The newc format is what Linux's initramfs uses: for each file, a 110-byte
 * ASCII header ("070701" then 13 eight-digit hex fields), the path name, the
 * file's bytes, each padded to 4 bytes; a last entry named "TRAILER!!!"
 * ends the archive. Entries are written in sorted order so builds repeat.
 *
 * Usage: mkcpio OUT.cpio DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static FILE *out;
static unsigned long ino = 1;

static void pad4(unsigned long n)
{
	while (n++ % 4)
		fputc(0, out);
}

static void header(const char *name, unsigned mode, unsigned long size)
{
	unsigned long namesize = strlen(name) + 1;
	/* magic ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check */
	fprintf(out, "070701%08lX%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X", ino++, mode, 0, 0,
		1, 0, size, 0, 0, 0, 0, namesize, 0);
	fwrite(name, 1, namesize, out);
	pad4(110 + namesize);
}

static void add_file(const char *path, const char *name, const struct stat *st)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		perror(path);
		exit(1);
	}
	header(name, st->st_mode, st->st_size);
	char buf[65536];
	size_t n, total = 0;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		fwrite(buf, 1, n, out);
		total += n;
	}
	fclose(in);
	pad4(total);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add dir's entries (recursively), `prefix` being dir's name in the archive. */
static void add_dir(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(1);
	}
	char *names[4096];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 4096)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		char path[4096], name[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "/" : "", names[i]);
		if (lstat(path, &st)) {
			perror(path);
			exit(1);
		}
		if (S_ISDIR(st.st_mode)) {
			header(name, st.st_mode, 0);
			add_dir(path, name);
		} else if (S_ISREG(st.st_mode)) {
			add_file(path, name, &st);
		}
		free(names[i]);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: mkcpio OUT.cpio DIR\n");
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	add_dir(argv[2], "");
	header("TRAILER!!!", 0, 0);
	fclose(out);
	return 0;
}
