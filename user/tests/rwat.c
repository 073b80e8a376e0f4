/*
 * preadv, pwritev, preadv2, pwritev2: scattered I/O at an offset, and the
 * per-call RWF_* flags (course section: files).
 *
 * The same checks run on Linux: the file's position stays put (or moves,
 * for offset -1 in the "2" forms), pipes answer ESPIPE to an offset,
 * RWF_NOWAIT makes an empty pipe answer EAGAIN, RWF_APPEND writes at the
 * end, and bad offsets, flags, descriptors and vectors get Linux's errnos.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>

#include "testlib.h"

#define PATH "/tmp/rwat.test"

static int make_file(void)
{
	int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "0123456789abcdef", 16);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void test_preadv_pwritev(void)
{
	int fd = make_file();
	char a[4], b[4];
	struct iovec iov[2] = { { a, 4 }, { b, 4 } };
	check_eq("preadv reads 8 bytes at offset 4", preadv(fd, iov, 2, 4), 8);
	check("preadv fills the buffers in order", !memcmp(a, "4567", 4) && !memcmp(b, "89ab", 4), "%.4s %.4s", a, b);
	check_eq("preadv leaves the position", lseek(fd, 0, SEEK_CUR), 0);
	struct iovec out[2] = { { "XY", 2 }, { "Z", 1 } };
	check_eq("pwritev writes 3 bytes at offset 2", pwritev(fd, out, 2, 2), 3);
	char all[17] = { 0 };
	pread(fd, all, 16, 0);
	check("pwritev's bytes landed at 2", !strcmp(all, "01XYZ56789abcdef"), "%s", all);
	check_eq("pwritev leaves the position", lseek(fd, 0, SEEK_CUR), 0);
	check_eq("preadv past the end reads 0", preadv(fd, iov, 2, 100), 0);
	check_errno("preadv at offset -1: EINVAL", preadv(fd, iov, 2, -1), EINVAL);
	check_errno("preadv at a negative offset: EINVAL", preadv(fd, iov, 2, -5), EINVAL);
	check_errno("preadv with 1025 vectors: EINVAL", preadv(fd, iov, 1025, 0), EINVAL);
	check_errno("preadv with a bad vector pointer: EFAULT", preadv(fd, (struct iovec *)8, 1, 0), EFAULT);
	struct iovec bad = { (void *)0xffff800000000000ul, 4 };
	check_errno("preadv into a kernel address: EFAULT", preadv(fd, &bad, 1, 0), EFAULT);
	check_errno("preadv on a closed descriptor: EBADF", preadv(999, iov, 2, 0), EBADF);
	close(fd);
	fd = open(PATH, O_WRONLY);
	check_errno("preadv on a write-only file: EBADF", preadv(fd, iov, 2, 0), EBADF);
	close(fd);
}

static void test_v2_flags(void)
{
	int fd = make_file();
	char a[4];
	struct iovec iov = { a, 4 };
	check_eq("preadv2 at offset -1 reads at the position", preadv2(fd, &iov, 1, -1, 0), 4);
	check_eq("... and moves it", lseek(fd, 0, SEEK_CUR), 4);
	check_eq("preadv2 at offset 8 with no flags", preadv2(fd, &iov, 1, 8, 0), 4);
	check("... reads there", !memcmp(a, "89ab", 4), "%.4s", a);
	check_eq("... and leaves the position", lseek(fd, 0, SEEK_CUR), 4);
	check_errno("preadv2 with an unknown flag: EOPNOTSUPP", preadv2(fd, &iov, 1, 0, 1 << 30), EOPNOTSUPP);
	check_errno("preadv2 at offset -2: EINVAL", preadv2(fd, &iov, 1, -2, 0), EINVAL);
	struct iovec tail = { "END", 3 };
	check_eq("pwritev2 RWF_APPEND at offset 0", pwritev2(fd, &tail, 1, 0, RWF_APPEND), 3);
	char all[20] = { 0 };
	pread(fd, all, 19, 0);
	check("... wrote at the end", !strcmp(all, "0123456789abcdefEND"), "%s", all);
	check_eq("pwritev2 RWF_DSYNC|RWF_SYNC", pwritev2(fd, &tail, 1, 0, RWF_DSYNC | RWF_SYNC), 3);
	close(fd);
	unlink(PATH);
}

static void test_pipes(void)
{
	int p[2];
	pipe(p);
	char a[4];
	struct iovec iov = { a, 4 };
	check_errno("preadv on a pipe: ESPIPE", preadv(p[0], &iov, 1, 0), ESPIPE);
	check_errno("preadv2 RWF_NOWAIT on an empty pipe: EAGAIN", preadv2(p[0], &iov, 1, -1, RWF_NOWAIT), EAGAIN);
	write(p[1], "pipe", 4);
	check_eq("preadv2 at -1 on a pipe reads it", preadv2(p[0], &iov, 1, -1, 0), 4);
	check("... the bytes", !memcmp(a, "pipe", 4), "%.4s", a);
	check_eq("the pipe stays blocking after RWF_NOWAIT", fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	t_begin("rwat");
	test_preadv_pwritev();
	test_v2_flags();
	test_pipes();
	return t_end();
}
