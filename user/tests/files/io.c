/*
 * files: open and its flags; read, write, seek; metadata (course section: files and directories;
 * bad-input catalogue "Syscall entry and pointers" 2). One part of the files test: main.c runs it.
 */
#include "files.h"

/* ---- open and its flags ----------------------------------------------------------- */

void test_open_flags(void)
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

void test_openat(void)
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

void test_seek(void)
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
void test_holes(void)
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

void test_pread_pwrite(void)
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

void test_vectors(void)
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
void test_big_file(void)
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

void test_stat(void)
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

void test_access(void)
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
