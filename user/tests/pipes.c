/*
 * pipes: pipe and pipe2 (course section: pipes and inter-process
 * communication).
 *
 * A pipe is a kernel buffer with a read end and a write end. Tested here:
 * pipe2's flags and bad arguments; end of file when every writer has closed;
 * EPIPE and SIGPIPE when no reader is left; non-blocking ends (EAGAIN on an
 * empty read or a full write); the atomicity of writes up to PIPE_BUF; data
 * that goes through unchanged; the capacity (F_GETPIPE_SZ, F_SETPIPE_SZ);
 * and readers and writers that sleep until the other side acts.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "testlib.h"

/* ---- creating pipes ---------------------------------------------------------------- */

static void test_pipe2(void)
{
	int p[2], fd;

	check_eq("pipe", pipe(p), 0);
	check_eq("the read end is O_RDONLY", fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	check_eq("the write end is O_WRONLY", fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	check_eq("no FD_CLOEXEC by default", fcntl(p[0], F_GETFD) | fcntl(p[1], F_GETFD), 0);
	check_errno("write to the read end: EBADF", write(p[0], "x", 1), EBADF);
	check_errno("read from the write end: EBADF", read(p[1], &fd, 1), EBADF);
	close(p[0]);
	close(p[1]);

	check_eq("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK), 0);
	check("both ends have O_NONBLOCK", (fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK),
	      "flags %#x %#x", fcntl(p[0], F_GETFL), fcntl(p[1], F_GETFL));
	close(p[0]);
	close(p[1]);
	check_eq("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC), 0);
	check("both ends have FD_CLOEXEC", fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC,
	      "got %d %d", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
	close(p[0]);
	close(p[1]);

	check_errno("pipe2 flags O_APPEND: EINVAL", pipe2(p, O_APPEND), EINVAL);
	check_errno("pipe2 flags O_RDWR: EINVAL", pipe2(p, O_RDWR), EINVAL);
	check_errno("pipe2 flags -1: EINVAL", pipe2(p, -1), EINVAL);
	/* Which descriptor is the lowest free one now? A failed pipe must not
	 * leave descriptors behind. */
	fd = dup(0);
	close(fd);
	check_errno("pipe(NULL): EFAULT", pipe(NULL), EFAULT);
	check_errno("pipe to a kernel address: EFAULT", pipe((int *)0xffffffff80100000UL), EFAULT);
	check_errno("pipe2 to the user ceiling: EFAULT", pipe2((int *)0x7ffffffff000UL, 0), EFAULT);
	check_errno("pipe to read-only text: EFAULT", pipe((int *)(void *)test_pipe2), EFAULT);
	check_eq("the failed calls left no descriptors open", dup(0), fd);
	close(fd);
}

/* ---- basic data flow ------------------------------------------------------------------ */

static void test_basic_io(void)
{
	int p[2], n = -1;
	char buf[100];

	pipe(p);
	write(p[1], "0123456789", 10);
	check_eq("FIONREAD reports the bytes waiting", ioctl(p[0], FIONREAD, &n) == 0 ? n : -1, 10);
	check_eq("read returns what is there, not the full count", read(p[0], buf, sizeof(buf)), 10);
	check("in order", memcmp(buf, "0123456789", 10) == 0, "got %.10s", buf);
	check_eq("write of 0 bytes", write(p[1], buf, 0), 0);
	check_eq("read of 0 bytes", read(p[0], buf, 0), 0);
	write(p[1], "ab", 2);
	close(p[1]);
	check_eq("the data written before close is still read", read(p[0], buf, sizeof(buf)), 2);
	check_eq("then EOF: read returns 0", read(p[0], buf, sizeof(buf)), 0);
	check_eq("and again 0", read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
}

/* EOF only when the last write end closes, including a child's copy. */
static void test_eof_all_writers(void)
{
	int p[2];
	char c;
	pid_t pid;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		t_nap(50);	/* hold the write end a moment, then exit */
		_exit(0);
	}
	close(p[1]);
	check_eq("EOF once the child's write end is gone too", read(p[0], &c, 1), 0);
	t_wait(pid, T_WAIT_TICKS);
	close(p[0]);
}

/* ---- no readers ----------------------------------------------------------------------------- */

static void write_to_closed(long mode)
{
	int p[2];
	sigset_t set, pending;

	pipe(p);
	close(p[0]);
	if (mode == 1)
		signal(SIGPIPE, SIG_IGN);
	if (mode == 2) {
		sigemptyset(&set);
		sigaddset(&set, SIGPIPE);
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	if (write(p[1], "x", 1) != -1 || errno != EPIPE)
		_exit(1);
	if (mode == 2 && (sigpending(&pending) != 0 || !sigismember(&pending, SIGPIPE)))
		_exit(2);
	_exit(0);
}

static void test_epipe(void)
{
	int st;

	check_signaled("write with no reader: SIGPIPE kills", run_child(write_to_closed, 0), SIGPIPE);
	st = run_child(write_to_closed, 1);
	check_exited("with SIGPIPE ignored: write fails with EPIPE", st, 0);
	st = run_child(write_to_closed, 2);
	check("with SIGPIPE blocked: EPIPE, and SIGPIPE is pending", st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "expected exit 0, got %s (1: not EPIPE, 2: not pending)", status_text(st));
}

/* A writer blocked on a full pipe learns that the reader went away: its
 * write returns what it managed to write, the next one EPIPE. */
static void blocked_writer(long rfd_and_wfd)
{
	int rfd = (int)(rfd_and_wfd >> 16), wfd = (int)(rfd_and_wfd & 0xffff);
	size_t big = 1 << 20;	/* more than any pipe holds */
	char *buf = calloc(1, big);
	ssize_t r;

	close(rfd);
	signal(SIGPIPE, SIG_IGN);
	r = write(wfd, buf, big);
	if (r <= 0 || (size_t)r >= big)
		_exit(1);
	if (write(wfd, buf, 1) != -1 || errno != EPIPE)
		_exit(2);
	_exit(0);
}

static void test_reader_closes(void)
{
	int p[2];
	pid_t pid;
	char buf[16];
	int st;

	pipe(p);
	pid = t_fork();
	if (pid == 0)
		blocked_writer(((long)p[0] << 16) | p[1]);
	close(p[1]);
	read(p[0], buf, 1);	/* the writer has started */
	t_nap(100);		/* ...and is now (most likely) blocked on the full pipe */
	close(p[0]);
	st = t_wait(pid, T_WAIT_TICKS);
	check("a blocked writer gets a short count when the reader closes, then EPIPE",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "expected exit 0, got %s (1: not a short count, 2: not EPIPE)", status_text(st));
}

/* ---- non-blocking ----------------------------------------------------------------------------- */

static void test_nonblock(void)
{
	int p[2];
	char *buf = malloc(1 << 20);
	long cap = 0, n, left = 0;

	pipe2(p, O_NONBLOCK);
	check_errno("empty non-blocking read: EAGAIN", read(p[0], buf, 1), EAGAIN);
	/* Fill it: a non-blocking write takes what fits, then EAGAIN. */
	while ((n = write(p[1], buf, 1 << 20)) > 0)
		cap += n;
	check_errno("full non-blocking write: EAGAIN", n, EAGAIN);
	check("the pipe holds at least PIPE_BUF bytes", cap >= PIPE_BUF, "holds only %ld", cap);
	check_errno("a 1-byte write to the full pipe: EAGAIN", write(p[1], buf, 1), EAGAIN);
	/* With only 100 bytes free, a PIPE_BUF write must not be split. */
	read(p[0], buf, 100);
	check_errno("a PIPE_BUF write with less room: EAGAIN (all or nothing)", write(p[1], buf, PIPE_BUF), EAGAIN);
	while ((n = read(p[0], buf, 1 << 20)) > 0)
		left += n;
	check_eq("no partial write happened", left, cap - 100);
	check_errno("drained: EAGAIN again", n, EAGAIN);
	check_eq("an empty pipe takes a write again", write(p[1], buf, 10), 10);
	close(p[1]);
	read(p[0], buf, 10);
	check_eq("no writers: a non-blocking read gives EOF, not EAGAIN", read(p[0], buf, 1), 0);
	close(p[0]);
	free(buf);
}

/* ---- atomicity and integrity ----------------------------------------------------------------- */

#define RECORDS 64

/* Each writer sends RECORDS records of PIPE_BUF bytes, all one letter. */
static void record_writer(int wfd, char letter)
{
	char rec[PIPE_BUF];

	memset(rec, letter, sizeof(rec));
	for (int i = 0; i < RECORDS; i++)
		if (write(wfd, rec, sizeof(rec)) != sizeof(rec))
			_exit(1);
	_exit(0);
}

static void test_atomic(void)
{
	static char rec[PIPE_BUF];
	int p[2], mixed = 0, records = 0;
	size_t fill = 0;
	ssize_t n;
	pid_t a, b;

	pipe(p);
	if ((a = t_fork()) == 0)
		record_writer(p[1], 'A');
	if ((b = t_fork()) == 0)
		record_writer(p[1], 'B');
	close(p[1]);
	/* Read in odd sizes; cut the stream into PIPE_BUF records. */
	while ((n = read(p[0], rec + fill, fill + 1000 > sizeof(rec) ? sizeof(rec) - fill : 1000)) > 0) {
		fill += (size_t)n;
		if (fill == sizeof(rec)) {
			for (size_t i = 1; i < sizeof(rec); i++)
				if (rec[i] != rec[0])
					mixed = 1;
			records++;
			fill = 0;
		}
	}
	close(p[0]);
	check_exited("writer A", t_wait(a, T_WAIT_TICKS), 0);
	check_exited("writer B", t_wait(b, T_WAIT_TICKS), 0);
	check_eq("all records arrived", records, 2 * RECORDS);
	check("writes of PIPE_BUF bytes from two writers never interleave", !mixed && fill == 0,
	      "a record mixed A and B");
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i ^ (i >> 8) ^ (i >> 16) ^ 0x5a);
}

/* 256 KiB from a child to the parent, both using irregular sizes. */
static void test_bulk(void)
{
	size_t total = 256 * 1024, got = 0;
	unsigned char buf[7000];
	int p[2], ok = 1;
	ssize_t n;
	pid_t pid;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		size_t sent = 0, chunk = 1;
		close(p[0]);
		while (sent < total) {
			size_t len = chunk < total - sent ? chunk : total - sent;
			for (size_t i = 0; i < len; i++)
				buf[i] = pattern(sent + i);
			if (write(p[1], buf, len) != (ssize_t)len)
				_exit(1);
			sent += len;
			chunk = chunk * 3 % 6997 + 1;	/* 1, 4, 13, 40, ... */
		}
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, got % 3 ? 4096 : 5000)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] != pattern(got + (size_t)i))
				ok = 0;
		got += (size_t)n;
	}
	close(p[0]);
	check_exited("the writer finished", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("256 KiB arrived", (long)got, (long)total);
	check("every byte unchanged and in order", ok, "a byte differs");
}

/* ---- sleeping and waking -------------------------------------------------------------------- */

static void test_wakeups(void)
{
	int p[2], st;
	char c = 0, *buf = calloc(1, 1 << 20);
	pid_t pid;
	long n, total = 0;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		t_nap(50);	/* let the parent block first */
		write(p[1], "w", 1);
		_exit(0);
	}
	check_eq("a reader blocked on an empty pipe wakes when a byte comes", read(p[0], &c, 1), 1);
	check_eq("and reads it", c, 'w');
	t_wait(pid, T_WAIT_TICKS);

	pid = t_fork();
	if (pid == 0) {
		/* 1 MiB into a pipe that holds less: blocks until the parent reads. */
		_exit(write(p[1], buf, 1 << 20) == 1 << 20 ? 0 : 1);
	}
	t_nap(50);
	while (total < 1 << 20 && (n = read(p[0], buf, 1 << 20)) > 0)
		total += n;
	st = t_wait(pid, T_WAIT_TICKS);
	check_exited("a writer blocked on a full pipe finishes as the reader drains it", st, 0);
	check_eq("all of its 1 MiB arrived", total, 1 << 20);

	/* A reader blocked forever can still be killed. */
	pid = t_fork();
	if (pid == 0) {
		read(p[0], &c, 1);
		_exit(0);
	}
	t_nap(20);
	kill(pid, SIGKILL);
	check_signaled("a reader blocked in read dies by SIGKILL", t_wait(pid, T_WAIT_TICKS), SIGKILL);
	close(p[0]);
	close(p[1]);
	free(buf);
}

/* 100 pipes, each left with data in it, closed: nothing may leak. */
static void pipe_churn(void)
{
	int p[2];

	for (int i = 0; i < 100; i++) {
		if (pipe(p) < 0)
			return;
		write(p[1], "leftover", 8);
		close(p[0]);
		close(p[1]);
	}
}

/* ---- the capacity: F_GETPIPE_SZ and F_SETPIPE_SZ -------------------------------------------- */

static void test_pipe_size(void)
{
	int p[2];
	static char buf[70000];

	pipe2(p, O_NONBLOCK);
	check_eq("a new pipe holds 65536 bytes", fcntl(p[0], F_GETPIPE_SZ), 65536);
	check_eq("F_SETPIPE_SZ 8192", fcntl(p[1], F_SETPIPE_SZ, 8192), 8192);
	check_eq("both ends see it", fcntl(p[0], F_GETPIPE_SZ), 8192);
	for (int i = 0; i < 8192; i++)
		buf[i] = (char)i;
	check_eq("a full pipe now takes 8192 bytes", write(p[1], buf, sizeof(buf)), 8192);
	check_errno("and no more", write(p[1], buf, 1), EAGAIN);
	check_errno("shrinking below what is inside: EBUSY", fcntl(p[0], F_SETPIPE_SZ, 4096), EBUSY);
	read(p[0], buf, 100);
	check_eq("growing keeps the bytes", fcntl(p[0], F_SETPIPE_SZ, 65536), 65536);
	check_eq("a read after growing gets the rest", read(p[0], buf, sizeof(buf)), 8092);
	check("in order", buf[0] == (char)100 && buf[8091] == (char)8191, "got %d and %d", buf[0], buf[8091]);
	check_eq("sizes round up to a power of two pages: 5000 -> 8192", fcntl(p[0], F_SETPIPE_SZ, 5000), 8192);
	check_eq("0 -> one page", fcntl(p[0], F_SETPIPE_SZ, 0), 4096);
	check_eq("1 MiB (pipe-max-size) is allowed", fcntl(p[0], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	int fd = open("/dev/null", O_RDONLY);
	check_errno("F_GETPIPE_SZ on a file that is not a pipe: EBADF", fcntl(fd, F_GETPIPE_SZ), EBADF);
	check_errno("F_SETPIPE_SZ on it: EBADF", fcntl(fd, F_SETPIPE_SZ, 4096), EBADF);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void test_leaks(void)
{
	struct leak_mark m;

	pipe_churn();
	leak_mark(&m);
	pipe_churn();
	leak_check("100 pipes closed with data inside: nothing leaked", &m);
}

int main(void)
{
	t_begin("pipes");
	test_pipe2();
	test_basic_io();
	test_eof_all_writers();
	test_epipe();
	test_reader_closes();
	test_nonblock();
	test_atomic();
	test_pipe_size();
	test_bulk();
	test_wakeups();
	test_leaks();
	return t_end();
}
