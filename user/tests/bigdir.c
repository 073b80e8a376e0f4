/*
 * Big directories: names found among thousands, and getdents64 while the
 * directory changes (course section: files; high-performance patterns).
 *
 * sysgate indexes each directory by name and by position (kernel/fs/
 * dir_index.c). These cases check what that must keep true: every name is
 * found and unique, getdents64 lists each entry once, a saved d_off resumes
 * after its entry, and entries neither added nor removed while a directory
 * is being read are returned exactly once (POSIX leaves the others open).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testlib.h"

#define FILES 2000

static char dir[64];

static const char *path_of(int k)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/f%d", dir, k);
	return path;
}

static int create(int k)
{
	int fd = open(path_of(k), O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The file number k of a name "f<k>", or -1 for other names. */
static int number_of(const char *name)
{
	return name[0] == 'f' ? atoi(name + 1) : -1;
}

/* Read entries from fd into seen[] (counts per file number), up to limit
 * entries (-1: to the end); returns the entries read, -1 on error. */
static int read_some(int fd, int *seen, int limit, int *others)
{
	char buf[1024] __attribute__((aligned(8))); /* a few entries a call: many calls */
	int entries = 0;
	long got;
	while (limit < 0 || entries < limit) {
		got = getdents64(fd, buf, limit < 0 ? sizeof(buf) : 40);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct dirent *d = (struct dirent *)(buf + off);
			int k = number_of(d->d_name);
			if (k >= 0 && k < 2 * FILES)
				seen[k]++;
			else
				(*others)++;
			entries++;
			off += d->d_reclen;
		}
	}
	return entries;
}

static void test_many_names(void)
{
	int bad = 0;
	for (int k = 0; k < FILES; k++)
		bad += create(k) != 0;
	check_eq(cname("%d files made in one directory", FILES), bad, 0);
	struct stat st;
	for (int k = 0; k < FILES; k++)
		bad += stat(path_of(k), &st) != 0 || !S_ISREG(st.st_mode);
	check_eq("each one found by name", bad, 0);
	check_eq("a name made twice: EEXIST", create(FILES / 2), -EEXIST);
	check_errno("a name not there: ENOENT", stat(path_of(FILES + 1), &st), ENOENT);

	static int seen[2 * FILES];
	int others = 0, fd = open(dir, O_RDONLY | O_DIRECTORY);
	int n = read_some(fd, seen, -1, &others);
	close(fd);
	for (int k = 0; k < FILES; k++)
		bad += seen[k] != 1;
	check("getdents64 lists every name once, and . and ..", n == FILES + 2 && bad == 0 && others == 2,
	      "%d entries, %d names not seen once, %d others", n, bad, others);
}

/* Read a third, remove some read and some unread names, add new ones, read
 * on: the names untouched are each returned once. */
static void test_changes_between_calls(void)
{
	static int seen[2 * FILES];
	for (int k = 0; k < FILES; k++)
		create(k);
	int others = 0, fd = open(dir, O_RDONLY | O_DIRECTORY);
	read_some(fd, seen, FILES / 3, &others);
	static bool touched[2 * FILES];
	for (int k = 0; k < FILES; k += 7) {
		unlink(path_of(k));
		touched[k] = true;
	}
	for (int k = FILES; k < FILES + 300; k++) {
		create(k);
		touched[k] = true;
	}
	read_some(fd, seen, -1, &others);
	close(fd);
	int lost = 0, twice = 0;
	for (int k = 0; k < FILES + 300; k++) {
		lost += !touched[k] && seen[k] == 0;
		twice += seen[k] > 1;
	}
	check_eq("names untouched while reading: none lost", lost, 0);
	check_eq("no name returned twice", twice, 0);
	for (int k = 0; k < FILES + 300; k++)
		unlink(path_of(k));
}

/* A d_off from getdents64, given back to lseek, resumes after its entry. */
static void test_seek_to_d_off(void)
{
	for (int k = 0; k < 50; k++)
		create(k);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	char buf[4096] __attribute__((aligned(8))), name_after[256] = "";
	long got = getdents64(fd, buf, sizeof(buf)), off = 0, saved = -1;
	for (int i = 0; off < got; i++) {
		struct dirent *d = (struct dirent *)(buf + off);
		if (i == 20)
			saved = d->d_off;
		if (i == 21)
			strcpy(name_after, d->d_name);
		off += d->d_reclen;
	}
	check_eq("lseek to a saved d_off", lseek(fd, saved, SEEK_SET), saved);
	got = getdents64(fd, buf, sizeof(buf));
	check("... and getdents64 goes on with the entry after it",
	      got > 0 && strcmp(((struct dirent *)buf)->d_name, name_after) == 0, "got %ld", got);
	close(fd);
	for (int k = 0; k < 50; k++)
		unlink(path_of(k));
}

static void make_and_remove_many(void)
{
	for (int k = 0; k < 300; k++)
		create(k);
	for (int k = 0; k < 300; k += 2)
		unlink(path_of(k));
	for (int k = 1; k < 300; k += 2)
		unlink(path_of(k));
}

int main(void)
{
	t_begin("bigdir");
	snprintf(dir, sizeof(dir), "/tmp/bigdir-%d", getpid());
	if (mkdir(dir, 0700) != 0) {
		t_fail("mkdir", "cannot make %s (errno %d)", dir, errno);
		return t_end();
	}
	test_many_names();
	for (int k = 0; k < FILES; k++)
		unlink(path_of(k));
	test_changes_between_calls();
	test_seek_to_d_off();
	if (on_sysgate())
		t_leak_test("300 names made and removed: no frame or heap byte left", make_and_remove_many);
	else
		t_skip("leak", "sysgate only: Linux has no SysgateHeapBytes");
	check_eq("the emptied directory can be removed", rmdir(dir), 0);
	return t_end();
}
