/*
 * events: eventfd (course section:  eventfd communication; the integrated event system). One part
 * of the events test: main.c runs it.
 */
#include "events.h"

/* ---- eventfd ---------------------------------------------------------------------------- */

void test_eventfd_create(void)
{
	int fd = eventfd(0, 0);
	check_ok("eventfd(0, 0)", fd);
	check_eq("F_GETFL reports O_RDWR", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR);
	check_eq("no FD_CLOEXEC by default", fcntl(fd, F_GETFD), 0);
	close(fd);

	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	check_eq("EFD_NONBLOCK: F_GETFL reports O_RDWR|O_NONBLOCK", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK),
		 O_RDWR | O_NONBLOCK);
	check_eq("EFD_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);

	check_errno("flags -1: EINVAL", eventfd(0, -1), EINVAL);
	check_errno("flags O_APPEND: EINVAL", eventfd(0, O_APPEND), EINVAL);
	check_errno("an undefined flag bit (2): EINVAL", eventfd(0, 2), EINVAL);

	fd = (int)syscall(SYS_eventfd, 7);
	check_ok("the old eventfd syscall (no flags)", fd);
	check_eq("it starts at its initial value", t_read_u64(fd), 7);
	close(fd);
}

/* After exec: is fd still open? The program runs itself with
 * "--is-open FD" and exits 0 for open, 1 for closed. */
int open_after_exec(int fd)
{
	char arg[16];
	snprintf(arg, sizeof(arg), "%d", fd);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "--is-open", arg, NULL };
		execv(t_self(), argv);
		_exit(2);
	}
	int st = t_wait(pid, T_WAIT_TICKS);
	return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) == 0 : -1;
}

void test_cloexec_on_exec(void)
{
	int keep = eventfd(0, 0), drop = eventfd(0, EFD_CLOEXEC), ep = epoll_create1(EPOLL_CLOEXEC);
	int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	int s = signalfd(-1, &mask, SFD_CLOEXEC);
	check_eq("a plain eventfd stays open across exec", open_after_exec(keep), 1);
	check_eq("an EFD_CLOEXEC eventfd is closed by exec", open_after_exec(drop), 0);
	check_eq("an EPOLL_CLOEXEC epoll set is closed by exec", open_after_exec(ep), 0);
	check_eq("a TFD_CLOEXEC timerfd is closed by exec", open_after_exec(t), 0);
	check_eq("an SFD_CLOEXEC signalfd is closed by exec", open_after_exec(s), 0);
	close(keep);
	close(drop);
	close(ep);
	close(t);
	close(s);
}

void test_eventfd_counter(void)
{
	uint32_t small = 1;
	uint64_t big[2] = { 0, 0 };
	int fd = eventfd(5, EFD_NONBLOCK);

	check_errno("read with a 4-byte buffer: EINVAL", read(fd, &small, sizeof(small)), EINVAL);
	check_errno("write with a 4-byte buffer: EINVAL", write(fd, &small, sizeof(small)), EINVAL);
	check_errno("read of 0 bytes: EINVAL", read(fd, big, 0), EINVAL);
	check_eq("read returns the initial value", t_read_u64(fd), 5);
	check_errno("the read zeroed it: a non-blocking read of zero says EAGAIN", read(fd, big, 8), EAGAIN);

	t_write_u64(fd, 3);
	t_write_u64(fd, 4);
	check_eq("writes add: 3 + 4", t_read_u64(fd), 7);
	t_write_u64(fd, 9);
	check_eq("a 16-byte read still moves 8 bytes", read(fd, big, sizeof(big)), 8);
	check_eq("and the value is in the first 8", (long)big[0], 9);

	check_errno("write 0xffffffffffffffff: EINVAL", t_write_u64(fd, UINT64_MAX), EINVAL);
	check_eq("write 0xfffffffffffffffe (the largest count) to zero", t_write_u64(fd, EVENTFD_MAX), 8);
	check_errno("full counter + write 1 on a non-blocking fd: EAGAIN", t_write_u64(fd, 1), EAGAIN);
	check_eq("a full counter is readable but not writable", poll_now(fd, POLLIN | POLLOUT), POLLIN);
	check_eq("writing 0 to a full counter is allowed", t_write_u64(fd, 0), 8);
	check_eqx("read returns the full count", (unsigned long)t_read_u64(fd), EVENTFD_MAX);

	check_eq("writing 0 to zero succeeds", t_write_u64(fd, 0), 8);
	check_errno("but leaves nothing to read: EAGAIN", read(fd, big, 8), EAGAIN);
	check_errno("write from NULL: EFAULT", write(fd, NULL, 8), EFAULT);
	check_errno("write from a kernel address: EFAULT", write(fd, (void *)KERNEL_ADDR, 8), EFAULT);
	t_write_u64(fd, 1);
	check_errno("read into a kernel address: EFAULT", read(fd, (void *)KERNEL_ADDR, 8), EFAULT);
	close(fd);

	fd = eventfd(0, 0);
	for (int i = 0; i < 100000; i++)
		if (t_write_u64(fd, 1) != 8) {
			t_fail("100,000 writes of 1", "write %d failed: %s", i, errno_name(errno));
			break;
		}
	check_eq("100,000 writes of 1 then one read: 100000", t_read_u64(fd), 100000);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	check_errno("O_NONBLOCK set by F_SETFL: EAGAIN at zero", read(fd, big, 8), EAGAIN);
	close(fd);
}

void test_eventfd_semaphore(void)
{
	int fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	check_eq("semaphore: first read returns 1", t_read_u64(fd), 1);
	check_eq("semaphore: second read returns 1", t_read_u64(fd), 1);
	check_eq("semaphore: third read returns 1", t_read_u64(fd), 1);
	check_eq("semaphore: the fourth finds zero: EAGAIN", t_read_u64(fd), -EAGAIN);
	t_write_u64(fd, 2);
	check_eq("semaphore: after writing 2, one read takes 1", t_read_u64(fd), 1);
	check_eq("semaphore: the count left is readable", poll_now(fd, POLLIN), POLLIN);
	check_eq("semaphore: and the next takes the last", t_read_u64(fd), 1);
	check_eq("semaphore: now nothing is readable", poll_now(fd, POLLIN), 0);
	close(fd);

	fd = eventfd(3, EFD_NONBLOCK);
	check_eq("counter: one read takes all 3", t_read_u64(fd), 3);
	close(fd);
}

/* Shared across fork: one counter, not a copy. */
void test_eventfd_fork(void)
{
	int fd = eventfd(0, 0);
	t_write_u64(fd, 11);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(t_read_u64(fd) == 11 ? 0 : 1);
	check_exited("the child reads what the parent wrote before fork", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("and its read emptied the parent's counter", poll_now(fd, POLLIN), 0);

	pid = t_fork();
	if (pid == 0) {
		t_nap(50); /* let the parent block in read */
		t_write_u64(fd, 42);
		_exit(0);
	}
	check_eq("a blocking read is woken by another process's write", t_read_u64(fd), 42);
	t_wait(pid, T_WAIT_TICKS);
	close(fd);
}

/* A write that would overflow sleeps until a read makes room. */
void test_eventfd_overflow_blocks(void)
{
	int fd = eventfd(0, 0);
	t_write_u64(fd, EVENTFD_MAX);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(t_write_u64(fd, 5) == 8 ? 0 : 1);
	t_nap(50);
	int st = 0;
	check_eq("the overflowing write is still blocked", waitpid(pid, &st, WNOHANG), 0);
	check_eqx("the read gets the full count", (unsigned long)t_read_u64(fd), EVENTFD_MAX);
	check_eq("which lets the blocked write add its 5", t_read_u64(fd), 5);
	check_exited("the writer finished", t_wait(pid, T_WAIT_TICKS), 0);
	close(fd);
}

void test_eventfd_eintr(void)
{
	int fd = eventfd(0, 0);
	uint64_t v;
	t_count_signal(SIGUSR1);
	pid_t pester = t_pester_start(SIGUSR1);
	long r = read(fd, &v, sizeof(v));
	int e = errno;
	t_pester_stop(pester);
	errno = e;
	check_errno("a blocking read interrupted by a handled signal: EINTR", r, EINTR);
	check("the handler ran", t_signal_count > 0, "t_signal_count %d", (int)t_signal_count);
	close(fd);
}

/*
 * 100,000 round trips between two processes, each blocking in read: a lost
 * wake-up anywhere would hang one side (and t_wait would report it).
 */
#define PING_PONGS 100000

void test_ping_pong(void)
{
	int ping = eventfd(0, 0), pong = eventfd(0, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		for (int i = 0; i < PING_PONGS; i++) {
			long v = t_read_u64(ping);
			if (v != 1 || t_write_u64(pong, (uint64_t)i + 1) != 8)
				_exit(1);
		}
		_exit(0);
	}
	int good = 0;
	for (int i = 0; i < PING_PONGS; i++) {
		if (t_write_u64(ping, 1) != 8 || t_read_u64(pong) != i + 1)
			break;
		good++;
	}
	check_eq("100,000 eventfd ping-pongs between two processes", good, PING_PONGS);
	check_exited("the other player finished", t_wait(pid, T_WAIT_TICKS), 0);
	close(ping);
	close(pong);
}
