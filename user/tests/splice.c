/*
 * splice, tee, sendfile and copy_file_range: copies the kernel makes
 * between two descriptors (course sections: files; high-performance
 * patterns).
 *
 * The same checks run on Linux: bytes arrive whole and in order, offsets
 * given by pointer move while the file's position stays (and the other
 * way round without them), tee leaves its input in place, an empty pipe
 * answers EAGAIN with SPLICE_F_NONBLOCK and 0 at end of file, and the bad
 * cases (no pipe, offsets for a pipe, one pipe on both sides, O_APPEND,
 * bad flags, overlapping ranges, directories) get Linux's errnos.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "testlib.h"

#define SRC "/tmp/splice.src"
#define DST "/tmp/splice.dst"
#define TEXT "0123456789abcdefghijklmnopqrstuvwxyz"
#define TEXT_LEN 36

static int make_source(void)
{
	int fd = open(SRC, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, TEXT, TEXT_LEN);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int fresh_dest(int flags)
{
	return open(DST, O_RDWR | O_CREAT | O_TRUNC | flags, 0600);
}

/* The first n bytes of path, NUL-terminated, in a static buffer. */
static const char *contents(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void test_sendfile(void)
{
	int in = make_source(), out = fresh_dest(0);
	check_eq("sendfile of 10 bytes", sendfile(out, in, NULL, 10), 10);
	check_eq("... moves the input's position", lseek(in, 0, SEEK_CUR), 10);
	check_eq("... and the output's", lseek(out, 0, SEEK_CUR), 10);
	check_eq("sendfile of more than is left: the rest", sendfile(out, in, NULL, 1000), TEXT_LEN - 10);
	check("the copy is whole", !strcmp(contents(DST), TEXT), "%s", contents(DST));
	check_eq("sendfile at the end: 0", sendfile(out, in, NULL, 10), 0);
	off_t off = 4;
	lseek(in, 0, SEEK_SET);
	ftruncate(out, 0);
	lseek(out, 0, SEEK_SET);
	check_eq("sendfile at offset 4", sendfile(out, in, &off, 6), 6);
	check_eq("... moves the offset", off, 10);
	check_eq("... not the input's position", lseek(in, 0, SEEK_CUR), 0);
	check("... the bytes at 4", !strcmp(contents(DST), "456789"), "%s", contents(DST));
	off = -1;
	check_errno("sendfile at a negative offset: EINVAL", sendfile(out, in, &off, 6), EINVAL);
	check_errno("sendfile with a bad offset pointer: EFAULT", sendfile(out, in, (off_t *)8, 6), EFAULT);
	check_errno("sendfile from a closed descriptor: EBADF", sendfile(out, 999, NULL, 6), EBADF);
	int wronly = open(SRC, O_WRONLY);
	check_errno("sendfile from a write-only file: EBADF", sendfile(out, wronly, NULL, 6), EBADF);
	close(wronly);
	close(out);
	out = fresh_dest(O_APPEND);
	check_errno("sendfile to an O_APPEND file: EINVAL", sendfile(out, in, NULL, 6), EINVAL);
	close(out);

	int p[2];
	pipe(p);
	lseek(in, 0, SEEK_SET);
	check_eq("sendfile into a pipe", sendfile(p[1], in, NULL, 5), 5);
	char buf[8] = { 0 };
	read(p[0], buf, sizeof(buf));
	check("... the pipe has the bytes", !strcmp(buf, "01234"), "%s", buf);
	check_errno("sendfile from a pipe: EINVAL", sendfile(p[1], p[0], NULL, 5), EINVAL);
	close(p[0]), close(p[1]), close(in);
}

static void test_splice(void)
{
	int in = make_source(), p[2];
	pipe(p);
	off_t off = 26;
	check_eq("splice a file into a pipe at offset 26", splice(in, &off, p[1], NULL, 10, 0), 10);
	check_eq("... the offset moved", off, 36);
	check_eq("... the file's position did not", lseek(in, 0, SEEK_CUR), 0);
	check_eq("splice at the end of the file: 0", splice(in, &off, p[1], NULL, 10, 0), 0);
	int out = fresh_dest(0);
	check_eq("splice the pipe into a file", splice(p[0], NULL, out, NULL, 100, 0), 10);
	check_eq("... the file's position moved", lseek(out, 0, SEEK_CUR), 10);
	check("... the bytes", !strcmp(contents(DST), "qrstuvwxyz"), "%s", contents(DST));
	check_errno("an empty pipe with SPLICE_F_NONBLOCK: EAGAIN", splice(p[0], NULL, out, NULL, 10, SPLICE_F_NONBLOCK),
		    EAGAIN);

	int q[2];
	pipe(q);
	write(p[1], "pipe to pipe", 12);
	check_eq("splice a pipe into a pipe", splice(p[0], NULL, q[1], NULL, 100, 0), 12);
	char buf[16] = { 0 };
	read(q[0], buf, sizeof(buf));
	check("... the bytes", !strcmp(buf, "pipe to pipe"), "%s", buf);

	check_errno("splice between two files: EINVAL", splice(in, NULL, out, NULL, 10, 0), EINVAL);
	off = 0;
	check_errno("an offset for the pipe end: ESPIPE", splice(p[0], &off, out, NULL, 10, 0), ESPIPE);
	check_errno("one pipe on both sides: EINVAL", splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL);
	check_errno("an unknown flag: EINVAL", splice(in, NULL, p[1], NULL, 10, 0x10), EINVAL);
	check_errno("the wrong ends: EBADF", splice(p[1], NULL, out, NULL, 10, 0), EBADF);
	check_eq("length 0", splice(in, NULL, p[1], NULL, 0, 0), 0);
	close(out);
	out = fresh_dest(O_APPEND);
	write(p[1], "x", 1);
	check_errno("into an O_APPEND file: EINVAL", splice(p[0], NULL, out, NULL, 1, 0), EINVAL);
	close(out);

	close(p[1]);
	read(p[0], buf, sizeof(buf));
	check_eq("a drained pipe with no writer: 0 (end of file)", splice(p[0], NULL, q[1], NULL, 10, 0), 0);
	close(p[0]);
	close(q[0]);
	signal(SIGPIPE, SIG_IGN);
	check_errno("into a pipe nobody reads: EPIPE", splice(in, NULL, q[1], NULL, 10, 0), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(q[1]);
	close(in);
}

static void test_tee(void)
{
	int a[2], b[2], in = make_source();
	pipe(a);
	pipe(b);
	write(a[1], "teed", 4);
	check_eq("tee copies 4 bytes", tee(a[0], b[1], 100, 0), 4);
	char buf[8] = { 0 };
	read(b[0], buf, sizeof(buf));
	check("... into the second pipe", !strcmp(buf, "teed"), "%s", buf);
	memset(buf, 0, sizeof(buf));
	read(a[0], buf, sizeof(buf));
	check("... and leaves them in the first", !strcmp(buf, "teed"), "%s", buf);
	check_errno("tee from an empty pipe with SPLICE_F_NONBLOCK: EAGAIN", tee(a[0], b[1], 10, SPLICE_F_NONBLOCK),
		    EAGAIN);
	check_errno("tee into the same pipe: EINVAL", tee(a[0], a[1], 10, 0), EINVAL);
	check_errno("tee from a file: EINVAL", tee(in, b[1], 10, 0), EINVAL);
	check_errno("tee with the ends swapped: EBADF", tee(a[1], b[0], 10, 0), EBADF);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]), close(in);
}

static void test_copy_file_range(void)
{
	int in = make_source(), out = fresh_dest(0);
	check_eq("copy_file_range of 36 bytes", copy_file_range(in, NULL, out, NULL, 100, 0), TEXT_LEN);
	check("... the copy", !strcmp(contents(DST), TEXT), "%s", contents(DST));
	check_eq("... both positions moved", lseek(in, 0, SEEK_CUR) + lseek(out, 0, SEEK_CUR), 2 * TEXT_LEN);
	check_eq("at the end of the input: 0", copy_file_range(in, NULL, out, NULL, 100, 0), 0);
	off_t from = 0, to = 40;
	check_eq("within one file, not overlapping", copy_file_range(in, &from, in, &to, 10, 0), 10);
	check("... offsets moved", from == 10 && to == 50, "from %ld to %ld", (long)from, (long)to);
	from = 0, to = 5;
	check_errno("within one file, overlapping: EINVAL", copy_file_range(in, &from, in, &to, 10, 0), EINVAL);
	check_errno("flags 1: EINVAL", copy_file_range(in, NULL, out, NULL, 10, 1), EINVAL);
	int p[2];
	pipe(p);
	check_errno("from a pipe: EINVAL", copy_file_range(p[0], NULL, out, NULL, 10, 0), EINVAL);
	int dir = open("/tmp", O_RDONLY);
	check_errno("from a directory: EISDIR", copy_file_range(dir, NULL, out, NULL, 10, 0), EISDIR);
	close(dir), close(p[0]), close(p[1]), close(out);
	out = fresh_dest(O_APPEND);
	check_errno("into an O_APPEND file: EBADF", copy_file_range(in, NULL, out, NULL, 10, 0), EBADF);
	close(out), close(in);
	unlink(SRC);
	unlink(DST);
}

int main(void)
{
	t_begin("splice");
	test_sendfile();
	test_splice();
	test_tee();
	test_copy_file_range();
	return t_end();
}
