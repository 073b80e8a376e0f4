/*
 * memory: mmap, munmap, mprotect and brk (course section: virtual memory;
 * bad-input catalogue "Memory faults" 10-11).
 *
 * Anonymous mappings: their argument checks (EINVAL, ENOMEM, EEXIST),
 * demand paging (first touch), protections enforced by the MMU (SIGSEGV in a
 * child), splitting a mapping by a partial munmap or mprotect, MAP_FIXED and
 * MAP_FIXED_NOREPLACE, MAP_SHARED versus MAP_PRIVATE across fork, running out
 * of memory (in a child) and recovering, and touching a page that brk gave
 * back. Faults happen in forked children so that the test survives them.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL
#define MiB (1UL << 20)

static void *map_anon(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* In a child: touch addr (read or write) and exit 0 if that did not fault. */
static void touch_read(long addr)
{
	(void)*(volatile char *)addr;
}

static void touch_write(long addr)
{
	*(volatile char *)addr = 1;
}

static int faults_on_read(void *p)
{
	int st = run_child(touch_read, (long)p);
	return st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static int faults_on_write(void *p)
{
	int st = run_child(touch_write, (long)p);
	return st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

/* ---- arguments ------------------------------------------------------------------------- */

static void test_mmap_args(void)
{
	char *p = map_anon(PAGE, PROT_READ | PROT_WRITE);

	check_errno("mmap length 0: EINVAL", (long)map_anon(0, PROT_READ), EINVAL);
	check_errno("MAP_FIXED at an unaligned address: EINVAL",
		    (long)mmap(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	check_errno("neither MAP_PRIVATE nor MAP_SHARED: EINVAL",
		    (long)mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	check_errno("an unaligned offset: EINVAL",
		    (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100), EINVAL);
	check_errno("a file mapping of fd 99: EBADF", (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0), EBADF);
	check_errno("a 1 TiB mapping: ENOMEM", (long)map_anon(1UL << 40, PROT_READ | PROT_WRITE), ENOMEM);
	check_errno("a 200 TiB mapping (more than user space): ENOMEM",
		    (long)map_anon(200UL << 40, PROT_READ | PROT_WRITE), ENOMEM);
	check_errno("length -4096: ENOMEM", (long)map_anon((size_t)-4096, PROT_READ), ENOMEM);
	check_errno("MAP_FIXED at the user ceiling: ENOMEM",
		    (long)mmap((void *)0x7ffffffff000UL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		    ENOMEM);
	check_errno("MAP_FIXED in the kernel half: ENOMEM",
		    (long)mmap((void *)0xffff800000000000UL, PAGE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		    ENOMEM);
	check_errno("MAP_FIXED running over the ceiling: ENOMEM",
		    (long)mmap((void *)(0x7ffffffff000UL - PAGE), 2 * PAGE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		    ENOMEM);
	check_errno("mprotect of an unmapped range: ENOMEM", mprotect((void *)0x10000, PAGE, PROT_READ), ENOMEM);
	check_errno("mprotect at an unaligned address: EINVAL", mprotect(p + 1, PAGE, PROT_READ), EINVAL);
	check_errno("mprotect with unknown bits 0x100: EINVAL", mprotect(p, PAGE, 0x100), EINVAL);
	check_errno("munmap at an unaligned address: EINVAL", munmap(p + 1, PAGE), EINVAL);
	check_errno("munmap of length 0: EINVAL", munmap(p, 0), EINVAL);
	check_errno("munmap in the kernel half: EINVAL", munmap((void *)0xffffffff80000000UL, PAGE), EINVAL);
	check_eq("munmap of a range with nothing mapped succeeds", munmap((void *)0x10000, PAGE), 0);
	munmap(p, PAGE);
}

/* ---- the basics ----------------------------------------------------------------------- */

static void test_first_touch(void)
{
	size_t len = 64 * PAGE;
	unsigned char *p = map_anon(len, PROT_READ | PROT_WRITE), *q;
	int zero = 1, kept = 1;

	if (!check("mmap 64 pages", p != MAP_FAILED, "got -1 %s", errno_name(errno)))
		return;
	check("the address is page aligned", ((uintptr_t)p & (PAGE - 1)) == 0, "got %p", (void *)p);
	for (size_t i = 0; i < len; i += 512)
		zero &= p[i] == 0;
	check("fresh anonymous memory reads as zeros", zero, "a byte was not 0");
	for (size_t i = 0; i < len; i += 512)
		p[i] = (unsigned char)(i / 512);
	for (size_t i = 0; i < len; i += 512)
		kept &= p[i] == (unsigned char)(i / 512);
	check("each page keeps what was written (first touch)", kept, "a byte changed");
	q = map_anon(len, PROT_READ | PROT_WRITE);
	check("a second mapping does not overlap the first", q + len <= p || q >= p + len,
	      "%p and %p", (void *)p, (void *)q);
	munmap(q, len);
	check_eq("munmap", munmap(p, len), 0);
	check("unmapped memory faults", faults_on_read(p), "reading it did not end in SIGSEGV");
	/* A length that is not a page multiple is rounded up. */
	p = map_anon(5000, PROT_READ | PROT_WRITE);
	p[8191] = 1;
	check_eq("a 5000-byte mapping covers two whole pages", p[8191], 1);
	munmap(p, 5000);
}

static void test_protection(void)
{
	char *p = map_anon(PAGE, PROT_NONE);
	unsigned char *code;

	check("PROT_NONE: reading faults", faults_on_read(p), "no SIGSEGV");
	check("PROT_NONE: writing faults", faults_on_write(p), "no SIGSEGV");
	check_eq("mprotect to read-write", mprotect(p, PAGE, PROT_READ | PROT_WRITE), 0);
	p[0] = 'x';
	check_eq("mprotect to read-only", mprotect(p, PAGE, PROT_READ), 0);
	check_eq("read-only: the data is still there", p[0], 'x');
	check("read-only: writing faults", faults_on_write(p), "no SIGSEGV");
	check_eq("mprotect back to read-write", mprotect(p, PAGE, PROT_READ | PROT_WRITE), 0);
	p[1] = 'y';
	check_eq("writable again", p[1], 'y');
	munmap(p, PAGE);

	code = map_anon(PAGE, PROT_READ | PROT_WRITE);
	code[0] = 0xb8;	/* mov $42, %eax; ret */
	code[1] = 42;
	code[2] = code[3] = code[4] = 0;
	code[5] = 0xc3;
	{
		int st = run_child((void (*)(long))(void *)code, 0);
		check("executing a read-write (not executable) mapping faults",
		      st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "got %s", status_text(st));
	}
	mprotect(code, PAGE, PROT_READ | PROT_EXEC);
	check_eq("after mprotect PROT_EXEC the code runs", ((int (*)(void))(void *)code)(), 42);
	check("and writing to it faults", faults_on_write(code), "no SIGSEGV");
	munmap(code, PAGE);
}

/* ---- splitting and replacing ------------------------------------------------------------ */

static void test_split(void)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);

	p[0] = 'a';
	p[PAGE] = 'b';
	p[2 * PAGE] = 'c';
	check_eq("munmap the middle page", munmap(p + PAGE, PAGE), 0);
	check("the hole faults", faults_on_read(p + PAGE), "no SIGSEGV");
	check("the pages on both sides are intact", p[0] == 'a' && p[2 * PAGE] == 'c', "got %c %c", p[0], p[2 * PAGE]);
	p[2 * PAGE + 1] = 'd';
	check_eq("and still writable", p[2 * PAGE + 1], 'd');
	munmap(p, 3 * PAGE);

	p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	p[PAGE] = 'm';
	check_eq("mprotect the middle page read-only", mprotect(p + PAGE, PAGE, PROT_READ), 0);
	check("the middle page refuses writes", faults_on_write(p + PAGE), "no SIGSEGV");
	p[0] = 1;
	p[2 * PAGE] = 1;
	check_eq("its neighbours still take writes", p[0] + p[2 * PAGE], 2);
	check_eq("the middle page still reads", p[PAGE], 'm');
	check_eq("munmap of the whole split range", munmap(p, 3 * PAGE), 0);
	check("all of it is gone", faults_on_read(p) && faults_on_read(p + 2 * PAGE), "no SIGSEGV");
}

static void test_fixed(void)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE), *q;

	p[0] = 'k';
	p[PAGE] = 'r';
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check("MAP_FIXED returns exactly the address", q == p + PAGE, "got %p, wanted %p", (void *)q, (void *)(p + PAGE));
	check_eq("the replaced page is fresh (zero)", p[PAGE], 0);
	check_eq("the page before is untouched", p[0], 'k');
	check_errno("MAP_FIXED_NOREPLACE over a mapping: EEXIST",
		    (long)mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	check_eq("and the mapping is untouched", p[0], 'k');
	munmap(p, 2 * PAGE);
	q = mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	check("MAP_FIXED_NOREPLACE at a free address takes it", q == p, "got %p", (void *)q);
	munmap(q, PAGE);
}

/* ---- sharing ------------------------------------------------------------------------------ */

static void test_sharing(void)
{
	int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *private = map_anon(PAGE, PROT_READ | PROT_WRITE);
	pid_t pid;

	if (!check("mmap MAP_SHARED|MAP_ANONYMOUS", shared != MAP_FAILED, "got -1 %s", errno_name(errno)))
		return;
	*shared = 1;
	*private = 1;
	pid = t_fork();
	if (pid == 0) {
		*shared = 2;
		*private = 2;
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
	check_eq("MAP_SHARED: the child's write reaches the parent", *shared, 2);
	check_eq("MAP_PRIVATE: it does not", *private, 1);
	pid = t_fork();
	if (pid == 0) {
		/* Parent writes after fork reach the child too, shared only. */
		for (int i = 0; i < 500 && *shared != 3; i++)
			t_nap(10);
		_exit(*shared == 3 && *private == 1 ? 0 : 1);
	}
	*shared = 3;
	*private = 3;
	check_exited("the parent's later write reaches the child via MAP_SHARED only", t_wait(pid, T_WAIT_TICKS), 0);
	munmap(shared, PAGE);
	munmap(private, PAGE);
}

/* A private mapping of a file: the file's bytes, and writes stay private. */
static void test_file_mapping(void)
{
	char path[64];
	char *p;
	int fd;

	snprintf(path, sizeof(path), "/tmp/memory-%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "mapped file", 11);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (check("mmap MAP_PRIVATE of a file", p != MAP_FAILED, "got -1 %s", errno_name(errno))) {
		check("it shows the file's bytes", memcmp(p, "mapped file", 11) == 0, "got %.11s", p);
		check_eq("and zeros after the end of the file", p[11] | p[PAGE - 1], 0);
		p[0] = 'M';
		char c = 0;
		pread(fd, &c, 1, 0);
		check_eq("a write to the private mapping does not reach the file", c, 'm');
		munmap(p, PAGE);
	}
	close(fd);
	unlink(path);
}

/* ---- madvise, msync -------------------------------------------------------------------- */

static void test_advice(void)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);

	p[0] = 7;
	p[PAGE] = 7;
	check_eq("madvise MADV_DONTNEED", madvise(p, PAGE, MADV_DONTNEED), 0);
	check_eq("a private page reads as zero after MADV_DONTNEED", p[0], 0);
	check_eq("the next page is untouched", p[PAGE], 7);
	check_errno("madvise at an unaligned address: EINVAL", madvise(p + 1, PAGE, MADV_DONTNEED), EINVAL);
	check_eq("msync MS_SYNC", msync(p, PAGE, MS_SYNC), 0);
	check_errno("msync MS_SYNC|MS_ASYNC: EINVAL", msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	check_errno("msync at an unaligned address: EINVAL", msync(p + 1, PAGE, MS_SYNC), EINVAL);
	munmap(p, 2 * PAGE);
	check_errno("msync of an unmapped range: ENOMEM", msync(p, PAGE, MS_SYNC), ENOMEM);
}

/* ---- brk ------------------------------------------------------------------------------------ */

static void brk_shrink_touch(long unused)
{
	char *old = sbrk(0);

	(void)unused;
	sbrk(4 * PAGE);
	old[0] = 1;
	old[3 * PAGE] = 1;	/* the heap's pages are there... */
	sbrk(-(intptr_t)(4 * PAGE));
	/* ...until brk gives them back: the first whole page above the break is
	 * gone, so touching it must fault. */
	*(volatile char *)(((uintptr_t)old + 2 * PAGE) & ~(PAGE - 1)) = 2;
	_exit(0);
}

static void test_brk(void)
{
	check_signaled("brk shrunk: touching the freed page faults", run_child(brk_shrink_touch, 0), SIGSEGV);
}

/* ---- out of memory ------------------------------------------------------------------------- */

/*
 * Map and touch 1 MiB after another until mmap fails or the kernel kills
 * us, reporting each MiB as one byte on fd. On Linux a 256 MiB address-space
 * limit (RLIMIT_AS) makes mmap fail long before the host runs short; sysgate
 * runs out for real.
 */
static void eat_memory(long fd)
{
	static const unsigned long lim[2] = { 256 * MiB, 256 * MiB };

	if (!on_sysgate())
		syscall(160, 9, lim);	/* setrlimit(RLIMIT_AS) */
	for (;;) {
		char *p = map_anon(MiB, PROT_READ | PROT_WRITE);
		if (p == MAP_FAILED)
			_exit(errno == ENOMEM ? 0 : 1);
		for (size_t i = 0; i < MiB; i += PAGE)
			p[i] = 1;
		write((int)fd, "m", 1);
	}
}

/* Returns MiB eaten; *how is the child's wait status. */
static long eat_once(int *how)
{
	int p[2];
	long mib = 0;
	char buf[256];
	ssize_t n;
	pid_t pid;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		close(p[0]);
		eat_memory(p[1]);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		mib += n;
	close(p[0]);
	*how = t_wait(pid, T_WAIT_TICKS);
	return mib;
}

static void test_oom(void)
{
	struct leak_mark m;
	long first, second;
	int how;

	first = eat_once(&how);
	/* An ENOMEM from mmap, or a kill when a page could not be had. */
	check("allocate until ENOMEM (or killed), in a child",
	      how >= 0 && (WIFEXITED(how) ? WEXITSTATUS(how) == 0
					  : WTERMSIG(how) == SIGKILL || WTERMSIG(how) == SIGSEGV ||
						    WTERMSIG(how) == SIGBUS),
	      "got %s after %ld MiB", status_text(how), first);
	check("it got some memory first", first > 0, "got %ld MiB", first);
	check_exited("the system still works: fork and exit", run_child(touch_read, (long)&how), 0);
	leak_mark(&m);
	second = eat_once(&how);
	check("the same amount the second time", second == first, "first %ld MiB, then %ld MiB", first, second);
	leak_check("all of it came back", &m);
}

/* Map, touch and unmap 100 regions of 64 KiB, twice: nothing may leak. */
static void map_churn(void)
{
	for (int i = 0; i < 100; i++) {
		char *p = map_anon(16 * PAGE, PROT_READ | PROT_WRITE);
		if (p == MAP_FAILED)
			return;
		for (int j = 0; j < 16; j++)
			p[j * PAGE] = 1;
		mprotect(p + PAGE, PAGE, PROT_READ);	/* split it, too */
		munmap(p, 16 * PAGE);
	}
}

static void test_leaks(void)
{
	struct leak_mark m;

	map_churn();
	leak_mark(&m);
	map_churn();
	leak_check("100 mappings made, split and unmapped: nothing leaked", &m);
}

/* Field 10 of /proc/self/stat: the page faults resolved so far (minflt). */
static long minflt_now(void)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');	/* the name may hold spaces */
	for (int field = 2; p && field < 10; field++)
		p = strchr(p + 1, ' ');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

/* Each first touch of an anonymous page, and each copy-on-write copy after
 * fork, is one fault that /proc/self/stat's minflt counts. */
static void test_fault_counter(void)
{
	enum { PAGES = 8 };
	char *m = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!check("mmap 8 pages for the fault counter", m != MAP_FAILED, "errno %s", errno_name(errno)))
		return;
	long before = minflt_now();
	for (int i = 0; i < PAGES; i++)
		m[i * 4096] = 1;
	long after = minflt_now();
	check("first touches of 8 pages: minflt grows by at least 8", before >= 0 && after - before >= PAGES,
	      "%ld then %ld", before, after);
	pid_t pid = t_fork();
	if (pid == 0) {
		long start = minflt_now();
		for (int i = 0; i < PAGES; i++)
			m[i * 4096] = 2;	/* shared with the parent since fork: copied now */
		_exit(minflt_now() - start >= PAGES ? 0 : 1);
	}
	check_exited("after fork, writes to 8 pages are 8 copy-on-write faults in minflt", t_wait(pid, T_WAIT_TICKS), 0);
	munmap(m, PAGES * 4096);
}

int main(void)
{
	t_begin("memory");
	test_fault_counter();
	test_mmap_args();
	test_first_touch();
	test_protection();
	test_split();
	test_fixed();
	test_sharing();
	test_file_mapping();
	test_advice();
	test_brk();
	test_oom();
	test_leaks();
	return t_end();
}
