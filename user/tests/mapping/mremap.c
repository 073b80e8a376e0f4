/*
 * mapping: leaks; mremap (course section:  shared memory, "mmap file communication"). One part of
 * the mapping test: main.c runs it.
 */
#include "mapping.h"

/* ---- leaks ----------------------------------------------------------------------------------------------- */

/* ---- mremap ------------------------------------------------------------------------------------ */

/* A spot with n free pages: map them, then unmap all but the first k. */
char *map_with_room(int k, int n)
{
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p + k * PAGE, (n - k) * PAGE);
	return p;
}

/* mremap with old_len 0 makes a second view of shared pages. */
void test_mremap_duplicate(void)
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

void test_mremap(void)
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
void test_mremap_quietly(long unused)
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

void churn(void)
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

void test_leaks(void)
{
	t_leak_test("file, private, shared and heap mappings made, split, moved, forked and dropped: nothing leaked",
		    churn);
}

/* Touch the stack this process may first reach later, so that the leak
 * checks below see only the kernel's counts. */
void warm_up(void)
{
	volatile char stack[64 * 1024];
	for (size_t i = 0; i < sizeof(stack); i += PAGE)
		stack[i] = 0;
}
