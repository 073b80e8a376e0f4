/*
 * gate: bad descriptors; bad buffers; identity; arch_prctl; ioctl; time; brk (course section: the
 * syscall  gate; issue "Foundation"). One part of the gate test: main.c runs it.
 */
#include "gate.h"

/* ---- bad descriptors ------------------------------------------------------ */

void test_bad_fds(void)
{
	char buf[8] = "x";
	struct iovec iov = { buf, 1 };

	for (size_t i = 0; i < NBADFD; i++) {
		int fd = bad_fds[i];
		check_errno(cname("read fd %d", fd), syscall(SYS_read, fd, buf, 1), EBADF);
		check_errno(cname("write fd %d", fd), syscall(SYS_write, fd, buf, 1), EBADF);
		check_errno(cname("writev fd %d", fd), syscall(SYS_writev, fd, &iov, 1), EBADF);
		check_errno(cname("close fd %d", fd), syscall(SYS_close, fd), EBADF);
	}
}

/* ---- bad buffers ---------------------------------------------------------- */

/*
 * The kernel must check every user pointer before it copies: a bad one gives
 * EFAULT and nothing is transferred. The file starts empty (for writes) or
 * full of 'a' at offset 0 (for reads), so "nothing happened" is visible in
 * its size and in the file position.
 */
void test_bad_buffers(void)
{
	static char data[8192];
	int fd = (int)sys_open(tmpfile, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (!check_ok("open a scratch file in /tmp", fd))
		return;
	for (size_t i = 0; i < NBAD; i++) {
		unsigned long a = bad_ptrs[i];
		check_errno(cname("write(file, %#lx, 8192)", a), syscall(SYS_write, fd, a, 8192), EFAULT);
		check_eq(cname("write(file, %#lx) wrote nothing", a), file_size(fd), 0);
		check_errno(cname("write(1, %#lx, 8192)", a), syscall(SYS_write, 1, a, 8192), EFAULT);
	}
	memset(data, 'a', sizeof(data));
	check_eq("fill the file with 8192 bytes", syscall(SYS_write, fd, data, sizeof(data)), 8192);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	for (size_t i = 0; i < NBAD; i++) {
		unsigned long a = bad_ptrs[i];
		check_errno(cname("read(file, %#lx, 8192)", a), syscall(SYS_read, fd, a, 8192), EFAULT);
		check_eq(cname("read(file, %#lx) left the position", a),
			 syscall(SYS_lseek, fd, 0, SEEK_CUR), 0);
	}

	/* SIZE_MAX bytes starting at a valid buffer run off the end of user space. */
	check_errno("write(1, buf, SIZE_MAX)", syscall(SYS_write, 1, data, SIZE_MAX), EFAULT);
	check_errno("read(file, buf, SIZE_MAX)", syscall(SYS_read, fd, data, SIZE_MAX), EFAULT);
	/* 32 bytes that begin in user space and end above the ceiling. */
	check_errno("write of a buffer straddling the user ceiling",
		    syscall(SYS_write, fd, 0x7ffffffff000UL - 16, 32), EFAULT);
	syscall(SYS_close, fd);
}

/* A buffer that crosses a page boundary, both pages valid: an ordinary
 * transfer that a per-page copy loop must stitch together correctly. */
void test_two_pages(void)
{
	static char big[3 * PAGE];
	char back[200];
	char *p = (char *)(((uintptr_t)big + PAGE) & ~(PAGE - 1)) - 100;
	int fd = (int)sys_open(tmpfile, O_RDWR | O_CREAT | O_TRUNC, 0600);

	for (int i = 0; i < 200; i++)
		p[i] = (char)('A' + i % 26);
	check_eq("write of a buffer spanning two pages", syscall(SYS_write, fd, p, 200), 200);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	memset(back, 0, sizeof(back));
	check_eq("read it back", syscall(SYS_read, fd, back, 200), 200);
	check("the bytes are the same", memcmp(p, back, 200) == 0, "data differs");
	/* And the other way: read into a buffer that spans two pages. */
	memset(p, 0, 200);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	check_eq("read into a buffer spanning two pages", syscall(SYS_read, fd, p, 200), 200);
	check("the bytes arrived", memcmp(p, back, 200) == 0, "data differs");
	syscall(SYS_close, fd);
}

/* Never called: its code is the read-only target of the next test. */
__attribute__((noinline)) int victim(int x)
{
	return x * 7 + 3;
}

/* read() into the program's own text, which is mapped read-only: the kernel
 * must refuse (EFAULT), not write through the protection (CR0.WP). */
void read_into_text(long unused)
{
	unsigned char before[32];
	int fd = (int)sys_open(tmpfile, O_RDONLY, 0);
	long r;

	(void)unused;
	memcpy(before, (void *)victim, sizeof(before));
	r = syscall(SYS_read, fd, (void *)victim, sizeof(before));
	if (memcmp(before, (void *)victim, sizeof(before)) != 0)
		_exit(1);	/* the kernel wrote to a read-only page */
	_exit(r == -1 && errno == EFAULT ? 0 : 2);
}

void test_read_into_text(void)
{
	int st = run_child(read_into_text, 0);

	check("read into read-only text gives EFAULT, text unchanged",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "expected exit 0, got %s (1: text changed, 2: not EFAULT)", status_text(st));
}

/* writev: the iovec array and every buffer in it are user pointers. */
void test_writev(void)
{
	char a[] = "abc", b[] = "defg", back[16] = "";
	struct iovec iov[3] = { { a, 3 }, { b, 4 }, { a, 1 } };
	struct iovec bad[2] = { { a, 3 }, { (void *)0xffff800000000000UL, 4 } };
	int fd = (int)sys_open(tmpfile, O_RDWR | O_CREAT | O_TRUNC, 0600);

	check_eq("writev of 3 buffers", syscall(SYS_writev, fd, iov, 3), 8);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	syscall(SYS_read, fd, back, sizeof(back));
	check("writev wrote them in order", memcmp(back, "abcdefga", 8) == 0, "got %.8s", back);
	check_eq("writev with iovcnt 0", syscall(SYS_writev, fd, iov, 0), 0);
	check_errno("writev with iovcnt -1", syscall(SYS_writev, fd, iov, -1), EINVAL);
	check_errno("writev with iovcnt 1025", syscall(SYS_writev, fd, iov, 1025), EINVAL);
	check_errno("writev with a NULL iovec array", syscall(SYS_writev, fd, NULL, 1), EFAULT);
	check_errno("writev with a kernel iovec array",
		    syscall(SYS_writev, fd, 0xffffffff80100000UL, 1), EFAULT);
	syscall(SYS_ftruncate, fd, 0);
	check_errno("writev with one kernel buffer", syscall(SYS_writev, fd, bad, 2), EFAULT);
	check_eq("writev with one kernel buffer wrote nothing", file_size(fd), 0);
	syscall(SYS_close, fd);
}

/* ---- identity ------------------------------------------------------------- */

void test_ids(void)
{
	long pid = syscall(SYS_getpid), ppid = syscall(SYS_getppid);
	int tid_word = 0;

	check("getpid is positive", pid > 0, "got %ld", pid);
	check_eq("getpid is stable", syscall(SYS_getpid), pid);
	check_eq("gettid == getpid (one thread)", syscall(SYS_gettid), pid);
	check("getppid is not negative", ppid >= 0, "got %ld", ppid);
	if (on_sysgate() && pid == 1)
		check_eq("getppid of pid 1 is 0", ppid, 0);
	/* set_tid_address stores the pointer for thread exit and returns the tid. */
	check_eq("set_tid_address returns the tid", syscall(SYS_set_tid_address, &tid_word), pid);
	check_eq("set_tid_address(NULL) returns the tid", syscall(SYS_set_tid_address, NULL), pid);
}

void test_uname(void)
{
	struct utsname u;

	memset(&u, 0x55, sizeof(u));
	if (!check_eq("uname", syscall(SYS_uname, &u), 0))
		return;
	check("sysname is sysgate or Linux",
	      strcmp(u.sysname, "sysgate") == 0 || strcmp(u.sysname, "Linux") == 0,
	      "got \"%.65s\"", u.sysname);
	check("machine is x86_64", strcmp(u.machine, "x86_64") == 0, "got \"%.65s\"", u.machine);
	check("every field is NUL-terminated",
	      memchr(u.sysname, 0, 65) && memchr(u.nodename, 0, 65) && memchr(u.release, 0, 65) &&
		      memchr(u.version, 0, 65) && memchr(u.machine, 0, 65) &&
		      memchr(u.domainname, 0, 65),
	      "a field has no NUL");
	for (size_t i = 0; i < NBAD; i++)
		check_errno(cname("uname(%#lx)", bad_ptrs[i]), syscall(SYS_uname, bad_ptrs[i]), EFAULT);
}

/* ---- arch_prctl ----------------------------------------------------------- */

/* %fs:0 read directly: proves the base really reached the CPU, not just a
 * variable in the kernel that ARCH_GET_FS reports back. */
unsigned long read_fs0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

unsigned long read_gs0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

void test_arch_prctl(void)
{
	/* Our libc keeps nothing in fs, but musl and glibc point it at the
	 * thread's TLS, so put the original back before anything else runs. */
	static unsigned long block[4] = { 0x1234567890abcdefUL, 0, 0, 0 };
	static unsigned long gblock[2] = { 0xfeedfacecafebeefUL, 0 };
	unsigned long orig_fs = 0, orig_gs = 0, got = 0, got0;

	check_eq("ARCH_GET_FS", syscall(SYS_arch_prctl, ARCH_GET_FS, &orig_fs), 0);
	check_eq("ARCH_SET_FS", syscall(SYS_arch_prctl, ARCH_SET_FS, block), 0);
	got0 = read_fs0();
	syscall(SYS_arch_prctl, ARCH_GET_FS, &got);
	syscall(SYS_arch_prctl, ARCH_SET_FS, orig_fs);
	check_eqx("ARCH_GET_FS returns what ARCH_SET_FS set", got, (unsigned long)block);
	check_eqx("%fs:0 reads through the new base", got0, block[0]);
	got = 1;
	syscall(SYS_arch_prctl, ARCH_GET_FS, &got);
	check_eqx("fs restored", got, orig_fs);

	check_eq("ARCH_GET_GS", syscall(SYS_arch_prctl, ARCH_GET_GS, &orig_gs), 0);
	check_eq("ARCH_SET_GS", syscall(SYS_arch_prctl, ARCH_SET_GS, gblock), 0);
	got0 = read_gs0();
	/* A syscall in between: the kernel's swapgs must give the base back. */
	syscall(SYS_getpid);
	got = 0;
	syscall(SYS_arch_prctl, ARCH_GET_GS, &got);
	syscall(SYS_arch_prctl, ARCH_SET_GS, orig_gs);
	check_eqx("ARCH_GET_GS returns what ARCH_SET_GS set", got, (unsigned long)gblock);
	check_eqx("%gs:0 reads through the new base", got0, gblock[0]);

	check_errno("arch_prctl bad code 0x9999", syscall(SYS_arch_prctl, 0x9999, 0), EINVAL);
	/* A non-canonical base would fault inside the kernel when loaded: Linux
	 * refuses any base outside user space with EPERM. */
	check_errno("ARCH_SET_FS non-canonical", syscall(SYS_arch_prctl, ARCH_SET_FS, 0x800000000000UL), EPERM);
	check_errno("ARCH_SET_FS kernel address",
		    syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffffffff80100000UL), EPERM);
	check_errno("ARCH_SET_GS non-canonical", syscall(SYS_arch_prctl, ARCH_SET_GS, 0x800000000000UL), EPERM);
	for (size_t i = 0; i < NBAD; i++)
		check_errno(cname("ARCH_GET_FS to %#lx", bad_ptrs[i]),
			    syscall(SYS_arch_prctl, ARCH_GET_FS, bad_ptrs[i]), EFAULT);
	got = 1;
	syscall(SYS_arch_prctl, ARCH_GET_FS, &got);
	check_eqx("fs unchanged by the failed calls", got, orig_fs);
}

/* ---- ioctl ------------------------------------------------------------------ */

void test_ioctl(void)
{
	struct winsize ws;
	struct termios_raw {
		unsigned char b[64];
	} t;
	long is_tty = syscall(SYS_ioctl, 1, TCGETS, &t) == 0;
	long r = syscall(SYS_ioctl, 1, TIOCGWINSZ, &ws);
	int fd;

	/* stdout is a terminal, a pipe or a file depending on how we run; the
	 * answers only have to agree with each other. */
	if (is_tty)
		check_eq("TIOCGWINSZ on stdout (a tty)", r, 0);
	else
		check_errno("TIOCGWINSZ on stdout (not a tty)", r, ENOTTY);
	fd = (int)sys_open(tmpfile, O_RDWR | O_CREAT, 0600);
	check_errno("TIOCGWINSZ on a regular file", syscall(SYS_ioctl, fd, TIOCGWINSZ, &ws), ENOTTY);
	check_errno("TCGETS on a regular file", syscall(SYS_ioctl, fd, TCGETS, &t), ENOTTY);
	syscall(SYS_close, fd);
	check_errno("ioctl on fd 99", syscall(SYS_ioctl, 99, TIOCGWINSZ, &ws), EBADF);
	if (is_tty)
		check_errno("TIOCGWINSZ to a kernel address",
			    syscall(SYS_ioctl, 1, TIOCGWINSZ, 0xffffffff80100000UL), EFAULT);
	else
		t_skip("TIOCGWINSZ to a kernel address", "stdout is not a tty");
}

/* ---- time ------------------------------------------------------------------- */

long ts_ns(const struct timespec *t)
{
	return t->tv_sec * NSEC_PER_SEC + t->tv_nsec;
}

void test_clocks(void)
{
	struct timespec a, b, res;
	struct timeval tv;
	int monotonic = 1;

	check_eq("clock_gettime MONOTONIC", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a), 0);
	for (int i = 0; i < 1000; i++) {
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
		if (ts_ns(&b) < ts_ns(&a))
			monotonic = 0;
		a = b;
	}
	check("MONOTONIC never goes backwards (1000 reads)", monotonic, "it went back");
	check("tv_nsec is in [0, 1e9)", b.tv_nsec >= 0 && b.tv_nsec < NSEC_PER_SEC,
	      "got %ld", b.tv_nsec);
	check_eq("clock_gettime REALTIME", syscall(SYS_clock_gettime, CLOCK_REALTIME, &a), 0);
	check("REALTIME is after 2020-01-01", a.tv_sec > 1577836800L, "got %ld", a.tv_sec);
	check_eq("gettimeofday", syscall(SYS_gettimeofday, &tv, NULL), 0);
	check("gettimeofday is after 2020 with tv_usec < 1e6",
	      tv.tv_sec > 1577836800L && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	      "got %ld.%06ld", tv.tv_sec, tv.tv_usec);
	check_eq("clock_getres MONOTONIC", syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res), 0);
	check("resolution is between 1 ns and 1 s", res.tv_sec == 0 && res.tv_nsec > 0,
	      "got %ld.%09ld", res.tv_sec, res.tv_nsec);
	check_errno("clock_gettime clock 9999", syscall(SYS_clock_gettime, 9999, &a), EINVAL);
	check_errno("clock_gettime clock 100", syscall(SYS_clock_gettime, 100, &a), EINVAL);
	check_errno("clock_getres clock 9999", syscall(SYS_clock_getres, 9999, &res), EINVAL);
	for (size_t i = 0; i < NBAD; i++)
		check_errno(cname("clock_gettime to %#lx", bad_ptrs[i]),
			    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad_ptrs[i]), EFAULT);
}

void test_nanosleep(void)
{
	struct timespec before, after, req = { 0, 10 * 1000 * 1000 };
	struct timespec bad_ns = { 0, 1000000000L }, neg_ns = { 0, -1 }, neg_s = { -1, 0 };

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &before);
	check_eq("nanosleep 10 ms", syscall(SYS_nanosleep, &req, NULL), 0);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &after);
	/* A lower bound only: a sleep may last longer, never shorter. */
	check("nanosleep lasted at least 10 ms", ts_ns(&after) - ts_ns(&before) >= 10000000L,
	      "slept %ld ns", ts_ns(&after) - ts_ns(&before));
	req.tv_nsec = 0;
	check_eq("nanosleep 0", syscall(SYS_nanosleep, &req, NULL), 0);
	check_errno("nanosleep tv_nsec = 1e9", syscall(SYS_nanosleep, &bad_ns, NULL), EINVAL);
	check_errno("nanosleep tv_nsec = -1", syscall(SYS_nanosleep, &neg_ns, NULL), EINVAL);
	check_errno("nanosleep tv_sec = -1", syscall(SYS_nanosleep, &neg_s, NULL), EINVAL);
	check_errno("nanosleep NULL", syscall(SYS_nanosleep, NULL, NULL), EFAULT);
	check_errno("nanosleep kernel address",
		    syscall(SYS_nanosleep, 0xffffffff80100000UL, NULL), EFAULT);
	check_eq("sched_yield", syscall(SYS_sched_yield), 0);
}

/* ---- brk ---------------------------------------------------------------------- */

/* The raw brk syscall: returns the new break, or the old one if it refused. */
unsigned long raw_brk(unsigned long addr)
{
	return (unsigned long)raw_syscall(SYS_brk, (long)addr, 0, 0, 0, 0, 0);
}

void test_brk(void)
{
	/* Nothing in this file calls malloc, so the break is still where the
	 * kernel put it at exec: the start of the heap. */
	unsigned long start = raw_brk(0), top = start + 64 * 1024;
	int touched = 1;

	check("brk(0) returns the break", start != 0 && start < 0x800000000000UL, "got %#lx", start);
	check_eqx("brk grows by 64 KiB", raw_brk(top), top);
	for (unsigned long p = start; p < top; p += 512)
		*(volatile char *)p = (char)p;
	for (unsigned long p = start; p < top; p += 512)
		if (*(volatile char *)p != (char)p)
			touched = 0;
	check("the new heap can be written and read", touched, "memory did not hold");
	check_eqx("brk(0) reports the grown break", raw_brk(0), top);
	check_eqx("brk shrinks back", raw_brk(start), start);
	check_eqx("brk below the start is refused", raw_brk(start - PAGE), start);
	check_eqx("brk into the first page is refused", raw_brk(PAGE / 2), start);
	check_eqx("brk(1) is refused", raw_brk(1), start);
	check_eqx("brk to a kernel address is refused", raw_brk(0xffff800000000000UL), start);
	check_eqx("brk to the non-canonical hole is refused", raw_brk(0x800000000000UL), start);
	check_eqx("brk(~0) is refused", raw_brk(~0UL), start);
	check_eqx("brk grows again after the refusals", raw_brk(start + PAGE), start + PAGE);
	*(volatile char *)start = 1;
	check_eqx("and shrinks again", raw_brk(start), start);
}
