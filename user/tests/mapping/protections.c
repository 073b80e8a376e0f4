/*
 * mapping: msync, madvise, MAP_POPULATE, PROT_EXEC, MAP_FIXED; mprotect of pages already present;
 * the brk heap; outside every region (bad-input catalogue 9) (course section:  shared memory,
 * "mmap file communication"). One part of the mapping test: main.c runs it.
 */
#include "mapping.h"

/* ---- msync, madvise, MAP_POPULATE, PROT_EXEC, MAP_FIXED ------------------------------------------------- */

/* /dev/zero maps as memory: private, a copy of its own; shared, one
 * object between parent and child, as MAP_SHARED|MAP_ANONYMOUS. */
void test_dev_zero(void)
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

void test_msync_madvise(void)
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

void test_exec_and_fixed(void)
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

void test_protect_present(void)
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
char *grow_heap(int pages)
{
	char *start = sbrk(0);
	start = (char *)(((uintptr_t)start + PAGE - 1) & ~(PAGE - 1)); /* the first whole page */
	brk(start + pages * PAGE);
	for (int i = 0; i < pages; i++)
		start[i * PAGE] = (char)('0' + i);
	return start;
}

void test_heap(void)
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

void heap_mischief(long unused)
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

void limit_stack(void)
{
	static const unsigned long lim[2] = { 8UL << 20, 8UL << 20 };

	if (!on_sysgate())
		syscall(160, 3, lim); /* setrlimit(RLIMIT_STACK): 8 MiB, sysgate's own limit */
}

void read_below_stack(long distance)
{
	char here;

	limit_stack();
	(void)*(volatile char *)((uintptr_t)&here - (uintptr_t)distance);
}

void exec_below_stack(long distance)
{
	char here;

	limit_stack();
	((void (*)(void))((uintptr_t)&here - (uintptr_t)distance))();
}

void test_outside_regions(void)
{
	check_signaled("read 64 MiB below the stack: SIGSEGV", run_child(read_below_stack, 64L << 20), SIGSEGV);
	check_signaled("execute 64 MiB below the stack: SIGSEGV", run_child(exec_below_stack, 64L << 20), SIGSEGV);
	check_signaled("read 1 GiB below the stack: SIGSEGV", run_child(read_below_stack, 1L << 30), SIGSEGV);
}
