/*
 * Small rules Linux's own test suite (LTP's syscall tests) checks, each
 * once (course section: the Linux ABI).
 *
 * The same checks run on Linux: exec with an empty argv gives argc 1 and
 * "" (Linux's rule since 5.18), CLONE_PARENT makes a sibling, mmap of a
 * closed descriptor is EBADF, a writable shared mapping of a read-only
 * file is EACCES (mmap and mprotect), msync and munlock of unmapped memory
 * ENOMEM, futex on unmapped memory EFAULT in every operation, O_PATH
 * descriptors refused by read and epoll_ctl, FUTEX_WAKE_OP, and timers on
 * the CPU-time clocks (they run down with CPU time used, not while asleep).
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "testlib.h"

#define FILE_PATH "/tmp/ltpcases.file"
#define LINK_PATH "/tmp/ltpcases.link"
#define FUTEX_WAKE_OP 5

static int child_argc_check(int argc, char **argv)
{
	return argc == 1 && argv[0] && argv[0][0] == 0 && argv[1] == NULL ? 0 : 1;
}

static void test_empty_argv(void)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { NULL };
		char *envp[] = { "LTPCASES_EMPTY_ARGV=1", NULL };
		execve(t_self(), argv, envp);
		_exit(99);
	}
	check_exited("exec with an empty argv: argc 1, argv[0] \"\"", t_wait(pid, T_WAIT_TICKS), 0);
}

static void test_clone_parent(void)
{
	/* A child that makes a grandchild with CLONE_PARENT: the grandchild is
	 * our child, so our wait finds it. */
	pid_t pid = t_fork();
	if (pid == 0) {
		long g = raw_syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, 0);
		if (g == 0)
			_exit(7);
		_exit(g > 0 ? 0 : 1);
	}
	check_exited("the child made its sibling", t_wait(pid, T_WAIT_TICKS), 0);
	int status;
	pid_t sib = wait4(-1, &status, 0, NULL);
	check("CLONE_PARENT: we are the new task's parent", sib > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "wait4 %d status %#x", sib, status);
}

static void test_mappings(void)
{
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "page", 4);
	close(fd);
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check("mmap of a closed descriptor: EBADF", p == MAP_FAILED && errno == EBADF, "%s", errno_name(errno));
	fd = open(FILE_PATH, O_RDONLY);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check("a writable shared mapping of a read-only file: EACCES", p == MAP_FAILED && errno == EACCES, "%s",
	      errno_name(errno));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check_errno("mprotect(PROT_WRITE) of it: EACCES", mprotect(p, 4096, PROT_READ | PROT_WRITE), EACCES);
	munmap(p, 4096);
	close(fd);
	char *hole = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 8192);
	check_errno("msync of unmapped memory: ENOMEM", msync(hole, 4096, MS_SYNC), ENOMEM);
	check_errno("munlock of unmapped memory: ENOMEM", munlock(hole, 4096), ENOMEM);
	for (int op = 0; op <= FUTEX_WAKE_OP; op++) {
		if (op == 2)
			continue; /* FUTEX_FD: gone since Linux 2.6.26 (ENOSYS) */
		long r = raw_syscall(SYS_futex, (long)hole, op, 0, 0, (long)hole, 0);
		check_raw_errno(cname("futex op %d on unmapped memory: EFAULT", op), r, EFAULT);
	}
}

static void test_opath(void)
{
	symlink(FILE_PATH, LINK_PATH);
	int fd = open(LINK_PATH, O_PATH | O_NOFOLLOW);
	struct stat st;
	check("O_PATH|O_NOFOLLOW opens the link itself", fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode), "%s",
	      errno_name(errno));
	char c;
	check_errno("read from it: EBADF", read(fd, &c, 1), EBADF);
	int ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, { 0 } };
	check_errno("epoll_ctl ADD of an O_PATH descriptor: EBADF", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EBADF);
	close(ep);
	close(fd);
	unlink(LINK_PATH);
	unlink(FILE_PATH);
}

/* FUTEX_WAKE_OP: the second word changed, both woken (here, nobody waits). */
static void test_wake_op(void)
{
	static uint32_t w1, w2 = 5;
	/* op ADD 3, cmp GT 4: w2 becomes 8, and the compare (5 > 4) holds. */
	uint32_t encoded = (1u << 28) | (4u << 24) | (3u << 12) | 4u;
	check_eq("FUTEX_WAKE_OP with nobody waiting wakes 0",
		 raw_syscall(SYS_futex, (long)&w1, FUTEX_WAKE_OP, 1, 1, (long)&w2, encoded), 0);
	check_eq("... and ADDs 3 to the second word", w2, 8);
	encoded = (1u << 31) | (2u << 28) | (4u << 12); /* OR with 1 << 4 */
	raw_syscall(SYS_futex, (long)&w1, FUTEX_WAKE_OP, 1, 1, (long)&w2, encoded);
	check_eq("FUTEX_OP_OPARG_SHIFT: OR 1 << 4", w2, 24);
	check_raw_errno("an unknown op: ENOSYS", raw_syscall(SYS_futex, (long)&w1, FUTEX_WAKE_OP, 1, 1, (long)&w2, 7u << 28),
			ENOSYS);
	check_raw_errno("an unknown comparison: ENOSYS",
			raw_syscall(SYS_futex, (long)&w1, FUTEX_WAKE_OP, 1, 1, (long)&w2, 9u << 24), ENOSYS);
	check_eq("... after making the change (SET 0): Linux decodes the comparison last", w2, 0);
}

/* Spin until sig is pending (at most about 5 s of wall time); 1 if it came. */
static int spin_until_pending(int sig)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		sigset_t pending;
		sigpending(&pending);
		if (sigismember(&pending, sig))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 5)
			return 0;
	}
}

static void test_cputime_timers(void)
{
	static const clockid_t clocks[] = { CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	for (int i = 0; i < 2; i++) {
		timer_t id;
		struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
		check_ok(cname("timer_create on CPU-time clock %d", clocks[i]), timer_create(clocks[i], &sev, &id));
		struct itimerspec its = { { 0, 0 }, { 0, 30000000 } }, left;
		timer_settime(id, 0, &its, NULL);
		t_nap(60); /* asleep: the CPU clock hardly moves */
		timer_gettime(id, &left);
		check(cname("... asleep for 60 ms, it has not run out (clock %d)", clocks[i]),
		      left.it_value.tv_sec == 0 && left.it_value.tv_nsec > 0, "%ld.%09ld left",
		      (long)left.it_value.tv_sec, left.it_value.tv_nsec);
		check(cname("... spinning, it fires with 30 ms of CPU time used (clock %d)", clocks[i]),
		      spin_until_pending(SIGUSR1), "no signal");
		timer_gettime(id, &left);
		check(cname("... and is disarmed after (clock %d)", clocks[i]),
		      left.it_value.tv_sec == 0 && left.it_value.tv_nsec == 0, "%ld.%09ld left",
		      (long)left.it_value.tv_sec, left.it_value.tv_nsec);
		siginfo_t info;
		struct timespec zero = { 0, 0 };
		sigtimedwait(&usr1, &info, &zero);
		timer_delete(id);
	}
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
}

int main(int argc, char **argv)
{
	if (argc == 0 || (argc == 1 && argv[0][0] == 0))
		return child_argc_check(argc, argv);
	t_set_self(argv);
	t_begin("ltpcases");
	test_empty_argv();
	test_clone_parent();
	test_mappings();
	test_opath();
	test_wake_op();
	test_cputime_timers();
	return t_end();
}
