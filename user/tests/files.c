/*
 * files: the file-system syscalls (course section: files and directories;
 * bad-input catalogue "Syscall entry and pointers" 2).
 *
 * open/openat and their flags, read/write/lseek and the positional and
 * vector forms, the stat family, getdents64, dup/dup2/dup3 and fcntl,
 * mkdir/rmdir/unlink/rename, link, chmod, fsync, ftruncate, chdir/getcwd,
 * access, holes (SEEK_DATA/SEEK_HOLE), the borders between filesystems
 * (/proc, /dev, /dev/shm); then limits and hostile input: EMFILE,
 * ENAMETOOLONG, EFAULT for bad path pointers, a path that ends exactly at
 * the end of a mapped page, and a file that is unlinked while open.
 *
 * Everything happens in a fresh directory under /tmp, removed at the end.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL

static char dir[64];	/* /tmp/files-PID, our scratch directory */

/* dir/name, in one of 8 rotating buffers: for passing straight to a call. */
static const char *in_dir(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

/* A path that a function keeps using: its own array, char var[512]. */
#define PATH_IN(var, name) \
	char var[512];     \
	snprintf(var, sizeof(var), "%s/%s", dir, name)

static int make_file(const char *name, const char *text)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	write(fd, text, strlen(text));
	return close(fd);
}

static long size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Reads up to n bytes at offset 0 into buf (NUL-terminated) and returns n. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return n;
}

/* ---- open and its flags ----------------------------------------------------------- */

static void test_open_flags(void)
{
	PATH_IN(f, "f");
	char buf[64];
	int fd;

	fd = open(f, O_RDWR | O_CREAT | O_EXCL, 0600);
	check("O_CREAT|O_EXCL creates a file", fd >= 0, "got -1 %s", errno_name(errno));
	write(fd, "hello", 5);
	close(fd);
	check_errno("O_CREAT|O_EXCL on an existing file: EEXIST", open(f, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	check_errno("open of a missing file: ENOENT", open(in_dir("missing"), O_RDONLY), ENOENT);
	check_errno("open in a missing directory: ENOENT", open(in_dir("missing/f"), O_RDWR | O_CREAT, 0600), ENOENT);
	check_errno("open through a file as a directory: ENOTDIR", open(in_dir("f/x"), O_RDONLY), ENOTDIR);
	check_errno("O_DIRECTORY on a file: ENOTDIR", open(f, O_RDONLY | O_DIRECTORY), ENOTDIR);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	check("O_DIRECTORY on a directory", fd >= 0, "got -1 %s", errno_name(errno));
	check_errno("read of a directory: EISDIR", read(fd, buf, sizeof(buf)), EISDIR);
	close(fd);
	check_errno("open a directory for writing: EISDIR", open(dir, O_WRONLY), EISDIR);

	fd = open(f, O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "!", 1);	/* O_APPEND: at the end, whatever the position */
	close(fd);
	slurp(f, buf, sizeof(buf));
	check("O_APPEND writes at the end", strcmp(buf, "hello!") == 0, "got \"%s\"", buf);
	fd = open(f, O_RDONLY);
	check_errno("write to an O_RDONLY descriptor: EBADF", write(fd, "x", 1), EBADF);
	close(fd);
	fd = open(f, O_WRONLY);
	check_errno("read from an O_WRONLY descriptor: EBADF", read(fd, buf, 1), EBADF);
	close(fd);
	fd = open(f, O_WRONLY | O_TRUNC);
	close(fd);
	check_eq("O_TRUNC empties the file", size_of(f), 0);

	fd = open(f, O_RDONLY | O_CLOEXEC);
	check_eq("O_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	fd = open(f, O_RDONLY);
	check_eq("without O_CLOEXEC, no FD_CLOEXEC", fcntl(fd, F_GETFD), 0);
	close(fd);
	fd = open(f, O_RDWR | O_NONBLOCK);
	check("O_NONBLOCK shows in F_GETFL", fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK),
	      "F_GETFL %#x", fcntl(fd, F_GETFL));
	check_eq("F_GETFL's access mode is O_RDWR", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	close(fd);
	check_eq("creat makes an empty file", creat(in_dir("c"), 0600) >= 0 && size_of(in_dir("c")) == 0, 1);
	unlink(in_dir("c"));
}

static void test_openat(void)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), ffd = open(in_dir("f"), O_RDONLY), fd;

	fd = openat(dfd, "at", O_RDWR | O_CREAT, 0600);
	check("openat relative to a directory fd", fd >= 0 && size_of(in_dir("at")) == 0,
	      "got -1 %s", errno_name(errno));
	close(fd);
	fd = openat(99, in_dir("at"), O_RDONLY);
	check("openat with an absolute path ignores dirfd", fd >= 0, "got -1 %s", errno_name(errno));
	close(fd);
	check_errno("openat relative to fd 99: EBADF", openat(99, "at", O_RDONLY), EBADF);
	check_errno("openat relative to a file fd: ENOTDIR", openat(ffd, "at", O_RDONLY), ENOTDIR);
	check_eq("unlinkat relative to a directory fd", unlinkat(dfd, "at", 0), 0);
	check_eq("mkdirat relative to a directory fd", mkdirat(dfd, "atdir", 0700), 0);
	check_errno("unlinkat of a directory without AT_REMOVEDIR: EISDIR", unlinkat(dfd, "atdir", 0), EISDIR);
	check_eq("unlinkat with AT_REMOVEDIR", unlinkat(dfd, "atdir", AT_REMOVEDIR), 0);
	check_errno("unlinkat with flags 0x1: EINVAL", unlinkat(dfd, "f", 0x1), EINVAL);
	close(dfd);
	close(ffd);
}

/* ---- read, write, seek -------------------------------------------------------------- */

static void test_seek(void)
{
	PATH_IN(f, "seek");
	char buf[16] = "";
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600), p[2];

	write(fd, "0123456789", 10);
	check_eq("SEEK_SET 3", lseek(fd, 3, SEEK_SET), 3);
	read(fd, buf, 2);
	check("read after SEEK_SET", memcmp(buf, "34", 2) == 0, "got %.2s", buf);
	check_eq("SEEK_CUR +2", lseek(fd, 2, SEEK_CUR), 7);
	check_eq("SEEK_END -1", lseek(fd, -1, SEEK_END), 9);
	check_eq("SEEK_CUR 0 reports the position", lseek(fd, 0, SEEK_CUR), 9);
	check_errno("SEEK_SET -1: EINVAL", lseek(fd, -1, SEEK_SET), EINVAL);
	check_errno("SEEK_END -11 (before the start): EINVAL", lseek(fd, -11, SEEK_END), EINVAL);
	check_eq("the position is unchanged after EINVAL", lseek(fd, 0, SEEK_CUR), 9);
	check_errno("whence 7: EINVAL", lseek(fd, 0, 7), EINVAL);
	check_errno("lseek on fd 99: EBADF", lseek(99, 0, SEEK_SET), EBADF);
	check_eq("seek past the end", lseek(fd, 20, SEEK_SET), 20);
	check_eq("read past the end gives 0", read(fd, buf, sizeof(buf)), 0);
	write(fd, "x", 1);
	check_eq("writing past the end extends the file", size_of(f), 21);
	memset(buf, 1, sizeof(buf));
	pread(fd, buf, 10, 10);
	check("the hole reads as zeros", buf[0] == 0 && buf[9] == 0, "got %d %d", buf[0], buf[9]);
	close(fd);
	pipe(p);
	check_errno("lseek on a pipe: ESPIPE", lseek(p[0], 0, SEEK_SET), ESPIPE);
	check_errno("pread on a pipe: ESPIPE", pread(p[0], buf, 1, 0), ESPIPE);
	check_errno("pwrite on a pipe: ESPIPE", pwrite(p[1], buf, 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
	unlink(f);
}

/* A file written only at 10000 has holes: pages 0 and 1 were never
 * written. SEEK_DATA and SEEK_HOLE find them, and FIONREAD tells what a
 * read could return. In /dev/shm, a memory filesystem on Linux too, whose
 * holes are pages as ours are. */
static void test_holes(void)
{
	char path[64];
	int n = -1;

	snprintf(path, sizeof(path), "/dev/shm/files-holes-%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	pwrite(fd, "x", 1, 10000);
	check_eq("SEEK_DATA from 0: the page holding byte 10000", lseek(fd, 0, SEEK_DATA), 8192);
	check_eq("SEEK_HOLE from 0: 0, a hole already", lseek(fd, 0, SEEK_HOLE), 0);
	check_eq("SEEK_DATA inside the data: where it is", lseek(fd, 9000, SEEK_DATA), 9000);
	check_eq("SEEK_HOLE in the last page: the end of the file", lseek(fd, 8192, SEEK_HOLE), 10001);
	check_errno("SEEK_DATA at the end: ENXIO", lseek(fd, 10001, SEEK_DATA), ENXIO);
	check_errno("SEEK_HOLE past the end: ENXIO", lseek(fd, 20000, SEEK_HOLE), ENXIO);
	check_errno("SEEK_DATA from -1: ENXIO", lseek(fd, -1, SEEK_DATA), ENXIO);
	lseek(fd, 10000 - 5, SEEK_SET);
	check_eq("FIONREAD on a file", ioctl(fd, FIONREAD, &n), 0);
	check_eq("is the bytes left before the end", n, 6);
	lseek(fd, 0, SEEK_END);
	ioctl(fd, FIONREAD, &n);
	check_eq("and 0 at the end", n, 0);
	ftruncate(fd, 100);
	check_errno("SEEK_DATA in a file of holes only: ENXIO", lseek(fd, 0, SEEK_DATA), ENXIO);
	if (on_sysgate())
		check_errno("lseek past the largest file (4 GiB): EINVAL", lseek(fd, 1L << 40, SEEK_SET), EINVAL);
	else
		t_skip("lseek past the largest file: EINVAL", "the limit is the filesystem's own on Linux");
	close(fd);
	unlink(path);
}

static void test_pread_pwrite(void)
{
	PATH_IN(f, "pp");
	char buf[16] = "";
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600);

	write(fd, "abcdefgh", 8);
	lseek(fd, 2, SEEK_SET);
	check_eq("pread64 at offset 4", pread64(fd, buf, 3, 4), 3);
	check("pread64 read the right bytes", memcmp(buf, "efg", 3) == 0, "got %.3s", buf);
	check_eq("pwrite64 at offset 0", pwrite64(fd, "XY", 2, 0), 2);
	check_eq("neither moved the position", lseek(fd, 0, SEEK_CUR), 2);
	pread64(fd, buf, 8, 0);
	check("pwrite64 wrote at its offset", memcmp(buf, "XYcdefgh", 8) == 0, "got %.8s", buf);
	check_errno("pread64 at offset -1: EINVAL", pread64(fd, buf, 1, -1), EINVAL);
	check_errno("pwrite64 at offset -1: EINVAL", pwrite64(fd, buf, 1, -1), EINVAL);
	check_eq("pread64 past the end gives 0", pread64(fd, buf, 4, 100), 0);
	close(fd);
	unlink(f);
}

static void test_vectors(void)
{
	PATH_IN(f, "vec");
	char a[4], b[3], c[8];
	struct iovec out[2] = { { "hello ", 6 }, { "world", 5 } };
	struct iovec in[3] = { { a, 4 }, { b, 3 }, { c, 8 } };
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600);

	check_eq("writev of two buffers", writev(fd, out, 2), 11);
	lseek(fd, 0, SEEK_SET);
	check_eq("readv into three buffers", readv(fd, in, 3), 11);
	check("readv filled them in order",
	      memcmp(a, "hell", 4) == 0 && memcmp(b, "o w", 3) == 0 && memcmp(c, "orld", 4) == 0,
	      "got %.4s|%.3s|%.4s", a, b, c);
	check_errno("readv iovcnt -1: EINVAL", readv(fd, in, -1), EINVAL);
	check_errno("readv iovcnt 1025: EINVAL", readv(fd, in, 1025), EINVAL);
	check_errno("writev iovcnt 1025: EINVAL", writev(fd, out, 1025), EINVAL);
	check_errno("readv with a kernel iovec array: EFAULT",
		    readv(fd, (struct iovec *)0xffffffff80100000UL, 1), EFAULT);
	close(fd);
	unlink(f);
}

/* A file much larger than a page, written in odd-sized pieces and read back
 * in others: every byte must come back. */
static void test_big_file(void)
{
	PATH_IN(f, "big");
	size_t size = 100 * 1024;
	unsigned char *w = malloc(size), *r = malloc(size);
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600), ok = 1;
	size_t done = 0;

	for (size_t i = 0; i < size; i++)
		w[i] = (unsigned char)(i * 7 + i / 4096);
	while (done < size) {
		size_t n = size - done < 3001 ? size - done : 3001;
		if (write(fd, w + done, n) != (ssize_t)n)
			ok = 0;
		done += n;
	}
	check("write 100 KiB in 3001-byte pieces", ok, "a write was short");
	check_eq("its size is 100 KiB", size_of(f), (long)size);
	lseek(fd, 0, SEEK_SET);
	memset(r, 0, size);
	check_eq("read 100 KiB at once", read(fd, r, size), (long)size);
	check("the bytes are the same", memcmp(w, r, size) == 0, "data differs");
	memset(r, 0, 9000);
	pread(fd, r, 9000, 4000);
	check("pread across page boundaries", memcmp(w + 4000, r, 9000) == 0, "data differs");
	close(fd);
	unlink(f);
	free(w);
	free(r);
}

/* ---- metadata ---------------------------------------------------------------------------- */

static void test_stat(void)
{
	PATH_IN(f, "st");
	struct stat a, b;
	int fd, p[2];

	make_file("st", "12345");
	check_eq("stat of a file", stat(f, &a), 0);
	check_eq("st_size", a.st_size, 5);
	check("S_ISREG", S_ISREG(a.st_mode), "mode %#o", a.st_mode);
	check_eq("permission bits (0600)", a.st_mode & 07777, 0600);
	check("st_nlink is 1", a.st_nlink == 1, "got %lu", a.st_nlink);
	fd = open(f, O_RDONLY);
	check_eq("fstat", fstat(fd, &b), 0);
	check("fstat and stat agree on the inode", a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
						   b.st_size == 5,
	      "ino %lu vs %lu", a.st_ino, b.st_ino);
	memset(&b, 0, sizeof(b));
	check_eq("newfstatat(AT_FDCWD, path)", fstatat(AT_FDCWD, f, &b, 0), 0);
	check("newfstatat agrees", b.st_ino == a.st_ino && b.st_size == 5, "ino %lu", b.st_ino);
	memset(&b, 0, sizeof(b));
	check_eq("newfstatat(fd, \"\", AT_EMPTY_PATH)", fstatat(fd, "", &b, AT_EMPTY_PATH), 0);
	check("AT_EMPTY_PATH stats the fd itself", b.st_ino == a.st_ino, "ino %lu", b.st_ino);
	check_errno("newfstatat(fd, \"\") without AT_EMPTY_PATH: ENOENT", fstatat(fd, "", &b, 0), ENOENT);
	check_errno("newfstatat flags 0x1: EINVAL", fstatat(AT_FDCWD, f, &b, 0x1), EINVAL);
	close(fd);
	check_eq("lstat of a plain file is stat", lstat(f, &b) == 0 && b.st_ino == a.st_ino, 1);
	check_eq("stat of the directory", stat(dir, &a), 0);
	check("S_ISDIR", S_ISDIR(a.st_mode), "mode %#o", a.st_mode);
	check_errno("stat of a missing file: ENOENT", stat(in_dir("nope"), &a), ENOENT);
	check_errno("stat of \"\": ENOENT", stat("", &a), ENOENT);
	check_errno("stat through a file: ENOTDIR", stat(in_dir("st/x"), &a), ENOTDIR);
	check_errno("fstat of fd 99: EBADF", fstat(99, &a), EBADF);
	check_errno("stat into a kernel address: EFAULT", stat(f, (struct stat *)0xffffffff80100000UL), EFAULT);
	check_errno("fstat into NULL: EFAULT", fstat(0, NULL), EFAULT);
	pipe(p);
	check("fstat of a pipe: S_ISFIFO", fstat(p[0], &a) == 0 && S_ISFIFO(a.st_mode), "mode %#o", a.st_mode);
	close(p[0]);
	close(p[1]);
	unlink(f);
}

static void test_access(void)
{
	make_file("acc", "");
	check_eq("access F_OK on a file", access(in_dir("acc"), F_OK), 0);
	check_eq("access R_OK|W_OK on our 0600 file", access(in_dir("acc"), R_OK | W_OK), 0);
	/* Even root needs an x bit somewhere to execute: 0600 has none. */
	check_errno("access X_OK on a 0600 file: EACCES", access(in_dir("acc"), X_OK), EACCES);
	check_errno("access of a missing file: ENOENT", access(in_dir("nope"), F_OK), ENOENT);
	check_errno("access mode 8: EINVAL", access(in_dir("acc"), 8), EINVAL);
	check_eq("access X_OK on a directory", access(dir, X_OK), 0);
	unlink(in_dir("acc"));
}

/* ---- directories ------------------------------------------------------------------------- */

/* Lists dir with getdents64 in a buffer of bufsize bytes; sets bit i of
 * *found for each names[i] seen with the right type, counts all entries. */
static int list_dir(const char *path, size_t bufsize, const char *const names[], const int types[],
		    int n, unsigned *found)
{
	char *buf = malloc(bufsize);
	int fd = open(path, O_RDONLY | O_DIRECTORY), entries = 0;
	long got;

	*found = 0;
	while ((got = getdents64(fd, buf, bufsize)) > 0) {
		for (long off = 0; off < got;) {
			struct dirent *d = (struct dirent *)(buf + off);
			for (int i = 0; i < n; i++)
				if (strcmp(d->d_name, names[i]) == 0 && d->d_type == types[i])
					*found |= 1u << i;
			entries++;
			off += d->d_reclen;
		}
	}
	close(fd);
	free(buf);
	return got < 0 ? -1 : entries;
}

static void test_getdents(void)
{
	static const char *const names[] = { ".", "..", "d1", "d2", "d3", "sub" };
	static const int types[] = { DT_DIR, DT_DIR, DT_REG, DT_REG, DT_REG, DT_DIR };
	PATH_IN(sub, "ls");
	char path[256], buf[512];
	unsigned found;
	int fd, n;

	mkdir(sub, 0700);
	for (int i = 2; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
		close(open(path, O_WRONLY | O_CREAT, 0600));
	}
	snprintf(path, sizeof(path), "%s/sub", sub);
	mkdir(path, 0700);
	n = list_dir(sub, 4096, names, types, 6, &found);
	check_eq("getdents64 lists 6 entries", n, 6);
	check_eqx("with their names and types (bit per entry)", found, 0x3f);
	n = list_dir(sub, 40, names, types, 6, &found);
	check("a 40-byte buffer (one entry a call) lists them all, once each", n == 6 && found == 0x3f,
	      "got %d entries, mask %#x", n, found);
	fd = open(sub, O_RDONLY | O_DIRECTORY);
	check_errno("getdents64 with a 10-byte buffer: EINVAL", getdents64(fd, buf, 10), EINVAL);
	check_errno("getdents64 into a kernel address: EFAULT",
		    getdents64(fd, (void *)0xffffffff80100000UL, sizeof(buf)), EFAULT);
	close(fd);
	fd = open(in_dir("f"), O_RDONLY);
	check_errno("getdents64 on a file: ENOTDIR", getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	check_errno("getdents64 on fd 99: EBADF", getdents64(99, buf, sizeof(buf)), EBADF);
	for (int i = 2; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", sub);
	rmdir(path);
	rmdir(sub);
}

static void test_mkdir_rmdir(void)
{
	PATH_IN(d, "d");

	check_eq("mkdir", mkdir(d, 0700), 0);
	check_errno("mkdir again: EEXIST", mkdir(d, 0700), EEXIST);
	check_errno("mkdir over a file: EEXIST", mkdir(in_dir("f"), 0700), EEXIST);
	check_errno("mkdir in a missing directory: ENOENT", mkdir(in_dir("nope/d"), 0700), ENOENT);
	check_errno("mkdir under a file: ENOTDIR", mkdir(in_dir("f/d"), 0700), ENOTDIR);
	make_file("d/inner", "x");
	check_errno("rmdir a non-empty directory: ENOTEMPTY", rmdir(d), ENOTEMPTY);
	check_errno("rmdir a file: ENOTDIR", rmdir(in_dir("d/inner")), ENOTDIR);
	check_errno("rmdir a missing directory: ENOENT", rmdir(in_dir("nope")), ENOENT);
	check_errno("rmdir \".\": EINVAL", rmdir(in_dir("d/.")), EINVAL);
	check_errno("unlink a directory: EISDIR", unlink(d), EISDIR);
	check_errno("unlink a missing file: ENOENT", unlink(in_dir("nope")), ENOENT);
	check_eq("unlink a file", unlink(in_dir("d/inner")), 0);
	check_eq("rmdir the now empty directory", rmdir(d), 0);
	check_errno("and it is gone", access(d, F_OK), ENOENT);
}

static void test_rename(void)
{
	char buf[32];

	make_file("r1", "one");
	make_file("r2", "two");
	check_eq("rename a file over another", rename(in_dir("r1"), in_dir("r2")), 0);
	slurp(in_dir("r2"), buf, sizeof(buf));
	check("the target now has the source's content", strcmp(buf, "one") == 0, "got \"%s\"", buf);
	check_errno("the source name is gone", access(in_dir("r1"), F_OK), ENOENT);
	check_eq("rename to the same name", rename(in_dir("r2"), in_dir("r2")), 0);
	check_errno("rename a missing file: ENOENT", rename(in_dir("nope"), in_dir("r3")), ENOENT);
	mkdir(in_dir("rd"), 0700);
	mkdir(in_dir("rd/sub"), 0700);
	check_errno("rename a directory into its own subdirectory: EINVAL",
		    rename(in_dir("rd"), in_dir("rd/sub/x")), EINVAL);
	check_errno("rename a file over a directory: EISDIR", rename(in_dir("r2"), in_dir("rd")), EISDIR);
	check_errno("rename a directory over a file: ENOTDIR", rename(in_dir("rd"), in_dir("r2")), ENOTDIR);
	mkdir(in_dir("empty"), 0700);
	check_errno("rename a directory over a non-empty one: ENOTEMPTY",
		    rename(in_dir("empty"), in_dir("rd")), ENOTEMPTY);
	check_eq("rename a directory over an empty one", rename(in_dir("rd/sub"), in_dir("empty")), 0);
	check_eq("rename a directory", rename(in_dir("rd"), in_dir("rd2")), 0);
	check_eq("renameat with directory fds",
		 renameat(AT_FDCWD, in_dir("r2"), AT_FDCWD, in_dir("r4")), 0);
	rmdir(in_dir("empty"));
	rmdir(in_dir("rd2"));
	unlink(in_dir("r4"));
}

/* A path that ends in '/' names a directory, or nothing. */
static void test_trailing_slash(void)
{
	make_file("sf", "x");
	mkdir(in_dir("sd"), 0700);
	check_errno("open \"file/\": ENOTDIR", open(in_dir("sf/"), O_RDONLY), ENOTDIR);
	check_errno("open \"new/\" with O_CREAT: EISDIR", open(in_dir("sn/"), O_RDONLY | O_CREAT, 0600), EISDIR);
	check_errno("and nothing was created", access(in_dir("sn"), F_OK), ENOENT);
	int fd = open(in_dir("sd/"), O_RDONLY);
	check_ok("open \"dir/\"", fd);
	close(fd);
	check_errno("unlink \"file/\": ENOTDIR", unlink(in_dir("sf/")), ENOTDIR);
	check_errno("rename \"file/\": ENOTDIR", rename(in_dir("sf/"), in_dir("sg")), ENOTDIR);
	check_errno("rename a file to \"new/\": ENOTDIR", rename(in_dir("sf"), in_dir("sg/")), ENOTDIR);
	check_eq("rename \"dir/\" to \"new/\"", rename(in_dir("sd/"), in_dir("se/")), 0);
	check_eq("the file is still there", access(in_dir("sf"), F_OK), 0);
	check_eq("rmdir \"dir/\"", rmdir(in_dir("se/")), 0);
	unlink(in_dir("sf"));
}

/* ---- hard links ------------------------------------------------------------------------- */

static int nlink_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)st.st_nlink : -1;
}

static void test_link(void)
{
	struct stat a, b;
	char buf[32];

	make_file("l1", "linked");
	check_eq("link a file", link(in_dir("l1"), in_dir("l2")), 0);
	check("both names are one inode", stat(in_dir("l1"), &a) == 0 && stat(in_dir("l2"), &b) == 0 &&
	      a.st_ino == b.st_ino && a.st_dev == b.st_dev, "inodes %lu and %lu", (unsigned long)a.st_ino,
	      (unsigned long)b.st_ino);
	check_eq("st_nlink counts both names", nlink_of(in_dir("l1")), 2);
	int fd = open(in_dir("l2"), O_WRONLY | O_APPEND);
	write(fd, "!", 1);
	close(fd);
	slurp(in_dir("l1"), buf, sizeof(buf));
	check("a write through one name shows through the other", strcmp(buf, "linked!") == 0, "got \"%s\"", buf);
	check_eq("unlink the first name", unlink(in_dir("l1")), 0);
	check_eq("st_nlink is 1 again", nlink_of(in_dir("l2")), 1);
	slurp(in_dir("l2"), buf, sizeof(buf));
	check("the file lives on under the second name", strcmp(buf, "linked!") == 0, "got \"%s\"", buf);

	check_errno("link to a name that exists: EEXIST", link(in_dir("l2"), in_dir("l2")), EEXIST);
	check_errno("link a missing file: ENOENT", link(in_dir("nope"), in_dir("l3")), ENOENT);
	check_errno("link into a missing directory: ENOENT", link(in_dir("l2"), in_dir("nodir/l3")), ENOENT);
	check_errno("link through a file as a directory: ENOTDIR", link(in_dir("l2"), in_dir("l2/l3")), ENOTDIR);
	check_errno("link \"file/\": ENOTDIR", link(in_dir("l2/"), in_dir("l3")), ENOTDIR);
	check_errno("link to \"new/\": ENOENT", link(in_dir("l2"), in_dir("l3/")), ENOENT);
	check_errno("link to \".\": EEXIST", link(in_dir("l2"), in_dir(".")), EEXIST);
	check_errno("link to \"..\": EEXIST", link(in_dir("l2"), in_dir("..")), EEXIST);
	mkdir(in_dir("ld"), 0700);
	check_errno("link a directory: EPERM", link(in_dir("ld"), in_dir("ld2")), EPERM);
	rmdir(in_dir("ld"));

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	check_eq("linkat relative to directory fds", linkat(dfd, "l2", dfd, "l3", 0), 0);
	check_eq("linkat AT_SYMLINK_FOLLOW", linkat(dfd, "l2", dfd, "l4", AT_SYMLINK_FOLLOW), 0);
	check_eq("st_nlink is 3", nlink_of(in_dir("l2")), 3);
	check_errno("linkat flags 0x12345: EINVAL", linkat(dfd, "l2", dfd, "l5", 0x12345), EINVAL);
	check_errno("linkat \"\" without AT_EMPTY_PATH: ENOENT", linkat(dfd, "", dfd, "l5", 0), ENOENT);
	check_errno("linkat old fd 99: EBADF", linkat(99, "l2", dfd, "l5", 0), EBADF);
	check_errno("linkat new fd 99: EBADF", linkat(dfd, "l2", 99, "l5", 0), EBADF);
	fd = open(in_dir("l2"), O_RDONLY);
	check_eq("linkat AT_EMPTY_PATH names an open file", linkat(fd, "", dfd, "l5", AT_EMPTY_PATH), 0);
	check_eq("st_nlink is 4", nlink_of(in_dir("l5")), 4);
	check_errno("linkat AT_EMPTY_PATH on a directory fd: EPERM", linkat(dfd, "", dfd, "l6", AT_EMPTY_PATH),
		    EPERM);
	int p[2];
	pipe(p);
	check_errno("linkat AT_EMPTY_PATH on a pipe: EXDEV", linkat(p[0], "", dfd, "l6", AT_EMPTY_PATH), EXDEV);
	close(p[0]);
	close(p[1]);
	const char *names[] = { "l2", "l3", "l4", "l5" };
	for (int i = 0; i < 4; i++)
		unlink(in_dir(names[i]));
	check_eq("all names gone, the open file still reads", read(fd, buf, sizeof(buf)), 7);
	check_errno("linkat AT_EMPTY_PATH on an unlinked file: ENOENT",
		    linkat(fd, "", dfd, "l6", AT_EMPTY_PATH), ENOENT);
	close(fd);
	close(dfd);
}

/* ---- the borders between filesystems ------------------------------------------------------ */

static int same_fs(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev;
}

/* /proc's names are the kernel's: they can be read, not added, removed,
 * renamed or linked. (Every call here fails on Linux too, so running this
 * on the host changes nothing.) */
static void test_proc_names(void)
{
	char pid_dir[32], pid_stat[48], pid_new[48];

	snprintf(pid_dir, sizeof(pid_dir), "/proc/%d", getpid());
	snprintf(pid_stat, sizeof(pid_stat), "%s/stat", pid_dir);
	snprintf(pid_new, sizeof(pid_new), "%s/new", pid_dir);
	make_file("pf", "x");
	check("/proc is a filesystem of its own", !same_fs("/proc", dir), "same st_dev as %s", dir);
	check_errno("unlink /proc/uptime: EPERM", unlink("/proc/uptime"), EPERM);
	check_errno("unlink /proc/PID/stat: EPERM", unlink(pid_stat), EPERM);
	check_errno("rmdir /proc/PID: EPERM", rmdir(pid_dir), EPERM);
	check_errno("rmdir /proc: EBUSY", rmdir("/proc"), EBUSY);
	check_errno("create /proc/newfile: ENOENT", open("/proc/newfile", O_WRONLY | O_CREAT, 0600), ENOENT);
	check_errno("create /proc/PID/new: ENOENT", open(pid_new, O_WRONLY | O_CREAT, 0600), ENOENT);
	check_errno("mkdir /proc/newdir: ENOENT", mkdir("/proc/newdir", 0700), ENOENT);
	check_errno("rename inside /proc: ENOENT", rename("/proc/uptime", "/proc/up2"), ENOENT);
	check_errno("rename out of /proc: EXDEV", rename("/proc/uptime", in_dir("up")), EXDEV);
	check_errno("rename into /proc: EXDEV", rename(in_dir("pf"), "/proc/pf"), EXDEV);
	check_errno("link out of /proc: EXDEV", link("/proc/uptime", in_dir("up")), EXDEV);
	check_errno("link into /proc: ENOENT", link(in_dir("pf"), "/proc/pf"), ENOENT);
	check_errno("rename /proc itself: EBUSY", rename("/proc", "/proc2"), EBUSY);
	check("/proc/uptime still reads", slurp("/proc/uptime", (char[64]){ 0 }, 64) > 0, "it does not");
	int fd = open("/proc/uptime", O_WRONLY);	/* root may open it so */
	if (fd < 0) {
		t_skip("a write to /proc/uptime: EIO", "not root here: the open is refused");
	} else {
		check_errno("a write to /proc/uptime: EIO", write(fd, "1", 1), EIO);
		close(fd);
	}
	unlink(in_dir("pf"));
}

/* /dev and /dev/shm are filesystems of their own on sysgate, as on most
 * Linux systems; where the host has them on one filesystem, skip. */
static void test_other_filesystems(void)
{
	make_file("xf", "x");
	if (same_fs("/dev/shm", dir)) {
		t_skip("link and rename into /dev/shm: EXDEV", "here /dev/shm is on the same filesystem");
	} else {
		check_errno("link into /dev/shm: EXDEV", link(in_dir("xf"), "/dev/shm/xf"), EXDEV);
		check_errno("rename into /dev/shm: EXDEV", rename(in_dir("xf"), "/dev/shm/xf"), EXDEV);
	}
	if (same_fs("/dev/null", dir))
		t_skip("link /dev/null elsewhere: EXDEV", "here /dev is on the same filesystem");
	else
		check_errno("link /dev/null elsewhere: EXDEV", link("/dev/null", in_dir("null")), EXDEV);
	if (same_fs("/dev/shm", "/dev"))
		t_skip("rmdir /dev/shm: EBUSY", "here /dev/shm is not a filesystem's top");
	else
		check_errno("rmdir /dev/shm: EBUSY", rmdir("/dev/shm"), EBUSY);
	unlink(in_dir("xf"));
}

/* ---- chmod and fsync ---------------------------------------------------------------------- */

static unsigned mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_mode : 0;
}

static void test_chmod_fsync(void)
{
	make_file("cm", "x");
	check_eq("chmod 0600", chmod(in_dir("cm"), 0600), 0);
	check_eq("stat shows it, the type kept", mode_of(in_dir("cm")), S_IFREG | 0600);
	check_eq("chmod 07777: set-id and sticky bits too", chmod(in_dir("cm"), 0177777), 0);
	check_eq("only the low twelve bits change", mode_of(in_dir("cm")), S_IFREG | 07777);
	int fd = open(in_dir("cm"), O_RDONLY);
	check_eq("fchmod on a read-only descriptor", fchmod(fd, 0640), 0);
	check_eq("fstat agrees", mode_of(in_dir("cm")), S_IFREG | 0640);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	check_eq("fchmodat relative to a directory fd", fchmodat(dfd, "cm", 0604, 0), 0);
	check_eq("stat agrees", mode_of(in_dir("cm")), S_IFREG | 0604);
	check_errno("fchmodat with flags 0x12345: EINVAL", fchmodat(dfd, "cm", 0604, 0x12345), EINVAL);
	check_errno("fchmodat from fd 99: EBADF", fchmodat(99, "cm", 0604, 0), EBADF);
	check_errno("chmod a missing file: ENOENT", chmod(in_dir("nope"), 0600), ENOENT);
	check_errno("chmod through a file: ENOTDIR", chmod(in_dir("cm/x"), 0600), ENOTDIR);
	check_errno("chmod(NULL): EFAULT", chmod(NULL, 0600), EFAULT);
	check_errno("fchmod(99): EBADF", fchmod(99, 0600), EBADF);
	mkdir(in_dir("cmd"), 0700);
	check_eq("chmod a directory 01777", chmod(in_dir("cmd"), 01777), 0);
	check_eq("it is sticky now", mode_of(in_dir("cmd")), S_IFDIR | 01777);
	rmdir(in_dir("cmd"));

	int p[2], null = open("/dev/null", O_WRONLY);
	pipe(p);
	check_eq("fsync a file", fsync(fd), 0);
	check_eq("fdatasync a file", fdatasync(fd), 0);
	check_eq("fsync a directory", fsync(dfd), 0);
	check_errno("fsync a pipe: EINVAL", fsync(p[1]), EINVAL);
	check_errno("fdatasync a pipe: EINVAL", fdatasync(p[0]), EINVAL);
	check_errno("fsync /dev/null: EINVAL", fsync(null), EINVAL);
	check_errno("fsync(99): EBADF", fsync(99), EBADF);
	check_eq("syncfs a pipe: 0 (the filesystem is synced)", syncfs(p[0]), 0);
	check_errno("syncfs(99): EBADF", syncfs(99), EBADF);
	sync();
	t_pass("sync returns");
	close(p[0]);
	close(p[1]);
	close(null);
	close(dfd);
	close(fd);
	unlink(in_dir("cm"));
}

static void test_truncate(void)
{
	PATH_IN(f, "tr");
	char buf[16];
	int fd, p[2];

	make_file("tr", "0123456789");
	fd = open(f, O_RDWR);
	check_eq("ftruncate to 4", ftruncate(fd, 4), 0);
	check_eq("the size is 4", size_of(f), 4);
	check_eq("ftruncate to 8192 grows it", ftruncate(fd, 8192), 0);
	memset(buf, 1, sizeof(buf));
	pread(fd, buf, 8, 4);
	check("the new part reads as zeros", buf[0] == 0 && buf[7] == 0, "got %d", buf[0]);
	check_errno("ftruncate to -1: EINVAL", ftruncate(fd, -1), EINVAL);
	close(fd);
	fd = open(f, O_RDONLY);
	check_errno("ftruncate of a read-only descriptor: EINVAL", ftruncate(fd, 0), EINVAL);
	close(fd);
	check_eq("truncate by path", truncate(f, 2), 0);
	check_eq("the size is 2", size_of(f), 2);
	check_errno("truncate a directory: EISDIR", truncate(dir, 0), EISDIR);
	pipe(p);
	check_errno("ftruncate of a pipe: EINVAL", ftruncate(p[1], 0), EINVAL);
	close(p[0]);
	close(p[1]);
	check_errno("ftruncate of fd 99: EBADF", ftruncate(99, 0), EBADF);
	unlink(f);
}

static void test_cwd(void)
{
	char buf[PATH_MAX], old[PATH_MAX];
	int fd;

	getcwd(old, sizeof(old));
	check_eq("chdir to the scratch directory", chdir(dir), 0);
	check("getcwd returns it", getcwd(buf, sizeof(buf)) && strcmp(buf, dir) == 0, "got \"%s\"", buf);
	check_eq("the raw getcwd returns the length with the NUL",
		 syscall(SYS_getcwd, buf, sizeof(buf)), (long)strlen(dir) + 1);
	check_errno("getcwd into 1 byte: ERANGE", syscall(SYS_getcwd, buf, 1), ERANGE);
	check_errno("getcwd into strlen bytes (no room for the NUL): ERANGE",
		    syscall(SYS_getcwd, buf, strlen(dir)), ERANGE);
	check_errno("getcwd into a kernel address: EFAULT",
		    syscall(SYS_getcwd, 0xffffffff80100000UL, sizeof(buf)), EFAULT);
	fd = open("f", O_RDONLY);
	check("a relative path starts at the new cwd", fd >= 0, "got -1 %s", errno_name(errno));
	close(fd);
	mkdir("cd", 0700);
	check_eq("chdir to a relative subdirectory", chdir("cd"), 0);
	check_eq("chdir ..", chdir(".."), 0);
	check("getcwd is back", getcwd(buf, sizeof(buf)) && strcmp(buf, dir) == 0, "got \"%s\"", buf);
	check_errno("chdir to a file: ENOTDIR", chdir("f"), ENOTDIR);
	check_errno("chdir to a missing directory: ENOENT", chdir("nope"), ENOENT);
	fd = open("cd", O_RDONLY | O_DIRECTORY);
	check_eq("fchdir", fchdir(fd), 0);
	check("getcwd after fchdir", getcwd(buf, sizeof(buf)) && strcmp(buf, in_dir("cd")) == 0,
	      "got \"%s\"", buf);
	close(fd);
	/* Our cwd removed under us: it holds no names any more, and takes none. */
	check_eq("rmdir the directory we are in", rmdir(in_dir("cd")), 0);
	check_errno("create a file in it: ENOENT", open("x", O_WRONLY | O_CREAT, 0600), ENOENT);
	check_errno("mkdir in it: ENOENT", mkdir("y", 0700), ENOENT);
	make_file("mv", "x");
	check_errno("rename into it: ENOENT", rename(in_dir("mv"), "z"), ENOENT);
	check_errno("link into it: ENOENT", link(in_dir("mv"), "z"), ENOENT);
	unlink(in_dir("mv"));
	chdir(old);
}

/* ---- descriptors --------------------------------------------------------------------------- */

static void test_dup(void)
{
	int fd = open(in_dir("f"), O_RDWR), a, b;
	char c;

	a = dup(fd);
	check("dup returns a new descriptor", a >= 0 && a != fd, "got %d", a);
	lseek(fd, 0, SEEK_SET);
	write(a, "Q", 1);
	check_eq("dup'd descriptors share the position", lseek(fd, 0, SEEK_CUR), 1);
	close(a);
	check_eq("dup returns the lowest free number", dup(fd), a);
	close(a);
	check_eq("dup2 to a chosen number", dup2(fd, 50), 50);
	check_eq("dup2 onto itself returns it", dup2(fd, fd), fd);
	b = open(in_dir("f"), O_RDONLY);
	check_eq("dup2 over an open descriptor closes it", dup2(fd, b), b);
	check_eq("which now is fd's file (shared position)", lseek(b, 3, SEEK_SET) == 3 &&
							 lseek(fd, 0, SEEK_CUR) == 3, 1);
	check_errno("dup2 from fd 99: EBADF", dup2(99, 51), EBADF);
	check_errno("dup2 to -1: EBADF", dup2(fd, -1), EBADF);
	check_errno("dup2 to 1<<20: EBADF", dup2(fd, 1 << 20), EBADF);
	check_errno("dup3 onto itself: EINVAL", dup3(fd, fd, 0), EINVAL);
	check_errno("dup3 with O_NONBLOCK: EINVAL", dup3(fd, 52, O_NONBLOCK), EINVAL);
	check_eq("dup3 with O_CLOEXEC", dup3(fd, 52, O_CLOEXEC), 52);
	check_eq("sets FD_CLOEXEC", fcntl(52, F_GETFD), FD_CLOEXEC);
	check_errno("dup of fd 99: EBADF", dup(99), EBADF);
	close(50);
	close(52);
	close(b);
	check_errno("a closed descriptor: EBADF", read(b, &c, 1), EBADF);
	check_errno("closing it again: EBADF", close(b), EBADF);
	close(fd);
}

static void test_fcntl(void)
{
	int fd = open(in_dir("f"), O_RDONLY), d;

	d = fcntl(fd, F_DUPFD, 20);
	check("F_DUPFD 20 returns >= 20", d >= 20, "got %d", d);
	check_eq("F_DUPFD's copy has no FD_CLOEXEC", fcntl(d, F_GETFD), 0);
	check_eq("F_DUPFD 20 again takes the next one", fcntl(fd, F_DUPFD, 20), d + 1);
	close(d);
	close(d + 1);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	check("F_DUPFD_CLOEXEC 30", d >= 30 && fcntl(d, F_GETFD) == FD_CLOEXEC, "got %d", d);
	check_eq("F_SETFD 0", fcntl(d, F_SETFD, 0), 0);
	check_eq("F_GETFD after F_SETFD 0", fcntl(d, F_GETFD), 0);
	check_eq("F_SETFD FD_CLOEXEC", fcntl(d, F_SETFD, FD_CLOEXEC), 0);
	check_eq("F_GETFD after F_SETFD FD_CLOEXEC", fcntl(d, F_GETFD), FD_CLOEXEC);
	check_eq("FD_CLOEXEC is per descriptor", fcntl(fd, F_GETFD), 0);
	close(d);
	check_errno("F_DUPFD with a negative minimum: EINVAL", fcntl(fd, F_DUPFD, -1), EINVAL);
	check_errno("fcntl on fd 99: EBADF", fcntl(99, F_GETFD), EBADF);
	check_errno("fcntl command 9999: EINVAL", fcntl(fd, 9999), EINVAL);
	close(fd);

	fd = open(in_dir("f"), O_WRONLY);
	check_eq("F_GETFL of an O_WRONLY fd", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_WRONLY);
	check_eq("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
	check_eq("F_GETFL shows both", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
		 O_WRONLY | O_APPEND | O_NONBLOCK);
	/* The access mode is fixed at open: F_SETFL ignores those bits. */
	fcntl(fd, F_SETFL, O_RDWR);
	check_eq("F_SETFL cannot change the access mode", fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
}

/* Opens (dup) until EMFILE; closes them all; then a dup works again. Run in
 * a child, because on Linux it first lowers the descriptor limit to 256 so
 * that it does not open thousands. */
static void emfile_child(long unused)
{
	static const unsigned long lim[2] = { 256, 256 };
	static int fds[100000];
	int n = 0, err = 0;

	(void)unused;
	if (!on_sysgate())
		syscall(160, 7, lim);	/* setrlimit(RLIMIT_NOFILE) */
	while (n < 100000) {
		int fd = n % 2 ? dup(0) : open(dir, O_RDONLY);
		if (fd < 0) {
			err = errno;
			break;
		}
		fds[n++] = fd;
	}
	if (err != EMFILE)
		_exit(1);
	if (dup2(0, fds[0] + 100000) != -1 || errno != EBADF)
		_exit(2);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (dup(0) < 0)
		_exit(3);
	_exit(0);
}

static void test_emfile(void)
{
	int st = run_child(emfile_child, 0);

	check("open until EMFILE, dup2 beyond the limit gives EBADF, close all, dup again",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "expected exit 0, got %s (1: not EMFILE, 2: dup2 not EBADF, 3: no dup after)",
	      status_text(st));
}

/* ---- names and pointers ---------------------------------------------------------------------- */

static void test_long_names(void)
{
	char name[320], *path = malloc(PATH_MAX + 2);
	struct stat st;
	size_t len;

	memset(name, 'n', 300);
	name[300] = '\0';
	check_errno("a 300-character component: ENAMETOOLONG", open(in_dir(name), O_RDONLY), ENAMETOOLONG);
	check_errno("mkdir with a 300-character component: ENAMETOOLONG", mkdir(in_dir(name), 0700),
		    ENAMETOOLONG);
	name[255] = '\0';
	check("a 255-character component is allowed", make_file(name, "") == 0, "got %s", errno_name(errno));
	unlink(in_dir(name));
	/* "/tmp/./././...": 4095 characters plus the NUL fit in PATH_MAX... */
	strcpy(path, "/tmp");
	for (len = 4; len + 2 <= PATH_MAX - 1; len += 2)
		strcpy(path + len, "/.");
	if (len < PATH_MAX - 1)
		strcpy(path + len++, "/");
	check_eq("a path of 4095 characters works", stat(path, &st), 0);
	/* ...one more does not. */
	strcpy(path + len, "/");
	check_errno("a path of 4096 characters: ENAMETOOLONG", stat(path, &st), ENAMETOOLONG);
	/* PATH_MAX bytes and no terminator at all, followed by more bytes. */
	memset(path, 'a', PATH_MAX + 1);
	path[PATH_MAX + 1] = '\0';
	check_errno("a path without a NUL in PATH_MAX bytes: ENAMETOOLONG", open(path, O_RDONLY), ENAMETOOLONG);
	free(path);
}

static void test_bad_paths(void)
{
	static const unsigned long bad[] = { 0, 0x800000000000UL, 0xffff800000000000UL,
					     0xffffffff80100000UL, ~0UL };
	struct stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *p = (const char *)bad[i];
		check_errno(cname("open(%#lx): EFAULT", bad[i]), open(p, O_RDONLY), EFAULT);
		check_errno(cname("open(%#lx, O_CREAT): EFAULT", bad[i]), open(p, O_RDWR | O_CREAT, 0600), EFAULT);
		check_errno(cname("stat(%#lx): EFAULT", bad[i]), stat(p, &st), EFAULT);
		check_errno(cname("mkdir(%#lx): EFAULT", bad[i]), mkdir(p, 0700), EFAULT);
		check_errno(cname("unlink(%#lx): EFAULT", bad[i]), unlink(p), EFAULT);
		check_errno(cname("rmdir(%#lx): EFAULT", bad[i]), rmdir(p), EFAULT);
		check_errno(cname("chdir(%#lx): EFAULT", bad[i]), chdir(p), EFAULT);
		check_errno(cname("access(%#lx): EFAULT", bad[i]), access(p, F_OK), EFAULT);
		check_errno(cname("rename(%#lx, ok): EFAULT", bad[i]), rename(p, in_dir("x")), EFAULT);
		check_errno(cname("rename(ok, %#lx): EFAULT", bad[i]), rename(in_dir("f"), p), EFAULT);
		check_errno(cname("link(%#lx, ok): EFAULT", bad[i]), link(p, in_dir("x")), EFAULT);
		check_errno(cname("link(ok, %#lx): EFAULT", bad[i]), link(in_dir("f"), p), EFAULT);
	}
}

/*
 * A path whose NUL is the very last byte of a mapped page, with nothing
 * mapped after it: the kernel must stop at the NUL (works) and must not read
 * ahead into the next page. Without the NUL the string runs into the hole:
 * EFAULT, not a crash.
 */
static void test_page_end_path(void)
{
	char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PATH_IN(f, "f");
	size_t len = strlen(f);
	char *s;
	int fd;

	if (two == MAP_FAILED || munmap(two + PAGE, PAGE) != 0) {
		t_fail("map a page with a hole after it", "mmap/munmap failed: %s", errno_name(errno));
		return;
	}
	s = two + PAGE - (len + 1);
	memcpy(s, f, len + 1);
	fd = open(s, O_RDONLY);
	check("a path ending on the last byte of a page opens", fd >= 0, "got -1 %s", errno_name(errno));
	close(fd);
	s = two + PAGE - len;
	memcpy(s, f, len);	/* no room for the NUL */
	check_errno("the same path without its NUL: EFAULT", open(s, O_RDONLY), EFAULT);
	check_errno("stat of it: EFAULT", stat(s, &(struct stat){ 0 }), EFAULT);
	munmap(two, PAGE);
}

/* ---- unlinked while open ---------------------------------------------------------------------- */

static void test_unlink_open(void)
{
	PATH_IN(f, "ghost");
	char buf[32] = "";
	struct stat st;
	int fd, fd2;

	make_file("ghost", "still here");
	fd = open(f, O_RDWR);
	check_eq("unlink an open file", unlink(f), 0);
	check_errno("its name is gone", access(f, F_OK), ENOENT);
	check_eq("reading it still works", read(fd, buf, sizeof(buf) - 1), 10);
	check("and gives the content", strcmp(buf, "still here") == 0, "got \"%s\"", buf);
	check_eq("writing it still works", pwrite(fd, "!", 1, 10), 1);
	check("fstat shows st_nlink 0", fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 11,
	      "nlink %lu size %ld", st.st_nlink, st.st_size);
	fd2 = open(f, O_RDWR | O_CREAT | O_EXCL, 0600);
	check("a new file can take the name", fd2 >= 0, "got -1 %s", errno_name(errno));
	check_eq("and is a different, empty file", fstat(fd2, &st) == 0 && st.st_size == 0, 1);
	close(fd2);
	close(fd);
	unlink(f);
}

/* Create, write, close and remove 200 files, twice: nothing may leak. */
static void churn(void)
{
	char name[32];

	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "churn%d", i);
		make_file(name, "some bytes to store");
	}
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "churn%d", i);
		unlink(in_dir(name));
	}
}

static void test_leaks(void)
{
	struct leak_mark m;

	churn();
	leak_mark(&m);
	churn();
	leak_check("200 files created and removed: nothing leaked", &m);
}

int main(void)
{
	t_begin("files");
	snprintf(dir, sizeof(dir), "/tmp/files-%d", getpid());
	if (!check_eq("mkdir the scratch directory", mkdir(dir, 0700), 0))
		return t_end();
	test_open_flags();
	test_openat();
	test_seek();
	test_pread_pwrite();
	test_holes();
	test_vectors();
	test_big_file();
	test_stat();
	test_access();
	test_getdents();
	test_mkdir_rmdir();
	test_rename();
	test_trailing_slash();
	test_link();
	test_proc_names();
	test_other_filesystems();
	test_chmod_fsync();
	test_truncate();
	test_cwd();
	test_dup();
	test_fcntl();
	test_emfile();
	test_long_names();
	test_bad_paths();
	test_page_end_path();
	test_unlink_open();
	test_leaks();
	unlink(in_dir("f"));
	check_eq("remove the scratch directory", rmdir(dir), 0);
	return t_end();
}
