/*
 * File leases: F_SETLEASE and F_GETLEASE (course sections: files;
 * signals).
 *
 * The same checks run on Linux: a read lease holder is told (SIGIO) when
 * another process opens the file for writing, which waits -- or fails
 * with EWOULDBLOCK under O_NONBLOCK -- until the holder lets go; a write
 * lease is broken by any open and can step down to a read lease; the lease
 * goes with its file's last close; and the rules (regular files, the
 * owner only, no writers for a read lease, no other opens for a write
 * lease) give Linux's errnos.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

#define PATH "/tmp/lease.test"

/* Wait up to a second for SIGIO (blocked); 1 if it came. */
static int got_sigio(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	siginfo_t info;
	struct timespec ts = { 1, 0 };
	return sigtimedwait(&set, &info, &ts) == SIGIO;
}

/* A child's open(PATH, flags): 0 if it worked, else its errno. */
static void child_open(long flags)
{
	int fd = open(PATH, (int)flags);
	_exit(fd >= 0 ? 0 : errno);
}

static pid_t start_child_open(int flags)
{
	pid_t pid = t_fork();
	if (pid == 0)
		child_open(flags);
	return pid;
}

static int child_open_result(int flags)
{
	int st = t_wait(start_child_open(flags), T_WAIT_TICKS);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_read_lease(void)
{
	int fd = open(PATH, O_RDONLY);
	check_eq("F_GETLEASE without a lease: F_UNLCK", fcntl(fd, F_GETLEASE), F_UNLCK);
	check_ok("F_SETLEASE F_RDLCK on a read-only descriptor", fcntl(fd, F_SETLEASE, F_RDLCK));
	check_eq("F_GETLEASE: F_RDLCK", fcntl(fd, F_GETLEASE), F_RDLCK);
	check_eq("another reader opens it undisturbed", child_open_result(O_RDONLY), 0);
	check_eq("a writer with O_NONBLOCK: EWOULDBLOCK", child_open_result(O_WRONLY | O_NONBLOCK), EWOULDBLOCK);
	check("... and the holder is told: SIGIO", got_sigio(), "no signal");
	check_eq("F_GETLEASE while it is broken: F_UNLCK, the target", fcntl(fd, F_GETLEASE), F_UNLCK);

	/* The lease is already being broken: no second signal, the writer waits. */
	pid_t writer = start_child_open(O_WRONLY);
	check_eq("a blocking writer waits for the holder", t_wait_for_state(writer, 'S'), 'S');
	check_ok("the holder gives the lease up", fcntl(fd, F_SETLEASE, F_UNLCK));
	check_exited("... and the writer's open goes on", t_wait(writer, T_WAIT_TICKS), 0);
	check_eq("F_GETLEASE after: F_UNLCK", fcntl(fd, F_GETLEASE), F_UNLCK);

	check_ok("a new read lease", fcntl(fd, F_SETLEASE, F_RDLCK));
	close(fd);
	check_eq("closing the holder's descriptor ends the lease", child_open_result(O_WRONLY | O_NONBLOCK), 0);
}

static void test_write_lease(void)
{
	int fd = open(PATH, O_RDWR);
	check_ok("F_SETLEASE F_WRLCK while no one else has the file open", fcntl(fd, F_SETLEASE, F_WRLCK));
	check_eq("F_GETLEASE: F_WRLCK", fcntl(fd, F_GETLEASE), F_WRLCK);
	check_eq("even a reader with O_NONBLOCK: EWOULDBLOCK", child_open_result(O_RDONLY | O_NONBLOCK), EWOULDBLOCK);
	check("... the holder is told", got_sigio(), "no signal");
	check_eq("F_GETLEASE while broken for a reader: F_RDLCK", fcntl(fd, F_GETLEASE), F_RDLCK);
	close(fd);
	fd = open(PATH, O_RDONLY);
	int other = open(PATH, O_RDONLY);
	check_errno("a write lease while another descriptor is open: EAGAIN", fcntl(fd, F_SETLEASE, F_WRLCK), EAGAIN);
	close(other);
	close(fd);
}

/* sysgate only (it would change the host): a holder that never answers
 * loses its lease after lease-break-time seconds, and the opener goes on. */
static void test_break_time(void)
{
	if (!on_sysgate()) {
		t_skip("a holder that does not answer loses the lease", "it would change the host's lease-break-time");
		return;
	}
	int sysctl = open("/proc/sys/fs/lease-break-time", O_WRONLY);
	write(sysctl, "1\n", 2);
	int fd = open(PATH, O_RDONLY);
	fcntl(fd, F_SETLEASE, F_RDLCK);
	check_eq("a holder that never answers: the writer opens after lease-break-time",
		 child_open_result(O_WRONLY), 0);
	check("... the holder was told", got_sigio(), "no signal");
	check_eq("... and its lease is gone", fcntl(fd, F_GETLEASE), F_UNLCK);
	close(fd);
	lseek(sysctl, 0, SEEK_SET);
	write(sysctl, "45\n", 3);
	close(sysctl);
}

static void test_rules(long unused)
{
	(void)unused;
	int p[2];
	pipe(p);
	check_errno("a lease on a pipe: EINVAL", fcntl(p[0], F_SETLEASE, F_RDLCK), EINVAL);
	int rw = open(PATH, O_RDWR);
	check_errno("a read lease on a read-write descriptor: EAGAIN", fcntl(rw, F_SETLEASE, F_RDLCK), EAGAIN);
	int fd = open(PATH, O_RDONLY);
	check_errno("a read lease while someone writes: EAGAIN", fcntl(fd, F_SETLEASE, F_RDLCK), EAGAIN);
	check_errno("lease type 7: EINVAL", fcntl(fd, F_SETLEASE, 7), EINVAL);
	close(rw);
	if (setresgid(4000, 4000, 4000) || setresuid(4000, 4000, 4000))
		_exit(98);
	check_errno("a lease on root's file by another user: EACCES", fcntl(fd, F_SETLEASE, F_RDLCK), EACCES);
	_exit(t_end());
}

int main(void)
{
	t_begin("lease");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "data", 4);
	close(fd);
	test_read_lease();
	test_write_lease();
	test_break_time();
	check_exited("the rules", run_child(test_rules, 0), 0);
	unlink(PATH);
	return t_end();
}
