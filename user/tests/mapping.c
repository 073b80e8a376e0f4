/*
 * mapping: shared, file-backed and private mappings (course section:
 * shared memory, "mmap file communication").
 *
 * The point under test is which frames a mapping shows: a MAP_SHARED
 * mapping of a file shows the file's own pages, so it is coherent with
 * read() and write() and with every other process's shared mapping of the
 * file, both ways; a MAP_PRIVATE mapping shows them too until the first
 * write, which copies the page (copy on write) so the file never changes;
 * MAP_SHARED|MAP_ANONYMOUS memory stays the same frames across fork, even
 * pages first touched after it. Around that: the errnos of mmap on files
 * (EBADF, EACCES, ENODEV, EINVAL, EEXIST, EOPNOTSUPP), SIGBUS beyond the
 * end of the file, partial munmap and mprotect of file mappings (the offset
 * of each piece must stay right), msync, madvise(MADV_DONTNEED) on each
 * kind of memory, MAP_POPULATE, PROT_EXEC of a file, faults outside every
 * region (bad-input catalogue 9, with faults.c), and no leaks.
 * memory.c covers anonymous private mappings and brk.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL

/* ---- files ------------------------------------------------------------------------- */

static char paths[8][64];
static int npaths;

/* A new file of `pages` pages, byte i of page p being 'A' + p (a pattern
 * that tells pages apart), opened with `flags`. */
static int make_file(int pages, int flags)
{
	char *path = paths[npaths % 8];
	snprintf(path, 64, "/tmp/mapping-%d-%d", getpid(), npaths++);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[PAGE];
	for (int p = 0; p < pages; p++) {
		memset(page, 'A' + p, sizeof(page));
		write(fd, page, sizeof(page));
	}
	if ((flags & O_ACCMODE) != O_RDWR) {
		close(fd);
		fd = open(path, flags);
	}
	return fd;
}

static void remove_files(void)
{
	for (int i = 0; i < npaths && i < 8; i++)
		unlink(paths[i]);
	npaths = 0;
}

static char file_byte(int fd, off_t at)
{
	char c = 0;
	pread(fd, &c, 1, at);
	return c;
}

static void *map_file(size_t len, int prot, int flags, int fd, off_t offset)
{
	return mmap(NULL, len, prot, flags, fd, offset);
}

/* ---- faults in children ---------------------------------------------------------------- */

static void exit_code_fn(long code)
{
	_exit((int)code);
}

static void touch_read(long addr)
{
	(void)*(volatile char *)addr;
}

static void touch_write(long addr)
{
	*(volatile char *)addr = 1;
}

static int killed_by(void (*fn)(long), void *addr, int sig)
{
	int st = run_child(fn, (long)addr);
	return st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

/* ---- arguments ---------------------------------------------------------------------------- */

static void test_errors(void)
{
	int rw = make_file(2, O_RDWR), ro = make_file(2, O_RDONLY), wo = make_file(2, O_WRONLY);
	int pipefd[2];
	char *p;

	check_errno("length 0: EINVAL", (long)map_file(0, PROT_READ, MAP_SHARED, rw, 0), EINVAL);
	check_errno("an unaligned offset: EINVAL", (long)map_file(PAGE, PROT_READ, MAP_SHARED, rw, 100), EINVAL);
	check_errno("neither MAP_SHARED nor MAP_PRIVATE: EINVAL", (long)map_file(PAGE, PROT_READ, 0, rw, 0), EINVAL);
	check_errno("MAP_FIXED at an unaligned address: EINVAL",
		    (long)mmap((void *)0x10000100, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, rw, 0), EINVAL);
	check_errno("MAP_SHARED_VALIDATE with an unknown flag: EOPNOTSUPP",
		    (long)map_file(PAGE, PROT_READ, MAP_SHARED_VALIDATE | 0x800000, rw, 0), EOPNOTSUPP);
	check_errno("MAP_SHARED_VALIDATE of anonymous memory: EINVAL",
		    (long)map_file(PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	p = map_file(PAGE, PROT_READ, MAP_SHARED_VALIDATE, rw, 0);
	check("MAP_SHARED_VALIDATE with known flags works", p != MAP_FAILED && p[0] == 'A', "got %s",
	      errno_name(errno));
	munmap(p, PAGE);
	check_errno("fd -1 without MAP_ANONYMOUS: EBADF", (long)map_file(PAGE, PROT_READ, MAP_SHARED, -1, 0), EBADF);
	check_errno("a closed fd: EBADF", (long)map_file(PAGE, PROT_READ, MAP_PRIVATE, 200, 0), EBADF);
	check_errno("MAP_SHARED PROT_WRITE of a read-only fd: EACCES",
		    (long)map_file(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	check_errno("any mapping of a write-only fd: EACCES", (long)map_file(PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	p = map_file(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	check("MAP_PRIVATE PROT_WRITE of a read-only fd is fine (writes stay private)", p != MAP_FAILED,
	      "got -1 %s", errno_name(errno));
	if (p != MAP_FAILED) {
		p[0] = 'x';
		check_eq("the file is untouched", file_byte(ro, 0), 'A');
		munmap(p, PAGE);
	}
	p = map_file(PAGE, PROT_READ, MAP_SHARED, ro, 0);
	check("MAP_SHARED PROT_READ of a read-only fd", p != MAP_FAILED, "got -1 %s", errno_name(errno));
	check_errno("then mprotect PROT_WRITE: EACCES", mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
	check_signaled("and a write to it: SIGSEGV", run_child(touch_write, (long)p), SIGSEGV);
	munmap(p, PAGE);
	pipe(pipefd);
	check_errno("a pipe: ENODEV", (long)map_file(PAGE, PROT_READ, MAP_SHARED, pipefd[0], 0), ENODEV);
	close(pipefd[0]);
	close(pipefd[1]);
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	check_errno("a directory: ENODEV", (long)map_file(PAGE, PROT_READ, MAP_SHARED, dir, 0), ENODEV);
	close(dir);
	p = map_file(2 * PAGE, PROT_READ, MAP_SHARED, rw, 0);
	check_errno("MAP_FIXED_NOREPLACE over part of a file mapping: EEXIST",
		    (long)mmap(p + PAGE, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, rw, 0), EEXIST);
	check_eq("and the mapping is intact", p[PAGE], 'B');
	munmap(p, 2 * PAGE);
	close(rw);
	close(ro);
	close(wo);
	remove_files();
}

/* ---- shared file mappings: coherence ------------------------------------------------------ */

static void test_file_coherence(void)
{
	int fd = make_file(3, O_RDWR);
	char *p = map_file(3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), *q;

	if (!check("mmap MAP_SHARED of a 3-page file", p != MAP_FAILED, "got -1 %s", errno_name(errno)))
		return;
	check("it shows the file's pages", p[0] == 'A' && p[PAGE] == 'B' && p[3 * PAGE - 1] == 'C', "got %c %c %c",
	      p[0], p[PAGE], p[3 * PAGE - 1]);
	p[10] = 'm';
	check_eq("a write to the mapping is seen by read()", file_byte(fd, 10), 'm');
	pwrite(fd, "w", 1, PAGE + 20);
	check_eq("a write() to the file is seen in the mapping", p[PAGE + 20], 'w');
	q = map_file(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
	check("a second mapping at offset one page shows page 2", q != MAP_FAILED && q[0] == 'B', "got %c", q[0]);
	q[1] = 'q';
	check_eq("a write through it shows in the first mapping", p[PAGE + 1], 'q');
	munmap(q, PAGE);
	close(fd);
	p[2 * PAGE] = 'c';
	fd = open(paths[0], O_RDONLY);
	check_eq("the mapping outlives its descriptor, and still writes the file", file_byte(fd, 2 * PAGE), 'c');
	close(fd);
	unlink(paths[0]);
	p[2] = 'u';
	check_eq("and its (now nameless) file", p[2], 'u');
	munmap(p, 3 * PAGE);
	npaths = 0;
}

/* Two processes, each with its own mapping of the file, see each other. */
static void test_file_between_processes(void)
{
	int fd = make_file(2, O_RDWR);
	volatile char *p = map_file(2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	volatile int *flag = (volatile int *)(p + PAGE);

	*flag = 0;
	pid_t pid = t_fork();
	if (pid == 0) {
		int cfd = open(paths[0], O_RDWR);
		volatile char *c = map_file(2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
		volatile int *cflag = (volatile int *)(c + PAGE);
		if (c == MAP_FAILED)
			_exit(2);
		c[0] = 'k'; /* our mapping -> theirs */
		*cflag = 1;
		for (int i = 0; i < 3000 && *cflag != 2; i++)
			t_nap(10);
		_exit(*cflag == 2 && c[1] == 'p' ? 0 : 1); /* theirs -> ours */
	}
	for (int i = 0; i < 3000 && *flag != 1; i++)
		t_nap(10);
	check_eq("another process's mapping of the file writes into ours", p[0], 'k');
	p[1] = 'p';
	*flag = 2;
	check_exited("and ours into theirs", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("both reached the file", file_byte(fd, 0) == 'k' && file_byte(fd, 1) == 'p', 1);
	munmap((void *)p, 2 * PAGE);
	close(fd);
	remove_files();
}

/* ---- private file mappings: copy on write ------------------------------------------------------ */

static void test_private_cow(void)
{
	int fd = make_file(2, O_RDWR);
	char *p = map_file(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	if (!check("mmap MAP_PRIVATE of a file", p != MAP_FAILED, "got -1 %s", errno_name(errno)))
		return;
	check_eq("it shows the file", p[PAGE], 'B');
	p[0] = 'x';
	check_eq("the write shows in the mapping", p[0], 'x');
	check_eq("but not in the file", file_byte(fd, 0), 'A');
	pwrite(fd, "F", 1, 1);
	check_eq("a later write() to the file does not reach the copied page", p[1], 'A');
	pid_t pid = t_fork();
	if (pid == 0) {
		p[0] = 'c';
		p[PAGE] = 'c';
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
	check("a child's writes after fork stay in the child", p[0] == 'x' && p[PAGE] == 'B', "got %c %c", p[0],
	      p[PAGE]);
	check_eq("and out of the file", file_byte(fd, PAGE), 'B');
	check_eq("MADV_DONTNEED drops the private copy", madvise(p, PAGE, MADV_DONTNEED), 0);
	check_eq("the page shows the file again", p[1], 'F');
	munmap(p, 2 * PAGE);
	close(fd);
	remove_files();
}

/* ---- the end of the file: SIGBUS --------------------------------------------------------------- */

static void test_sigbus(void)
{
	int fd = make_file(0, O_RDWR);
	char *p;

	write(fd, "short", 5);
	p = map_file(3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!check("map 3 pages of a 5-byte file", p != MAP_FAILED, "got -1 %s", errno_name(errno)))
		return;
	check("the first page shows the bytes, then zeros", memcmp(p, "short", 5) == 0 && p[5] == 0 && p[PAGE - 1] == 0,
	      "got %.5s", p);
	check("reading the second page: SIGBUS", killed_by(touch_read, p + PAGE, SIGBUS), "no SIGBUS");
	check("writing the third: SIGBUS", killed_by(touch_write, p + 2 * PAGE, SIGBUS), "no SIGBUS");
	char *q = map_file(PAGE, PROT_READ, MAP_PRIVATE, fd, 4 * PAGE);
	check("a private mapping wholly past the end: SIGBUS on read",
	      q != MAP_FAILED && killed_by(touch_read, q, SIGBUS), "no SIGBUS");
	munmap(q, PAGE);
	check_eq("ftruncate grows the file to 2 pages", ftruncate(fd, 2 * PAGE), 0);
	p[PAGE + 7] = 'g';
	check_eq("then the second page is there, and writes reach the file", file_byte(fd, PAGE + 7), 'g');
	check("the third is still past the end: SIGBUS", killed_by(touch_read, p + 2 * PAGE, SIGBUS), "no SIGBUS");
	check_eq("ftruncate shrinks it to 1 page", ftruncate(fd, PAGE), 0);
	check("the second page is gone from the mapping: SIGBUS", killed_by(touch_read, p + PAGE, SIGBUS), "no SIGBUS");
	check_eq("ftruncate grows it again", ftruncate(fd, 2 * PAGE), 0);
	check_eq("the second page comes back as zeros", p[PAGE + 7], 0);
	munmap(p, 3 * PAGE);
	close(fd);
	remove_files();
}

/* ---- splitting file mappings ---------------------------------------------------------------------- */

static void test_split(void)
{
	int fd = make_file(4, O_RDWR);
	char *p = map_file(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	check_eq("munmap the first page of a shared file mapping", munmap(p, PAGE), 0);
	check("it is gone", killed_by(touch_read, p, SIGSEGV), "no SIGSEGV");
	p[2 * PAGE] = '2';
	check_eq("the rest still writes the right page of the file", file_byte(fd, 2 * PAGE), '2');
	check_eq("munmap a middle page", munmap(p + 2 * PAGE, PAGE), 0);
	check("the hole faults", killed_by(touch_read, p + 2 * PAGE, SIGSEGV), "no SIGSEGV");
	p[3 * PAGE] = '3';
	p[PAGE] = '1';
	check("both sides still write their own pages", file_byte(fd, 3 * PAGE) == '3' && file_byte(fd, PAGE) == '1',
	      "got %c %c", file_byte(fd, 3 * PAGE), file_byte(fd, PAGE));
	munmap(p, 4 * PAGE);

	p = map_file(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check_eq("mprotect the second page of a shared file mapping read-only", mprotect(p + PAGE, PAGE, PROT_READ), 0);
	check("it refuses writes", killed_by(touch_write, p + PAGE, SIGSEGV), "no SIGSEGV");
	check_eq("and still reads", p[PAGE], '1');
	p[2 * PAGE + 5] = 'x';
	p[5] = 'y';
	check("the pieces on both sides write their own pages",
	      file_byte(fd, 2 * PAGE + 5) == 'x' && file_byte(fd, 5) == 'y', "wrong page");
	check_eq("mprotect the last two pages PROT_NONE", mprotect(p + 2 * PAGE, 2 * PAGE, PROT_NONE), 0);
	check("they refuse reads", killed_by(touch_read, p + 3 * PAGE, SIGSEGV), "no SIGSEGV");
	check_eq("mprotect all of it back to read-write", mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE), 0);
	p[PAGE + 9] = 'z';
	check("every piece writes again", file_byte(fd, PAGE + 9) == 'z' && p[3 * PAGE] == '3', "no");
	munmap(p, 4 * PAGE);
	close(fd);
	remove_files();
}

/* ---- shared anonymous memory across fork -------------------------------------------------------------- */

static void test_shared_anonymous(void)
{
	volatile char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	p[0] = 1;
	pid_t pid = t_fork();
	if (pid == 0) {
		pid_t grandchild = t_fork();
		if (grandchild == 0) {
			p[3 * PAGE] = 3; /* touched first here, two forks down */
			_exit(0);
		}
		t_wait(grandchild, T_WAIT_TICKS);
		p[PAGE] = p[3 * PAGE] == 3 ? 2 : 9;
		munmap((void *)p, 4 * PAGE); /* the child's unmap leaves ours alone */
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
	check_eq("a page first touched by a grandchild reaches the grandparent", p[3 * PAGE], 3);
	check_eq("and the child saw it too", p[PAGE], 2);
	check_eq("the child's munmap did not touch our mapping", p[0], 1);
	check_eq("MADV_DONTNEED on shared anonymous memory", madvise((void *)p, 4 * PAGE, MADV_DONTNEED), 0);
	check_eq("keeps its contents (they are the shared object's)", p[3 * PAGE], 3);
	munmap((void *)p, 4 * PAGE);
}

/* ---- msync, madvise, MAP_POPULATE, PROT_EXEC, MAP_FIXED ------------------------------------------------- */

/* /dev/zero maps as memory: private, a copy of its own; shared, one
 * object between parent and child, as MAP_SHARED|MAP_ANONYMOUS. */
static void test_dev_zero(void)
{
	int fd = open("/dev/zero", O_RDWR);
	volatile char *priv = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	volatile char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	check("mmap /dev/zero, private and shared", priv != MAP_FAILED && shared != MAP_FAILED,
	      "%s", errno_name(errno));
	if (priv == MAP_FAILED || shared == MAP_FAILED) {
		close(fd);
		return;
	}
	check_eq("it reads as zeros", priv[PAGE + 7], 0);
	priv[0] = 5;
	check_eq("and takes writes", priv[0], 5);
	pid_t pid = t_fork();
	if (pid == 0) {
		shared[9] = 42;
		priv[0] = 6;
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
	check_eq("a child's write to the shared /dev/zero mapping reaches the parent", shared[9], 42);
	check_eq("its write to the private one does not", priv[0], 5);
	int wronly = open("/dev/zero", O_WRONLY);
	check_errno("mmap of /dev/zero opened write-only: EACCES",
		    (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wronly, 0), EACCES);
	close(wronly);
	munmap((void *)priv, 2 * PAGE);
	munmap((void *)shared, PAGE);
	close(fd);
	void *p = mmap(NULL, PAGE, PROT_READ | 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap ignores prot bits it does not know (0x100)", p != MAP_FAILED, "%s", errno_name(errno));
	munmap(p, PAGE);
}

static void test_msync_madvise(void)
{
	int fd = make_file(2, O_RDWR);
	char *p = map_file(3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	munmap(p + 2 * PAGE, PAGE); /* a hole right after the mapping */
	p[0] = 's';
	check_eq("msync MS_SYNC", msync(p, 2 * PAGE, MS_SYNC), 0);
	check_eq("then the file has the write", file_byte(fd, 0), 's');
	check_eq("msync MS_ASYNC", msync(p, PAGE, MS_ASYNC), 0);
	check_eq("msync MS_INVALIDATE", msync(p, PAGE, MS_INVALIDATE), 0);
	check_errno("msync with unknown flags: EINVAL", msync(p, PAGE, 8), EINVAL);
	check_errno("msync of a range partly unmapped: ENOMEM", msync(p, 3 * PAGE, MS_SYNC), ENOMEM);
	check_eq("MADV_DONTNEED on a shared file mapping", madvise(p, 2 * PAGE, MADV_DONTNEED), 0);
	check("keeps the data (it is the file's)", p[0] == 's' && p[PAGE] == 'B', "got %c %c", p[0], p[PAGE]);
	check_eq("MADV_WILLNEED", madvise(p, PAGE, MADV_WILLNEED), 0);
	check_errno("madvise of an unmapped range: ENOMEM", madvise(p, 3 * PAGE, MADV_DONTNEED), ENOMEM);
	check_errno("madvise with advice 9999: EINVAL", madvise(p, PAGE, 9999), EINVAL);
	munmap(p, 2 * PAGE);

	p = map_file(2 * PAGE, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	check("MAP_POPULATE of a file shows it", p != MAP_FAILED && p[0] == 's' && p[PAGE] == 'B', "got %s",
	      errno_name(errno));
	munmap(p, 2 * PAGE);
	p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	check("MAP_POPULATE of anonymous memory: zeros, writable", p != MAP_FAILED && p[7 * PAGE] == 0, "failed");
	p[7 * PAGE] = 1;
	munmap(p, 8 * PAGE);
	close(fd);
	remove_files();
}

static void test_exec_and_fixed(void)
{
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 }; /* mov $42, %eax; ret */
	int fd = make_file(0, O_RDWR);
	char *p, *q;

	write(fd, code, sizeof(code));
	ftruncate(fd, PAGE);
	p = map_file(PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	check("mmap PROT_EXEC of a file", p != MAP_FAILED, "got -1 %s", errno_name(errno));
	check_eq("its code runs", ((int (*)(void))(void *)p)(), 42);
	check_signaled("writing to it: SIGSEGV", run_child(touch_write, (long)p), SIGSEGV);
	q = map_file(PAGE, PROT_READ, MAP_SHARED, fd, 0);
	check_signaled("a mapping without PROT_EXEC does not run: SIGSEGV", run_child((void (*)(long))(void *)q, 0),
		       SIGSEGV);
	char *r = mmap(q, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check("MAP_FIXED replaces a file mapping", r == q && q[0] == 0, "got %p", (void *)r);
	check_eq("the file is unchanged", (unsigned char)file_byte(fd, 0), 0xb8);
	munmap(p, PAGE);
	munmap(q, PAGE);
	p = map_file(PAGE, PROT_NONE, MAP_SHARED, fd, 0);
	check("a PROT_NONE file mapping refuses reads", killed_by(touch_read, p, SIGSEGV), "no SIGSEGV");
	munmap(p, PAGE);
	close(fd);
	remove_files();
}

/* ---- mprotect of pages already present; the brk heap ------------------------------------------------- */

static void test_protect_present(void)
{
	char *a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = make_file(1, O_RDWR);
	char *f = map_file(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	a[0] = a[PAGE] = 'a';
	f[0] = 'f';
	check_eq("mprotect a present private page PROT_NONE", mprotect(a, PAGE, PROT_NONE), 0);
	check("reading it: SIGSEGV", killed_by(touch_read, a, SIGSEGV), "no SIGSEGV");
	check_eq("its neighbour still reads", a[PAGE], 'a');
	check_eq("mprotect a present shared file page PROT_NONE", mprotect(f, PAGE, PROT_NONE), 0);
	check("reading it: SIGSEGV", killed_by(touch_read, f, SIGSEGV), "no SIGSEGV");
	{
		/* The kernel's own copies must refuse it too, as on Linux. */
		int p[2];

		pipe(p);
		check_errno("write() from a present PROT_NONE page: EFAULT", write(p[1], a, 1), EFAULT);
		write(p[1], "x", 1);
		check_errno("read() into a present PROT_NONE page: EFAULT", read(p[0], a, 1), EFAULT);
		close(p[0]);
		close(p[1]);
	}
	check_eq("fork with a PROT_NONE page", run_child(exit_code_fn, 7), 7 << 8);
	mprotect(a, PAGE, PROT_READ);
	mprotect(f, PAGE, PROT_READ);
	check("PROT_READ again: the data is back", a[0] == 'a' && f[0] == 'f', "got %c %c", a[0], f[0]);
	munmap(a, 2 * PAGE);
	munmap(f, PAGE);
	close(fd);
	remove_files();
}

/* The brk heap is a region like the others: mprotect and munmap split it. */
static char *grow_heap(int pages)
{
	char *start = sbrk(0);
	start = (char *)(((uintptr_t)start + PAGE - 1) & ~(PAGE - 1)); /* the first whole page */
	brk(start + pages * PAGE);
	for (int i = 0; i < pages; i++)
		start[i * PAGE] = (char)('0' + i);
	return start;
}

static void test_heap(void)
{
	char *h = grow_heap(3);

	check_eq("mprotect the middle heap page read-only", mprotect(h + PAGE, PAGE, PROT_READ), 0);
	check("a write to it: SIGSEGV", killed_by(touch_write, h + PAGE, SIGSEGV), "no SIGSEGV");
	h[0] = 'x';
	h[2 * PAGE] = 'y';
	check_eq("the pages around it take writes", h[0] + h[2 * PAGE], 'x' + 'y');
	check_eq("mprotect it back to read-write", mprotect(h + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
	h[PAGE] = 'z';
	check_eq("it takes writes again", h[PAGE], 'z');
	check_eq("munmap the middle heap page", munmap(h + PAGE, PAGE), 0);
	check("it is gone", killed_by(touch_read, h + PAGE, SIGSEGV), "no SIGSEGV");
	check_eq("the top heap page keeps its data", h[2 * PAGE], 'y');
	char *top = h + 4 * PAGE;
	check("brk still grows", brk(top) == 0, "got %s", errno_name(errno));
	top[-1] = 't';
	check_eq("and the new page takes writes", top[-1], 't');
	brk(h);
	check("brk shrunk below it all: the top page is gone", killed_by(touch_read, h + 2 * PAGE, SIGSEGV), "no");
	check("and the first", killed_by(touch_read, h, SIGSEGV), "no SIGSEGV");
	h = grow_heap(2);
	check_eq("the heap grows again from there", h[PAGE], '1');
	brk(h);
}

static void heap_mischief(long unused)
{
	(void)unused;
	for (int i = 0; i < 5; i++) {
		char *h = grow_heap(4);
		mprotect(h + PAGE, PAGE, PROT_READ);
		munmap(h + 2 * PAGE, PAGE);
		brk(h + 8 * PAGE);
		h[7 * PAGE] = 1;
		brk(h);
	}
}

/* ---- outside every region (bad-input catalogue 9) -----------------------------------------------------
 *
 * faults.c covers NULL, kernel addresses and writes; here the stack: far
 * below the stack pointer, beyond any stack limit, there is no region, so a
 * read or an instruction fetch there faults like a write does. */

static void limit_stack(void)
{
	static const unsigned long lim[2] = { 8UL << 20, 8UL << 20 };

	if (!on_sysgate())
		syscall(160, 3, lim); /* setrlimit(RLIMIT_STACK): 8 MiB, sysgate's own limit */
}

static void read_below_stack(long distance)
{
	char here;

	limit_stack();
	(void)*(volatile char *)((uintptr_t)&here - (uintptr_t)distance);
}

static void exec_below_stack(long distance)
{
	char here;

	limit_stack();
	((void (*)(void))((uintptr_t)&here - (uintptr_t)distance))();
}

static void test_outside_regions(void)
{
	check_signaled("read 64 MiB below the stack: SIGSEGV", run_child(read_below_stack, 64L << 20), SIGSEGV);
	check_signaled("execute 64 MiB below the stack: SIGSEGV", run_child(exec_below_stack, 64L << 20), SIGSEGV);
	check_signaled("read 1 GiB below the stack: SIGSEGV", run_child(read_below_stack, 1L << 30), SIGSEGV);
}

/* ---- leaks ----------------------------------------------------------------------------------------------- */

/* ---- mremap ------------------------------------------------------------------------------------ */

/* A spot with n free pages: map them, then unmap all but the first k. */
static char *map_with_room(int k, int n)
{
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p + k * PAGE, (n - k) * PAGE);
	return p;
}

/* mremap with old_len 0 makes a second view of shared pages. */
static void test_mremap_duplicate(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	p[0] = 'x';
	char *q = mremap(p, 0, PAGE, MREMAP_MAYMOVE);
	check("old_len 0 on a shared mapping: a second mapping", q != MAP_FAILED && q != p, "got %p (%s)", (void *)q,
	      errno_name(errno));
	if (q != MAP_FAILED) {
		check_eq("it shows the same bytes", q[0], 'x');
		q[1] = 'y';
		check_eq("and a write through it shows through the first", p[1], 'y');
		munmap(q, PAGE);
	}
	check_errno("old_len 0 without MREMAP_MAYMOVE: ENOMEM", (long)mremap(p, 0, PAGE, 0), ENOMEM);
	check_errno("old_len 0 on a private mapping: EINVAL", (long)mremap(priv, 0, PAGE, MREMAP_MAYMOVE), EINVAL);
	munmap(priv, PAGE);
	munmap(p, PAGE);
	check_errno("old_len 0 where nothing is mapped: EFAULT", (long)mremap(p, 0, PAGE, MREMAP_MAYMOVE), EFAULT);
}

static void test_mremap(void)
{
	char *p = map_with_room(2, 8), *q;

	p[0] = 'a';
	p[PAGE] = 'b';
	q = mremap(p, 2 * PAGE, 4 * PAGE, 0);
	check("grow in place (free pages above): the same address", q == p, "got %p for %p", (void *)q, (void *)p);
	check("the old pages keep their bytes", p[0] == 'a' && p[PAGE] == 'b', "got %c %c", p[0], p[PAGE]);
	check_eq("the new pages read as zeros", p[3 * PAGE], 0);
	p[3 * PAGE] = 'd';
	q = mremap(p, 4 * PAGE, PAGE, 0);
	check("shrink: the same address", q == p, "got %p", (void *)q);
	check("the cut pages are gone", killed_by(touch_read, p + PAGE, SIGSEGV), "no SIGSEGV");

	/* Blocked above: without MREMAP_MAYMOVE it cannot grow. */
	char *wall = mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check("(a page mapped right above it)", wall == p + PAGE, "got %p", (void *)wall);
	check_errno("grow into a mapped page, no MREMAP_MAYMOVE: ENOMEM", (long)mremap(p, PAGE, 2 * PAGE, 0), ENOMEM);
	q = mremap(p, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	check("with MREMAP_MAYMOVE it moves", q != MAP_FAILED && q != p, "got %p", (void *)q);
	check("and its bytes moved with it (no copy: the same frame)", q != MAP_FAILED && q[0] == 'a', "got %c",
	      q != MAP_FAILED ? q[0] : '?');
	check("the old address is unmapped", killed_by(touch_read, p, SIGSEGV), "no SIGSEGV");
	munmap(wall, PAGE);

	/* MREMAP_FIXED: exactly there, replacing what was there. */
	char *target = map_with_room(1, 4);
	target[0] = 'x';
	char *r = mremap(q, 3 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	check("MREMAP_FIXED moves it exactly where asked", r == target, "got %p for %p", (void *)r, (void *)target);
	check("replacing what was there", r == target && target[0] == 'a', "got %c", target[0]);
	munmap(target, 2 * PAGE);

	/* A shared mapping keeps its sharing when it moves. */
	char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *moved = mremap(s, PAGE, 16 * PAGE, MREMAP_MAYMOVE);
		moved[0] = 's'; /* the parent must see it */
		_exit(moved == MAP_FAILED);
	}
	check_exited("a child moves a shared mapping and writes to it", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("the parent sees the write: still shared", s[0], 's');
	munmap(s, PAGE);

	char *e = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_errno("an unaligned address: EINVAL", (long)mremap(e + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EINVAL);
	check_errno("unknown flags 0x80: EINVAL", (long)mremap(e, PAGE, 2 * PAGE, 0x80), EINVAL);
	check_errno("MREMAP_FIXED without MREMAP_MAYMOVE: EINVAL", (long)mremap(e, PAGE, PAGE, MREMAP_FIXED, e + PAGE),
		    EINVAL);
	check_errno("new length 0: EINVAL", (long)mremap(e, PAGE, 0, MREMAP_MAYMOVE), EINVAL);
	check_errno("MREMAP_FIXED onto itself: EINVAL",
		    (long)mremap(e, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, e + PAGE), EINVAL);
	munmap(e + PAGE, PAGE);
	check_errno("a range running past its mapping: EFAULT", (long)mremap(e, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE),
		    EFAULT);
	munmap(e, PAGE);
	check_errno("nothing mapped there: EFAULT", (long)mremap(e, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EFAULT);
}

/* For the leak check: the same moves, in a child, its lines thrown away. */
static void test_mremap_quietly(long unused)
{
	int null = open("/dev/null", O_WRONLY);

	(void)unused;
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	test_mremap();
	test_mremap_duplicate();
	fflush(stdout);
	_exit(0);
}

static void churn(void)
{
	for (int i = 0; i < 10; i++) {
		int fd = make_file(4, O_RDWR);
		char *s = map_file(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		char *v = map_file(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		char *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		s[0] = v[PAGE] = a[2 * PAGE] = 1;
		mprotect(s + PAGE, PAGE, PROT_READ);
		munmap(v + 2 * PAGE, PAGE);
		pid_t pid = t_fork();
		if (pid == 0) {
			s[2 * PAGE] = v[0] = a[3 * PAGE] = 2;
			_exit(0);
		}
		t_wait(pid, T_WAIT_TICKS);
		madvise(v, PAGE, MADV_DONTNEED);
		ftruncate(fd, PAGE);
		munmap(s, 4 * PAGE);
		munmap(v, 4 * PAGE);
		munmap(a, 4 * PAGE);
		close(fd);
		remove_files();
	}
	run_child(heap_mischief, 0);
	run_child(test_mremap_quietly, 0);
}

static void test_leaks(void)
{
	t_leak_test("file, private, shared and heap mappings made, split, moved, forked and dropped: nothing leaked",
		    churn);
}

/* Touch the stack this process may first reach later, so that the leak
 * checks below see only the kernel's counts. */
static void warm_up(void)
{
	volatile char stack[64 * 1024];
	for (size_t i = 0; i < sizeof(stack); i += PAGE)
		stack[i] = 0;
}

int main(void)
{
	t_begin("mapping");
	test_leaks(); /* first: the rest must not disturb its counts */
	warm_up();
	t_group("errors", test_errors);
	t_group("file coherence", test_file_coherence);
	t_group("file between processes", test_file_between_processes);
	t_group("private copy on write", test_private_cow);
	t_group("SIGBUS", test_sigbus);
	t_group("split", test_split);
	t_group("shared anonymous", test_shared_anonymous);
	t_group("/dev/zero", test_dev_zero);
	t_group("msync and madvise", test_msync_madvise);
	t_group("PROT_EXEC and MAP_FIXED", test_exec_and_fixed);
	t_group("outside every region", test_outside_regions);
	t_group("mprotect of present pages", test_protect_present);
	t_group("the brk heap", test_heap);
	t_group("mremap", test_mremap);
	t_group("mremap duplicate", test_mremap_duplicate);
	return t_end();
}
