/*
 * gate: the syscall gate and the first syscalls (course section: the syscall
 * gate; issue "Foundation").
 *
 * Every early syscall on its success and its error paths: read, write,
 * writev with bad descriptors and bad buffers, getpid/getppid, uname,
 * arch_prctl, set_tid_address, ioctl, the clocks, nanosleep, sched_yield,
 * brk; then the gate itself: unknown syscall numbers, the direction and trap
 * flags, and which registers a syscall may change.
 *
 * Calls go through syscall() or raw_syscall() rather than libc wrappers: this
 * file tests the kernel's entry, so nothing should sit in between.
 * (test.sh: own boot -- "getppid of pid 1" needs it to be init.)
 */
#include <asm/prctl.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "testlib.h"

#define PAGE 4096UL

/* Addresses a program may never hand to the kernel as a buffer: NULL, the
 * user ceiling (first byte above user space), the first non-canonical
 * address, the start of the kernel half, the very top, and a typical kernel
 * text address. */
static const unsigned long bad_ptrs[] = {
	0, 0x7ffffffff000UL, 0x800000000000UL, 0xffff800000000000UL, ~0UL,
	0xffffffff80100000UL,
};
#define NBAD (sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))

/* Descriptors that are never open: high, negative, the int extremes. */
static const int bad_fds[] = { 99, -5, INT_MIN, INT_MAX, 2546 };
#define NBADFD (sizeof(bad_fds) / sizeof(bad_fds[0]))

static char tmpfile[64];

static long sys_open(const char *path, int flags, int mode)
{
	return syscall(SYS_open, path, flags, mode);
}

static long file_size(int fd)
{
	struct stat st;

	if (syscall(SYS_fstat, fd, &st) < 0)
		return -1;
	return st.st_size;
}

/* ---- bad descriptors ------------------------------------------------------ */

static void test_bad_fds(void)
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
static void test_bad_buffers(void)
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
static void test_two_pages(void)
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
__attribute__((noinline)) static int victim(int x)
{
	return x * 7 + 3;
}

/* read() into the program's own text, which is mapped read-only: the kernel
 * must refuse (EFAULT), not write through the protection (CR0.WP). */
static void read_into_text(long unused)
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

static void test_read_into_text(void)
{
	int st = run_child(read_into_text, 0);

	check("read into read-only text gives EFAULT, text unchanged",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "expected exit 0, got %s (1: text changed, 2: not EFAULT)", status_text(st));
}

/* writev: the iovec array and every buffer in it are user pointers. */
static void test_writev(void)
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

static void test_ids(void)
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

static void test_uname(void)
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
static unsigned long read_fs0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static unsigned long read_gs0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static void test_arch_prctl(void)
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

static void test_ioctl(void)
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

static long ts_ns(const struct timespec *t)
{
	return t->tv_sec * NSEC_PER_SEC + t->tv_nsec;
}

static void test_clocks(void)
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

static void test_nanosleep(void)
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
static unsigned long raw_brk(unsigned long addr)
{
	return (unsigned long)raw_syscall(SYS_brk, (long)addr, 0, 0, 0, 0, 0);
}

static void test_brk(void)
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

/* ---- syscall numbers ---------------------------------------------------------- */

/* Every number in [lo, hi] must give -ENOSYS: one case per range, naming the
 * first number that did not. */
static void check_enosys_range(const char *name, long lo, long hi)
{
	for (long n = lo; n <= hi; n++) {
		long r = raw_syscall(n, 0, 0, 0, 0, 0, 0);
		if (r != -ENOSYS) {
			t_fail(name, "number %ld (expected -ENOSYS, got %ld)", n, r);
			return;
		}
	}
	t_pass(name);
}

static void test_numbers(void)
{
	long pid = syscall(SYS_getpid);

	check_enosys_range("numbers -64..-1 give ENOSYS", -64, -1);
	check_enosys_range("numbers 512..547 give ENOSYS", 512, 547);
	check_enosys_range("numbers INT_MAX-64..INT_MAX give ENOSYS", INT_MAX - 64L, INT_MAX);
	check_enosys_range("number 1000 gives ENOSYS", 1000, 1000);
	check_enosys_range("numbers INT_MIN..INT_MIN+8 give ENOSYS", INT_MIN, INT_MIN + 8L);
	check_enosys_range("number 0x100000000+1000 gives ENOSYS", 0x100000000L + 1000, 0x100000000L + 1000);
	/* Linux looks only at the low 32 bits of rax (as an int), so the high
	 * half is ignored: 0x100000000 + 39 is getpid. */
	check_eq("number 0x100000000+39 is getpid", raw_syscall(0x100000000L + 39, 0, 0, 0, 0, 0, 0), pid);
	check_eq("number 0xffffffff00000027 is getpid",
		 raw_syscall((long)0xffffffff00000027UL, 0, 0, 0, 0, 0, 0), pid);
}

/* ---- flags on entry ------------------------------------------------------------- */

/*
 * With DF set, `rep movs` copies backwards. The kernel's copy routines
 * assume DF = 0, so the CPU must clear it on entry (FMASK); and the user's
 * DF must come back on exit, since it is part of the program's state.
 */
static void test_df(void)
{
	struct utsname want, got;
	struct timespec ts = { 0, 0 };
	long r, r2;
	unsigned long flags;

	syscall(SYS_uname, &want);
	memset(&got, 0, sizeof(got));
	__asm__ volatile("std\n\t"
			 "syscall\n\t"
			 "pushfq\n\t"
			 "popq %1\n\t"
			 "cld"
			 : "=a"(r), "=r"(flags)
			 : "0"((long)SYS_uname), "D"(&got)
			 : "rcx", "r11", "memory", "cc");
	check_eq("uname with DF set", r, 0);
	check("uname with DF set copied correctly", memcmp(&want, &got, sizeof(got)) == 0,
	      "got sysname \"%.20s\"", got.sysname);
	check("DF is still set after the syscall", (flags & 0x400) != 0, "rflags %#lx", flags);
	__asm__ volatile("std\n\t"
			 "syscall\n\t"
			 "cld"
			 : "=a"(r2)
			 : "0"((long)SYS_clock_gettime), "D"((long)CLOCK_REALTIME), "S"(&ts)
			 : "rcx", "r11", "memory", "cc");
	check("clock_gettime with DF set", r2 == 0 && ts.tv_sec > 1577836800L,
	      "got %ld, tv_sec %ld", r2, ts.tv_sec);
}

/* With TF set, the CPU traps after each instruction: the kernel must not
 * single-step itself (FMASK clears TF), and the program gets SIGTRAP after
 * the syscall returns. */
static void tf_child(long unused)
{
	(void)unused;
	__asm__ volatile("pushfq\n\t"
			 "orq $0x100, (%%rsp)\n\t"
			 "popfq\n\t"
			 "syscall"
			 :
			 : "a"((long)SYS_getpid)
			 : "rcx", "r11", "memory", "cc");
	_exit(3);	/* not reached: the trap comes first */
}

static void test_tf(void)
{
	check_signaled("syscall with TF set ends in SIGTRAP", run_child(tf_child, 0), SIGTRAP);
}

/* ---- registers ---------------------------------------------------------------- */

/*
 * probe_regs(nr): loads a distinct pattern into every general register but
 * rsp, puts nr in rax, executes `syscall`, and stores all sixteen registers
 * into regs_after[] (rax at index 0, the order of the list below). rsp is
 * stored before and after. Written in assembly because the compiler may not
 * be told about rbp and rsp as clobbers.
 */
unsigned long regs_after[16], rsp_before;
void probe_regs(long nr);
__asm__(".text\n"
	".globl probe_regs\n"
	"probe_regs:\n\t"
	"push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
	"mov %rdi, %rax\n\t"
	"movabs $0x1111111111111111, %rbx\n\t"
	"movabs $0x2222222222222222, %rcx\n\t"
	"movabs $0x3333333333333333, %rdx\n\t"
	"movabs $0x4444444444444444, %rsi\n\t"
	"movabs $0x5555555555555555, %rdi\n\t"
	"movabs $0x6666666666666666, %rbp\n\t"
	"movabs $0x8888888888888888, %r8\n\t"
	"movabs $0x9999999999999999, %r9\n\t"
	"movabs $0xaaaaaaaaaaaaaaaa, %r10\n\t"
	"movabs $0xbbbbbbbbbbbbbbbb, %r11\n\t"
	"movabs $0xcccccccccccccccc, %r12\n\t"
	"movabs $0xdddddddddddddddd, %r13\n\t"
	"movabs $0xeeeeeeeeeeeeeeee, %r14\n\t"
	"movabs $0xffffffffffff0000, %r15\n\t"
	"mov %rsp, rsp_before(%rip)\n\t"
	"syscall\n\t"
	"mov %rax, regs_after+0(%rip)\n\t"
	"mov %rbx, regs_after+8(%rip)\n\t"
	"mov %rcx, regs_after+16(%rip)\n\t"
	"mov %rdx, regs_after+24(%rip)\n\t"
	"mov %rsi, regs_after+32(%rip)\n\t"
	"mov %rdi, regs_after+40(%rip)\n\t"
	"mov %rbp, regs_after+48(%rip)\n\t"
	"mov %rsp, regs_after+56(%rip)\n\t"
	"mov %r8, regs_after+64(%rip)\n\t"
	"mov %r9, regs_after+72(%rip)\n\t"
	"mov %r10, regs_after+80(%rip)\n\t"
	"mov %r11, regs_after+88(%rip)\n\t"
	"mov %r12, regs_after+96(%rip)\n\t"
	"mov %r13, regs_after+104(%rip)\n\t"
	"mov %r14, regs_after+112(%rip)\n\t"
	"mov %r15, regs_after+120(%rip)\n\t"
	"pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
	"ret\n");

static void check_regs(const char *what, long nr)
{
	static const char *const names[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
						"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	const unsigned long want[16] = {
		0, 0x1111111111111111UL, 0, 0x3333333333333333UL, 0x4444444444444444UL,
		0x5555555555555555UL, 0x6666666666666666UL, 0 /* rsp_before */, 0x8888888888888888UL,
		0x9999999999999999UL, 0xaaaaaaaaaaaaaaaaUL, 0, 0xccccccccccccccccUL,
		0xddddddddddddddddUL, 0xeeeeeeeeeeeeeeeeUL, 0xffffffffffff0000UL,
	};

	probe_regs(nr);
	for (int i = 0; i < 16; i++) {
		/* rax is the result; rcx and r11 belong to the syscall instruction. */
		if (i == 0 || i == 2 || i == 11)
			continue;
		unsigned long w = i == 7 ? rsp_before : want[i];
		if (regs_after[i] != w) {
			t_fail(what, "%s changed (expected %#lx, got %#lx)", names[i], w, regs_after[i]);
			return;
		}
	}
	t_pass(what);
}

static void test_registers(void)
{
	check_regs("registers kept across getpid", SYS_getpid);
	check_eq("getpid's result in rax", (long)regs_after[0], syscall(SYS_getpid));
	check_regs("registers kept across sched_yield", SYS_sched_yield);
	check_regs("registers kept across an unknown number", 1000);
	check_eq("unknown number's result in rax", (long)regs_after[0], -ENOSYS);
	check_regs("registers kept across number -1", -1);
}

/*
 * The SSE registers belong to the program too. A child keeps other values in
 * xmm0..xmm15 while both yield back and forth, so a kernel that switches
 * tasks without saving the FPU state shows up as changed registers here.
 */
static void xmm_spinner(long rounds)
{
	for (long i = 0; i < rounds; i++) {
		__asm__ volatile("pcmpeqd %%xmm0, %%xmm0\n\t"
				 "pcmpeqd %%xmm7, %%xmm7\n\t"
				 "pcmpeqd %%xmm15, %%xmm15"
				 ::: "xmm0", "xmm7", "xmm15");
		syscall(SYS_sched_yield);
	}
}

static int xmm_round(void)
{
	static const unsigned long pat[2] = { 0x0123456789abcdefUL, 0x1122334455667788UL };
	unsigned long out[3][2];

	__asm__ volatile("movdqu %3, %%xmm0\n\t"
			 "movdqu %3, %%xmm7\n\t"
			 "movdqu %3, %%xmm15\n\t"
			 "mov %4, %%eax\n\t"
			 "syscall\n\t"
			 "movdqu %%xmm0, %0\n\t"
			 "movdqu %%xmm7, %1\n\t"
			 "movdqu %%xmm15, %2"
			 : "=m"(out[0]), "=m"(out[1]), "=m"(out[2])
			 : "m"(pat), "i"(SYS_sched_yield)
			 : "rax", "rcx", "r11", "xmm0", "xmm7", "xmm15", "memory");
	for (int i = 0; i < 3; i++)
		if (out[i][0] != pat[0] || out[i][1] != pat[1])
			return 0;
	return 1;
}

static void test_xmm(void)
{
	pid_t pid = t_fork();
	int ok = 1;

	if (pid == 0) {
		xmm_spinner(200);
		_exit(0);
	}
	for (int i = 0; i < 200; i++)
		ok &= xmm_round();
	t_wait(pid, T_WAIT_TICKS);
	check("xmm registers kept across sched_yield with another process", ok,
	      "an xmm register changed");
}

/* ---- getrandom ------------------------------------------------------------------- */

static void test_getrandom(void)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 }, zero[64] = { 0 };
	static unsigned char big[1 << 20];

	check_eq("getrandom 64 bytes", syscall(SYS_getrandom, a, sizeof(a), 0), 64);
	check_eq("again, with GRND_NONBLOCK", syscall(SYS_getrandom, b, sizeof(b), GRND_NONBLOCK), 64);
	check("two draws differ", memcmp(a, b, sizeof(a)) != 0, "the same 64 bytes twice");
	check("and are not all zero", memcmp(a, zero, sizeof(a)) != 0, "all zero");
	check_eq("GRND_RANDOM", syscall(SYS_getrandom, a, 16, GRND_RANDOM), 16);
	check_eq("GRND_INSECURE", syscall(SYS_getrandom, a, 16, GRND_INSECURE), 16);
	check_eq("1 MiB in one call", syscall(SYS_getrandom, big, sizeof(big), 0), (long)sizeof(big));
	check_eq("0 bytes", syscall(SYS_getrandom, a, 0, 0), 0);
	check_errno("flags 0x10: EINVAL", syscall(SYS_getrandom, a, 16, 0x10), EINVAL);
	check_errno("GRND_INSECURE|GRND_RANDOM: EINVAL", syscall(SYS_getrandom, a, 16, GRND_INSECURE | GRND_RANDOM),
		    EINVAL);
	check_errno("to NULL: EFAULT", syscall(SYS_getrandom, NULL, 16, 0), EFAULT);
	check_errno("to a kernel address: EFAULT", syscall(SYS_getrandom, 0xffffffff80000000UL, 16, 0), EFAULT);
	check_eq("the libc wrapper", getrandom(a, 8, 0), 8);
}

/* ---- pointer sweep --------------------------------------------------------------- */

/*
 * Every page from 0 to 8 MiB as a path and as a buffer to read from: each
 * call must simply return, an error or not; the case passes if we are still
 * here. (Only pointers the kernel reads from: a kernel writing into this
 * program's own data would corrupt the test. link(a, a) can never create a
 * name: if a names a file, the new name exists already.)
 */
/* In a child, because an exec that worked would replace the program. */
static void exec_sweep(long unused)
{
	(void)unused;
	for (unsigned long a = 0; a < 8UL << 20; a += PAGE)
		syscall(SYS_execve, a, a, a);
	_exit(0);
}

static void test_sweep(void)
{
	int fd = (int)sys_open(tmpfile, O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct stat st;
	long opened = 0;

	for (unsigned long a = 0; a < 8UL << 20; a += PAGE) {
		long r = syscall(SYS_open, a, O_RDONLY, 0);
		if (r >= 0) {
			opened++;
			syscall(SYS_close, r);
		}
		syscall(SYS_write, fd, a + PAGE - 8, 16);
		syscall(SYS_stat, a, &st);
		syscall(SYS_access, a, F_OK);
		syscall(SYS_link, a, a);
		syscall(SYS_fcntl, fd, F_SETLK, a);                /* a struct flock to read */
		syscall(SYS_rt_sigqueueinfo, getpid(), 0, a);      /* a siginfo; signal 0 sends nothing */
	}
	syscall(SYS_close, fd);
	check_errno("open(NULL)", syscall(SYS_open, 0, O_RDONLY, 0), EFAULT);
	t_pass(cname("pointers 0..8 MiB to open, write, stat, access, link, fcntl F_SETLK, rt_sigqueueinfo "
		     "(%ld opened)",
		     opened));
	check_exited("pointers 0..8 MiB as execve's path, argv and envp", run_child(exec_sweep, 0), 0);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	t_begin("gate");
	snprintf(tmpfile, sizeof(tmpfile), "/tmp/gate-%ld", syscall(SYS_getpid));
	test_brk();
	test_bad_fds();
	test_bad_buffers();
	test_two_pages();
	test_read_into_text();
	test_writev();
	test_ids();
	test_uname();
	test_arch_prctl();
	test_ioctl();
	test_clocks();
	test_nanosleep();
	test_numbers();
	test_df();
	test_tf();
	test_registers();
	test_xmm();
	test_getrandom();
	test_sweep();
	syscall(SYS_unlink, tmpfile);
	return t_end();
}
