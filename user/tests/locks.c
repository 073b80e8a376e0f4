/*
 * locks: advisory file locks (course section: files; processes that share
 * files).
 *
 * fcntl record locks (F_GETLK, F_SETLK, F_SETLKW), held by a process: how
 * ranges merge and split, that they are not inherited by fork and vanish
 * when the process closes any descriptor of the file or exits; waiting,
 * waiting interrupted by a signal (EINTR, or a restart with SA_RESTART),
 * and the deadlock Linux refuses to sleep into (EDEADLK). OFD locks
 * (F_OFD_*), held by the open file description. flock(2), a separate space
 * of whole-file locks, also held by the description. /proc/locks. Every
 * errno Linux gives for a bad struct flock, a bad flock operation, a bad
 * descriptor or pointer. And that none of it leaks.
 *
 * Timing: a process that must be blocked before the next step is watched
 * in /proc/PID/stat until it sleeps; no result depends on speed.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "testlib.h"

static char path[64]; /* /tmp/locks-PID: the file every case locks */

/* ---- helpers ---------------------------------------------------------------------- */

static struct flock range(int type, int whence, long start, long len)
{
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = (short)type;
	fl.l_whence = (short)whence;
	fl.l_start = start;
	fl.l_len = len;
	return fl;
}

static int set_lock(int fd, int type, long start, long len)
{
	struct flock fl = range(type, SEEK_SET, start, len);
	return fcntl(fd, F_SETLK, &fl);
}

static int open_file(int flags)
{
	return open(path, flags);
}

/* What F_GETLK says about [start, start + len) for a write lock: the lock
 * in the way, or l_type F_UNLCK. */
static struct flock query(int fd, int cmd, int type, long start, long len)
{
	struct flock fl = range(type, SEEK_SET, start, len);
	if (fcntl(fd, cmd, &fl) < 0)
		fl.l_type = -1;
	return fl;
}

/* Run fn(arg) in a child and return its exit code (or -1 if it did not
 * exit normally): children are other lock owners. */
static int in_child(int (*fn)(long), long arg)
{
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(fn(arg));
	int st = t_wait(pid, T_WAIT_TICKS);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A child that sees the lock in the way of a write lock on [arg, EOF):
 * exits with its start * 10 + its length (0 for "to EOF"), 200 if there is
 * none, 201 if it is not ours (a write lock of the parent). */
static int child_sees(long from)
{
	int fd = open_file(O_RDWR);
	struct flock fl = query(fd, F_GETLK, F_WRLCK, from, 0);
	if (fl.l_type == F_UNLCK)
		return 200;
	if (fl.l_type != F_WRLCK || fl.l_pid != getppid() || fl.l_whence != SEEK_SET)
		return 201;
	return (int)(fl.l_start * 10 + fl.l_len);
}

static int child_try_lock(long type_and_range)
{
	int fd = open_file(O_RDWR);
	int type = (int)(type_and_range / 10000);
	long start = type_and_range / 100 % 100, len = type_and_range % 100;
	return set_lock(fd, type, start, len) == 0 ? 0 : errno == EAGAIN ? 1 : 2;
}

/* type * 10000 + start * 100 + len, for child_try_lock */
#define TRY(type, start, len) ((long)(type) * 10000 + (start) * 100 + (len))

static void wait_until_asleep(pid_t pid)
{
	t_wait_for_state(pid, 'S');
}

/* ---- bad input ---------------------------------------------------------------------- */

static void bad_input(void)
{
	int fd = open_file(O_RDWR), ro = open_file(O_RDONLY), wo = open_file(O_WRONLY);
	struct flock fl;

	fl = range(F_WRLCK, SEEK_SET, 0, 1);
	check_errno("F_SETLK on fd 99: EBADF", fcntl(99, F_SETLK, &fl), EBADF);
	check_errno("a write lock through a read-only descriptor: EBADF", fcntl(ro, F_SETLK, &fl), EBADF);
	fl = range(F_RDLCK, SEEK_SET, 0, 1);
	check_errno("a read lock through a write-only descriptor: EBADF", fcntl(wo, F_SETLK, &fl), EBADF);
	fl = range(F_UNLCK, SEEK_SET, 0, 1);
	check_ok("F_UNLCK through a read-only descriptor", fcntl(ro, F_SETLK, &fl));
	fl = range(5, SEEK_SET, 0, 1);
	check_errno("l_type 5: EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_RDLCK, 3, 0, 1);
	check_errno("l_whence 3: EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_RDLCK, SEEK_SET, -1, 1);
	check_errno("a range from byte -1: EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_RDLCK, SEEK_SET, 5, -6);
	check_errno("l_len -6 from byte 5 (before byte 0): EINVAL", fcntl(fd, F_SETLK, &fl), EINVAL);
	fl = range(F_RDLCK, SEEK_SET, LONG_MAX, 2);
	check_errno("a range past the largest offset: EOVERFLOW", fcntl(fd, F_SETLK, &fl), EOVERFLOW);
	fl = range(F_RDLCK, SEEK_END, LONG_MAX, 1);
	check_errno("SEEK_END plus LONG_MAX: EOVERFLOW", fcntl(fd, F_SETLK, &fl), EOVERFLOW);
	fl = range(F_UNLCK, SEEK_SET, 0, 0);
	check_errno("F_GETLK asking about F_UNLCK: EINVAL", fcntl(fd, F_GETLK, &fl), EINVAL);
	fl = range(5, SEEK_SET, 0, 0);
	check_errno("F_GETLK with l_type 5: EINVAL", fcntl(fd, F_GETLK, &fl), EINVAL);
	check_errno("F_GETLK with its struct at address 1: EFAULT", fcntl(fd, F_GETLK, (void *)1), EFAULT);
	check_errno("F_SETLK with its struct at a kernel address: EFAULT",
		    fcntl(fd, F_SETLK, (void *)0xffff800000000000ul), EFAULT);
	fl = range(F_RDLCK, SEEK_SET, 0, 0);
	fl.l_pid = 5;
	check_errno("F_OFD_SETLK with l_pid 5: EINVAL", fcntl(fd, F_OFD_SETLK, &fl), EINVAL);
	check_errno("F_OFD_GETLK with l_pid 5: EINVAL", fcntl(fd, F_OFD_GETLK, &fl), EINVAL);

	check_errno("flock on fd 99: EBADF", flock(99, LOCK_EX), EBADF);
	check_errno("flock operation 0: EINVAL", flock(fd, 0), EINVAL);
	check_errno("LOCK_NB alone: EINVAL", flock(fd, LOCK_NB), EINVAL);
	check_errno("LOCK_SH | LOCK_EX: EINVAL", flock(fd, LOCK_SH | LOCK_EX), EINVAL);
	check_errno("LOCK_UN | LOCK_EX: EINVAL", flock(fd, LOCK_UN | LOCK_EX), EINVAL);
	check_ok("LOCK_EX through a read-only descriptor is allowed", flock(ro, LOCK_EX));
	check_ok("LOCK_UN", flock(ro, LOCK_UN));
	close(fd);
	close(ro);
	close(wo);
}

/* ---- record locks: ranges ------------------------------------------------------------- */

static void ranges(void)
{
	int fd = open_file(O_RDWR);
	struct flock fl;

	check_ok("write lock on bytes 2-4", set_lock(fd, F_WRLCK, 2, 3));
	check_ok("write lock on bytes 5-7", set_lock(fd, F_WRLCK, 5, 3));
	check_eq("another process sees one lock, 2-7: they merged", in_child(child_sees, 0), 2 * 10 + 6);
	check_eq("nothing in the way from byte 8", in_child(child_sees, 8), 200);
	fl = query(fd, F_GETLK, F_WRLCK, 0, 0);
	check_eq("our own locks are never in our way (F_GETLK: F_UNLCK)", fl.l_type, F_UNLCK);
	fl = range(F_WRLCK, SEEK_CUR, 8, 0);
	lseek(fd, 0, SEEK_SET);
	fcntl(fd, F_GETLK, &fl);
	check("F_UNLCK leaves the other fields as they were", fl.l_whence == SEEK_CUR && fl.l_start == 8,
	      "whence %d, start %ld", fl.l_whence, fl.l_start);
	check_eq("another process gets a read lock beside them", in_child(child_try_lock, TRY(F_RDLCK, 0, 2)), 0);
	check_eq("but not over byte 2: EAGAIN", in_child(child_try_lock, TRY(F_RDLCK, 0, 3)), 1);

	check_ok("unlock byte 3, inside the lock", set_lock(fd, F_UNLCK, 3, 1));
	check_eq("the lock split: 2-2 first", in_child(child_sees, 0), 2 * 10 + 1);
	check_eq("and 4-7", in_child(child_sees, 3), 4 * 10 + 4);
	check_eq("byte 3 is free", in_child(child_try_lock, TRY(F_WRLCK, 3, 1)), 0);

	check_ok("unlock everything", set_lock(fd, F_UNLCK, 0, 0));
	check_eq("nothing is left", in_child(child_sees, 0), 200);

	fl = range(F_WRLCK, SEEK_SET, 5, -3);
	check_ok("l_len -3 from byte 5: bytes 2-4", fcntl(fd, F_SETLK, &fl));
	check_eq("another process sees 2-4", in_child(child_sees, 0), 2 * 10 + 3);
	set_lock(fd, F_UNLCK, 0, 0);
	lseek(fd, 4, SEEK_SET);
	fl = range(F_WRLCK, SEEK_CUR, 1, 2);
	check_ok("SEEK_CUR: 1 past position 4, 2 bytes", fcntl(fd, F_SETLK, &fl));
	check_eq("is bytes 5-6", in_child(child_sees, 0), 5 * 10 + 2);
	set_lock(fd, F_UNLCK, 0, 0);
	fl = range(F_WRLCK, SEEK_END, -2, 2);
	check_ok("SEEK_END -2, 2 bytes of the 10-byte file", fcntl(fd, F_SETLK, &fl));
	check_eq("is bytes 8-9", in_child(child_sees, 0), 8 * 10 + 2);
	set_lock(fd, F_UNLCK, 0, 0);

	check_ok("a write lock on 0-9", set_lock(fd, F_WRLCK, 0, 10));
	check_ok("then a read lock on the same bytes: ours, so it replaces it", set_lock(fd, F_RDLCK, 0, 10));
	check_eq("now others may read-lock", in_child(child_try_lock, TRY(F_RDLCK, 0, 10)), 0);
	check_eq("but not write-lock", in_child(child_try_lock, TRY(F_WRLCK, 5, 1)), 1);
	set_lock(fd, F_UNLCK, 0, 0);

	for (int i = 0; i < 20; i++)
		set_lock(fd, F_WRLCK, i * 2, 1);
	check_eq("20 separate one-byte locks: byte 10 is one of them", in_child(child_sees, 10), 10 * 10 + 1);
	check_eq("byte 11 is free", in_child(child_try_lock, TRY(F_WRLCK, 11, 1)), 0);
	check_ok("one lock over all of them", set_lock(fd, F_WRLCK, 0, 40));
	check_eq("they merged into 0-39", in_child(child_sees, 0), 0 * 10 + 40);
	set_lock(fd, F_UNLCK, 0, 0);
	close(fd);
}

/* ---- record locks: who holds them and when they go ------------------------------------- */

static int child_locks_and_exits(long unused)
{
	(void)unused;
	int fd = open_file(O_RDWR);
	return set_lock(fd, F_WRLCK, 0, 0) == 0 ? 0 : 1;
}

static void ownership(void)
{
	int fd = open_file(O_RDWR);
	check_eq("a child takes a write lock on the whole file and exits", in_child(child_locks_and_exits, 0), 0);
	check_ok("its exit released it", set_lock(fd, F_WRLCK, 0, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		/* fork does not inherit record locks: the child is another owner */
		_exit(set_lock(fd, F_WRLCK, 0, 1) < 0 && errno == EAGAIN ? 0 : 1);
	}
	check_exited("a forked child does not inherit them: its lock through the same fd: EAGAIN",
		     t_wait(pid, T_WAIT_TICKS), 0);

	int other = open_file(O_RDONLY);
	close(other);
	check_eq("closing ANOTHER descriptor of the file dropped our lock (POSIX)", in_child(child_sees, 0), 200);

	set_lock(fd, F_WRLCK, 0, 0);
	int copy = dup(fd);
	close(copy);
	check_eq("so does closing a dup of it", in_child(child_sees, 0), 200);
	set_lock(fd, F_WRLCK, 0, 0);
	int another = open_file(O_RDONLY), null = open("/dev/null", O_RDONLY);
	dup2(null, another);
	check_eq("and so does dup2 over another descriptor of the file", in_child(child_sees, 0), 200);
	close(another);
	close(null);
	close(fd);
}

/* ---- record locks: waiting ------------------------------------------------------------- */

static volatile sig_atomic_t handled;
static void note_signal(int sig)
{
	(void)sig;
	handled++;
}

/* A child that waits in F_SETLKW for a write lock on byte 0. With arg 1, a
 * SIGUSR1 handler without SA_RESTART is installed; 2, with it. Exits 0 when
 * it got the lock, 10 + errno's small code otherwise. */
static pid_t start_waiter(int handler)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		if (handler) {
			struct sigaction sa;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = note_signal;
			sa.sa_flags = handler == 2 ? SA_RESTART : 0;
			sigaction(SIGUSR1, &sa, NULL);
		}
		int fd = open_file(O_RDWR);
		struct flock fl = range(F_WRLCK, SEEK_SET, 0, 1);
		if (fcntl(fd, F_SETLKW, &fl) == 0)
			_exit(handler == 2 && handled != 1 ? 30 : 0);
		_exit(errno == EINTR ? 20 : 21);
	}
	return pid;
}

/* We hold byte 0 through fd; a waiter (see start_waiter) is asleep for it. */
static pid_t blocked_waiter(int fd, int handler)
{
	set_lock(fd, F_WRLCK, 0, 1);
	pid_t pid = start_waiter(handler);
	wait_until_asleep(pid);
	return pid;
}

static void waiting(void)
{
	int fd = open_file(O_RDWR);
	pid_t pid = blocked_waiter(fd, 0);
	check_eq("F_SETLKW sleeps while the lock is held", t_proc_state(pid), 'S');
	set_lock(fd, F_UNLCK, 0, 1);
	check_exited("and gets it once it is released", t_wait(pid, T_WAIT_TICKS), 0);

	pid = blocked_waiter(fd, 1);
	kill(pid, SIGUSR1);
	check_exited("a signal with a handler interrupts it: EINTR", t_wait(pid, T_WAIT_TICKS), 20);

	pid = blocked_waiter(fd, 2);
	kill(pid, SIGUSR1);
	t_nap(20);
	set_lock(fd, F_UNLCK, 0, 1);
	check_exited("with SA_RESTART it goes on waiting, and gets the lock", t_wait(pid, T_WAIT_TICKS), 0);

	pid = blocked_waiter(fd, 0);
	kill(pid, SIGKILL);
	check_signaled("a waiter dies of SIGKILL", t_wait(pid, T_WAIT_TICKS), SIGKILL);
	check_eq("and the lock is still ours", in_child(child_sees, 0), 0 * 10 + 1);
	set_lock(fd, F_UNLCK, 0, 0);
	close(fd);
}

/* We hold byte 0; a child holds byte 1 and waits for byte 0. Our wait for
 * byte 1 would never end. */
static void deadlock(void)
{
	int fd = open_file(O_RDWR), ready[2];
	pipe(ready);
	set_lock(fd, F_WRLCK, 0, 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		int cfd = open_file(O_RDWR);
		set_lock(cfd, F_WRLCK, 1, 1);
		write(ready[1], "x", 1);
		struct flock fl = range(F_WRLCK, SEEK_SET, 0, 1);
		_exit(fcntl(cfd, F_SETLKW, &fl) == 0 ? 0 : 1);
	}
	char c;
	read(ready[0], &c, 1);
	wait_until_asleep(pid);
	struct flock fl = range(F_WRLCK, SEEK_SET, 1, 1);
	check_errno("waiting for a lock held by a process that waits for ours: EDEADLK", fcntl(fd, F_SETLKW, &fl),
		    EDEADLK);
	check_errno("F_SETLK just says EAGAIN", fcntl(fd, F_SETLK, &fl), EAGAIN);
	set_lock(fd, F_UNLCK, 0, 1);
	check_exited("once we let go, the child gets byte 0", t_wait(pid, T_WAIT_TICKS), 0);
	close(fd);
	close(ready[0]);
	close(ready[1]);
}

/* ---- OFD locks --------------------------------------------------------------------------- */

static void ofd(void)
{
	int o1 = open_file(O_RDWR), o2 = open_file(O_RDWR);
	struct flock fl = range(F_WRLCK, SEEK_SET, 0, 1);

	check_ok("an OFD write lock on byte 0 through one open", fcntl(o1, F_OFD_SETLK, &fl));
	check_errno("another open of the same file, same process: EAGAIN", fcntl(o2, F_OFD_SETLK, &fl), EAGAIN);
	fl = query(o2, F_OFD_GETLK, F_WRLCK, 0, 1);
	check("F_OFD_GETLK shows it, with l_pid -1", fl.l_type == F_WRLCK && fl.l_pid == -1 && fl.l_len == 1,
	      "type %d, pid %d, len %ld", fl.l_type, fl.l_pid, fl.l_len);
	fl = range(F_WRLCK, SEEK_SET, 0, 1);
	check_errno("a process lock through o2 conflicts with it too: EAGAIN", fcntl(o2, F_SETLK, &fl), EAGAIN);
	fl = query(o2, F_GETLK, F_WRLCK, 0, 1);
	check_eq("and F_GETLK reports it", fl.l_pid, -1);
	int o3 = open_file(O_RDONLY);
	close(o3);
	fl = range(F_WRLCK, SEEK_SET, 0, 1);
	check_errno("closing another descriptor does not drop an OFD lock", fcntl(o2, F_OFD_SETLK, &fl), EAGAIN);
	pid_t pid = t_fork();
	if (pid == 0) {
		struct flock mine = range(F_WRLCK, SEEK_SET, 0, 1);
		_exit(fcntl(o1, F_OFD_SETLK, &mine) == 0 ? 0 : 1);
	}
	check_exited("a forked child shares it: its lock through the inherited o1 is the same owner's",
		     t_wait(pid, T_WAIT_TICKS), 0);
	int copy = dup(o1);
	close(o1);
	check_errno("closing o1 while a dup remains keeps it", fcntl(o2, F_OFD_SETLK, &fl), EAGAIN);
	close(copy);
	check_ok("closing the last descriptor of that open releases it", fcntl(o2, F_OFD_SETLK, &fl));
	close(o2);
}

/* ---- flock -------------------------------------------------------------------------------- */

static void whole_file_locks(void)
{
	int o1 = open_file(O_RDWR), o2 = open_file(O_RDWR);

	check_ok("LOCK_EX through one open", flock(o1, LOCK_EX));
	check_errno("LOCK_SH | LOCK_NB through another: EWOULDBLOCK", flock(o2, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	check_ok("flock and record locks never meet: F_SETLK on the whole file", set_lock(o2, F_WRLCK, 0, 0));
	set_lock(o2, F_UNLCK, 0, 0);
	check_ok("LOCK_EX again through the same open: nothing to do", flock(o1, LOCK_EX | LOCK_NB));
	check_ok("down to LOCK_SH", flock(o1, LOCK_SH));
	check_ok("now another open may share it", flock(o2, LOCK_SH | LOCK_NB));
	check_errno("but not take it exclusively", flock(o2, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	flock(o2, LOCK_UN);

	pid_t pid = t_fork();
	if (pid == 0)
		_exit(flock(o1, LOCK_UN) == 0 ? 0 : 1);
	t_wait(pid, T_WAIT_TICKS);
	check_ok("a child's LOCK_UN through the inherited descriptor released ours (one open file)",
		 flock(o2, LOCK_EX | LOCK_NB));

	pid = t_fork();
	if (pid == 0)
		_exit(flock(o1, LOCK_SH) == 0 ? 0 : 1);
	wait_until_asleep(pid);
	check_eq("a blocking LOCK_SH waits", t_proc_state(pid), 'S');
	flock(o2, LOCK_UN); /* (closing o2 would not do: the child holds a copy of it) */
	check_exited("until the exclusive lock is released", t_wait(pid, T_WAIT_TICKS), 0);
	close(o1);
	close(o2);

	int p[2];
	pipe(p);
	check_ok("flock on a pipe", flock(p[0], LOCK_EX));
	struct flock fl = range(F_WRLCK, SEEK_SET, 0, 0);
	check_ok("F_SETLK on a pipe", fcntl(p[1], F_SETLK, &fl));
	close(p[0]);
	close(p[1]);
}

/* ---- /proc/locks -------------------------------------------------------------------------- */

/* Does a line of text that contains `part` end with `end`? */
static int line_ends(const char *text, const char *part, const char *end)
{
	const char *hit = strstr(text, part);
	if (!hit)
		return 0;
	const char *nl = strchr(hit, '\n');
	size_t len = strlen(end);
	return nl && (size_t)(nl - hit) >= len && strncmp(nl - len, end, len) == 0;
}

static void proc_locks(void)
{
	int fd = open_file(O_RDWR), o2 = open_file(O_RDWR);
	set_lock(fd, F_WRLCK, 20, 1);
	flock(o2, LOCK_SH);
	char buf[8192], posix[64], flk[64];
	int lf = open("/proc/locks", O_RDONLY);
	long n = read(lf, buf, sizeof(buf) - 1);
	close(lf);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(posix, sizeof(posix), "POSIX  ADVISORY  WRITE %d ", getpid());
	snprintf(flk, sizeof(flk), "FLOCK  ADVISORY  READ %d ", getpid());
	check("/proc/locks lists our record lock, bytes 20 to 20", line_ends(buf, posix, " 20 20"),
	      "no line has \"%s...20 20\"", posix);
	check("and our flock lock, 0 to EOF", line_ends(buf, flk, " 0 EOF"), "no line has \"%s...0 EOF\"", flk);
	close(fd);
	close(o2);
}

/* ---- a bound on kernel memory (sysgate only) ----------------------------------------------- */

/* One lock on every other byte until the kernel says ENOLCK: it must, at
 * its limit of 16384 locks, and recover when they are given up. */
static void lock_limit(void)
{
	int fd = open_file(O_RDWR);
	long n = 0;
	while (n < 40000 && set_lock(fd, F_WRLCK, n * 2, 1) == 0)
		n++;
	check("locking every other byte ends in ENOLCK", n < 40000 && errno == ENOLCK, "%ld locks, then %s", n,
	      errno_name(errno));
	check("after thousands of locks", n > 10000, "only %ld", n);
	check_ok("unlocking the whole file still works at the limit", set_lock(fd, F_UNLCK, 0, 0));
	check_ok("and then a lock can be set again", set_lock(fd, F_WRLCK, 0, 1));
	close(fd);
}

/* ---- leaks -------------------------------------------------------------------------------- */

static void lock_churn(void)
{
	for (int round = 0; round < 20; round++) {
		int fd = open_file(O_RDWR), o2 = open_file(O_RDWR), p[2];
		for (int i = 0; i < 50; i++)
			set_lock(fd, i % 3 ? F_WRLCK : F_RDLCK, i * 2, 1);
		set_lock(fd, F_UNLCK, 10, 20);
		struct flock fl = range(F_RDLCK, SEEK_SET, 100, 5);
		fcntl(o2, F_OFD_SETLK, &fl);
		flock(o2, LOCK_EX);
		pipe(p);
		flock(p[0], LOCK_SH);
		close(p[0]);
		close(p[1]);
		close(o2);
		close(fd);
	}
	int fd = open_file(O_RDWR);
	pid_t pid = blocked_waiter(fd, 0);
	kill(pid, SIGKILL);
	t_wait(pid, T_WAIT_TICKS);
	close(fd);
}

/* A file that is never freed keeps nothing from having been locked once
 * (the kernel frees a file's lock list with its last lock). */
static void lasting_file(void)
{
	struct leak_mark m;
	leak_mark(&m);
	int fd = open("/dev/null", O_RDWR);
	flock(fd, LOCK_EX);
	set_lock(fd, F_WRLCK, 0, 0);
	flock(fd, LOCK_UN);
	set_lock(fd, F_UNLCK, 0, 0);
	close(fd);
	leak_check("locks on /dev/null, given up: no heap byte kept", &m);
}

int main(void)
{
	t_begin("locks");
	snprintf(path, sizeof(path), "/tmp/locks-%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "0123456789", 10);
	close(fd);

	t_group("bad input", bad_input);
	t_group("ranges", ranges);
	t_group("ownership", ownership);
	t_group("waiting", waiting);
	t_group("deadlock", deadlock);
	t_group("OFD locks", ofd);
	t_group("flock", whole_file_locks);
	t_group("/proc/locks", proc_locks);
	if (on_sysgate())
		lasting_file();
	if (on_sysgate())
		t_group("the lock limit", lock_limit);
	else
		t_skip("the lock limit", "sysgate's own (Linux accounts lock memory per cgroup)");
	if (on_sysgate())
		t_leak_test("locks set, split, merged and dropped 20 times; a waiter killed: no frame or heap byte lost",
			    lock_churn);
	else
		t_skip("leaks", "sysgate only");
	unlink(path);
	return t_end();
}
