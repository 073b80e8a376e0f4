/*
 * mapping: files; faults in children; arguments; shared file mappings: coherence; private file
 * mappings: copy on write; the end of the file: SIGBUS; splitting file mappings; shared anonymous
 * memory across fork (course section:  shared memory, "mmap file communication"). One part of the
 * mapping test: main.c runs it.
 */
#include "mapping.h"

/* ---- files ------------------------------------------------------------------------- */

char paths[8][64];
int npaths;

/* A new file of `pages` pages, byte i of page p being 'A' + p (a pattern
 * that tells pages apart), opened with `flags`. */
int make_file(int pages, int flags)
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

void remove_files(void)
{
	for (int i = 0; i < npaths && i < 8; i++)
		unlink(paths[i]);
	npaths = 0;
}

char file_byte(int fd, off_t at)
{
	char c = 0;
	pread(fd, &c, 1, at);
	return c;
}

void *map_file(size_t len, int prot, int flags, int fd, off_t offset)
{
	return mmap(NULL, len, prot, flags, fd, offset);
}

/* ---- faults in children ---------------------------------------------------------------- */

void exit_code_fn(long code)
{
	_exit((int)code);
}

void touch_read(long addr)
{
	(void)*(volatile char *)addr;
}

void touch_write(long addr)
{
	*(volatile char *)addr = 1;
}

int killed_by(void (*fn)(long), void *addr, int sig)
{
	int st = run_child(fn, (long)addr);
	return st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

/* ---- arguments ---------------------------------------------------------------------------- */

void test_errors(void)
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

void test_file_coherence(void)
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
void test_file_between_processes(void)
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

void test_private_cow(void)
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

void test_sigbus(void)
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

void test_split(void)
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

void test_shared_anonymous(void)
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
