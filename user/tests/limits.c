/*
 * limits: resource limits -- getrlimit, setrlimit, prlimit64 -- and each
 * one the kernel enforces (course section: processes).
 *
 * Every limit is lowered in a child, never in this process, so the cases do
 * not disturb each other (and on Linux, never the host): RLIMIT_NOFILE
 * (open, dup2, F_DUPFD), RLIMIT_FSIZE (a short write, then SIGXFSZ or
 * EFBIG), RLIMIT_CPU (SIGXCPU after a second of CPU time), RLIMIT_STACK
 * (the stack a program gets at exec), RLIMIT_AS and RLIMIT_DATA (mmap and
 * brk), and that limits are inherited by fork and kept across exec.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "testlib.h"
#include "lib/threadlib.h"

#define KERNEL_ADDR 0xffffffff80000000UL

static char dir[64];

static int set_soft(int resource, unsigned long soft)
{
	struct rlimit r;

	getrlimit(resource, &r);
	r.rlim_cur = soft;
	return setrlimit(resource, &r);
}

/* ---- the calls themselves ------------------------------------------------------------------------ */

static void test_calls(void)
{
	struct rlimit r, old;

	check_eq("getrlimit(RLIMIT_NOFILE)", getrlimit(RLIMIT_NOFILE, &r), 0);
	check("the soft limit is below the hard one", r.rlim_cur <= r.rlim_max, "%lu > %lu", r.rlim_cur, r.rlim_max);
	check("and lets a program open files", r.rlim_cur >= 64, "only %lu", r.rlim_cur);
	check_eq("getrlimit(RLIMIT_STACK)", getrlimit(RLIMIT_STACK, &r), 0);
	check("a stack of at least 128 KiB", r.rlim_cur >= (128ul << 10), "%lu", r.rlim_cur);
	check_eq("prlimit64(0, ...) reads ours", prlimit64(0, RLIMIT_NOFILE, NULL, &old), 0);
	getrlimit(RLIMIT_NOFILE, &r);
	check("the same as getrlimit", old.rlim_cur == r.rlim_cur && old.rlim_max == r.rlim_max, "differs");
	check_eq("prlimit64 of our own pid", prlimit64(getpid(), RLIMIT_CPU, NULL, &old), 0);
	check_errno("resource 16: EINVAL", getrlimit(16, &r), EINVAL);
	check_errno("resource 99 for setrlimit: EINVAL", setrlimit(99, &r), EINVAL);
	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = r.rlim_max + 1;
	check_errno("soft above hard: EINVAL", setrlimit(RLIMIT_NOFILE, &r), EINVAL);
	check_errno("getrlimit to NULL: EFAULT", syscall(SYS_getrlimit, RLIMIT_NOFILE, NULL), EFAULT);
	check_errno("setrlimit from a kernel address: EFAULT", syscall(SYS_setrlimit, RLIMIT_NOFILE, KERNEL_ADDR), EFAULT);
	check_errno("setrlimit from NULL: EFAULT", syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL), EFAULT);
	check_errno("prlimit64 of a pid that does not exist: ESRCH", prlimit64(30000, RLIMIT_NOFILE, NULL, &old), ESRCH);
	check_errno("prlimit64 old_limit to a kernel address: EFAULT",
		    syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, KERNEL_ADDR), EFAULT);
}

/* ---- RLIMIT_NOFILE --------------------------------------------------------------------------------- */

/* Exit code: the first check that failed, 0 if none. */
static void nofile_child(long unused)
{
	int fds[16], n = 0, fd;

	(void)unused;
	if (set_soft(RLIMIT_NOFILE, 8) != 0)
		_exit(1);
	while (n < 16 && (fd = open("/dev/null", O_RDONLY)) >= 0)
		fds[n++] = fd;
	if (n != 5 || errno != EMFILE)	/* 0, 1, 2 are open: 3..7 */
		_exit(2);
	close(fds[0]);
	if (dup2(1, 8) != -1 || errno != EBADF)
		_exit(3);		/* at the limit: not a descriptor number */
	if (fcntl(1, F_DUPFD, 8) != -1 || errno != EINVAL)
		_exit(4);
	if (dup2(1, 7) != 7)
		_exit(5);		/* below the limit: fine */
	if (open("/dev/null", O_RDONLY) != fds[0])
		_exit(6);		/* the freed one is the lowest free again */
	_exit(0);
}

static void raise_nofile_child(long unused)
{
	struct rlimit r;

	(void)unused;
	set_soft(RLIMIT_NOFILE, 8);
	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = r.rlim_max;	/* back up to the hard limit: allowed */
	_exit(setrlimit(RLIMIT_NOFILE, &r) == 0 && open("/dev/null", O_RDONLY) >= 0 ? 0 : 1);
}

static void test_nofile(void)
{
	check_exited("RLIMIT_NOFILE 8: open gives EMFILE past fd 7, dup2/F_DUPFD refuse 8", run_child(nofile_child, 0),
		     0);
	check_exited("the soft limit can be raised again up to the hard one", run_child(raise_nofile_child, 0), 0);
}

/* ---- RLIMIT_FSIZE ---------------------------------------------------------------------------------- */

static void fsize_child(long ignore_signal)
{
	char path[96], buf[3000];
	int fd;

	snprintf(path, sizeof(path), "%s/fsize", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	memset(buf, 'f', sizeof(buf));
	if (ignore_signal)
		signal(SIGXFSZ, SIG_IGN);
	set_soft(RLIMIT_FSIZE, 2000);
	if (write(fd, buf, sizeof(buf)) != 2000)
		_exit(10);		/* cut at the limit */
	if (!ignore_signal)
		write(fd, buf, 1);	/* at the limit: SIGXFSZ, whose default ends us */
	if (write(fd, buf, 1) != -1 || errno != EFBIG)
		_exit(11);		/* with it ignored: EFBIG */
	if (ftruncate(fd, 1000) != 0)
		_exit(12);		/* shrinking is always allowed */
	if (ftruncate(fd, 5000) != -1 || errno != EFBIG)
		_exit(13);		/* growing past the limit is not */
	_exit(ftruncate(fd, 2000) == 0 ? 0 : 14);	/* up to it is */
}

static void test_fsize(void)
{
	char path[96];
	struct stat st;

	check_signaled("RLIMIT_FSIZE 2000: a write at the limit raises SIGXFSZ", run_child(fsize_child, 0), SIGXFSZ);
	snprintf(path, sizeof(path), "%s/fsize", dir);
	st.st_size = -1;
	check("the file stopped growing at the limit", stat(path, &st) == 0 && st.st_size == 2000, "size %ld",
	      (long)st.st_size);
	check_exited("with SIGXFSZ ignored: the short write, then EFBIG; truncate past the limit: EFBIG",
		     run_child(fsize_child, 1), 0);
	unlink(path);
}

/* ---- RLIMIT_CPU ---------------------------------------------------------------------------------------- */

/* Spin until killed: a second of CPU time is the limit. Never returns
 * normally -- if it does, 20 seconds of CPU went by without a signal. */
static void cpu_child(long unused)
{
	struct timespec ts;

	(void)unused;
	set_soft(RLIMIT_CPU, 1);
	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	while (ts.tv_sec < 20);
	_exit(1);
}

static void test_cpu(void)
{
	pid_t pid = t_fork();

	if (pid == 0)
		cpu_child(0);
	check_signaled("RLIMIT_CPU 1 s: SIGXCPU after a second of CPU time", t_wait(pid, 6000), SIGXCPU);
}

/* A thread that spins for 0.7 s of its own CPU time. */
static int spin_07(void *arg)
{
	struct timespec ts;
	(void)arg;
	do
		raw_syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, (long)&ts, 0, 0, 0, 0);
	while (ts.tv_sec == 0 && ts.tv_nsec < 700000000);
	return 0;
}

/* RLIMIT_CPU counts the process's CPU time, every thread's (Linux): two
 * threads of 0.7 s each pass a 1 s limit that neither passes alone. */
static void test_cpu_threads(void)
{
	pid_t pid = t_fork();

	if (pid == 0) {
		set_soft(RLIMIT_CPU, 1);
		t_spawn(0, spin_07, NULL);
		t_spawn(1, spin_07, NULL);
		t_join(0);
		t_join(1);
		_exit(1);
	}
	check_signaled("RLIMIT_CPU 1 s: two threads of 0.7 s CPU each get SIGXCPU", t_wait(pid, 10000), SIGXCPU);
}

/* ---- RLIMIT_STACK, RLIMIT_AS, RLIMIT_DATA ---------------------------------------------------------------- */

static int depth_reached;

static int recurse(int n)
{
	volatile char frame[4096];

	frame[0] = (char)n;
	depth_reached = n;
	return n > 1000000 ? 0 : recurse(n + 1) + frame[0];
}

/* In a program exec'd after RLIMIT_STACK was set to 512 KiB: recursion
 * in 4 KiB frames must fault within about 128 frames. */
static int stack_helper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		recurse(0);
		_exit(0);
	}
	int st = t_wait(pid, T_WAIT_TICKS);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? 0 : 1;
}

static void stack_child(long unused)
{
	char *argv[] = { "limits", "--stack", NULL };

	(void)unused;
	set_soft(RLIMIT_STACK, 512ul << 10);
	execve(t_self(), argv, environ);
	_exit(127);
}

static void as_child(long unused)
{
	(void)unused;
	set_soft(RLIMIT_AS, 64ul << 20);
	void *big = mmap(NULL, 256ul << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big != MAP_FAILED || errno != ENOMEM)
		_exit(1);
	void *small = mmap(NULL, 1ul << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	_exit(small == MAP_FAILED ? 2 : 0);
}

static void data_child(long unused)
{
	(void)unused;
	set_soft(RLIMIT_DATA, 1ul << 20);
	void *before = sbrk(0);
	if (sbrk(4ul << 20) != (void *)-1)
		_exit(1);		/* 4 MiB of heap over a 1 MiB limit */
	_exit(sbrk(0) == before ? 0 : 2);
}

static void test_memory_limits(void)
{
	check_exited("RLIMIT_STACK 512 KiB, then exec: the new program's stack ends there",
		     run_child(stack_child, 0), 0);
	check_exited("RLIMIT_AS 64 MiB: a 256 MiB mmap gives ENOMEM, a small one works", run_child(as_child, 0), 0);
	check_exited("RLIMIT_DATA 1 MiB: brk cannot grow the heap past it", run_child(data_child, 0), 0);
}

/* ---- inheritance ---------------------------------------------------------------------------------------------- */

static void inherited_child(long unused)
{
	char *argv[] = { "limits", "--print-nofile", NULL };

	(void)unused;
	set_soft(RLIMIT_NOFILE, 42);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit r;

		getrlimit(RLIMIT_NOFILE, &r);
		if (r.rlim_cur != 42)
			_exit(1);	/* fork must copy it */
		execve(t_self(), argv, environ);
		_exit(127);
	}
	_exit(WEXITSTATUS(t_wait(pid, T_WAIT_TICKS)));
}

static void test_inheritance(void)
{
	check_exited("a limit set before fork holds in the child, and after its exec", run_child(inherited_child, 0), 0);
}

/* The enforcing children again, without their checks, for the leak test. */
static void churn(void)
{
	run_child(nofile_child, 0);
	run_child(fsize_child, 1);
	run_child(as_child, 0);
	run_child(data_child, 0);
	run_child(stack_child, 0);
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	if (argc > 1 && strcmp(argv[1], "--stack") == 0)
		return stack_helper();
	if (argc > 1 && strcmp(argv[1], "--print-nofile") == 0) {
		struct rlimit r;

		getrlimit(RLIMIT_NOFILE, &r);
		return r.rlim_cur == 42 ? 0 : 2;
	}
	t_begin("limits");
	snprintf(dir, sizeof(dir), "/tmp/limits-%d", getpid());
	mkdir(dir, 0700);
	test_calls();
	test_nofile();
	test_fsize();
	test_cpu();
	test_cpu_threads();
	test_memory_limits();
	test_inheritance();
	t_leak_test("limits lowered and enforced in children: nothing leaked", churn);
	rmdir(dir);
	return t_end();
}
