/*
 * Signal-driven I/O with details: F_SETSIG, F_GETSIG, F_SETOWN_EX and
 * F_GETOWN_EX (course sections: signals; the integrated event system).
 *
 * The same checks run on Linux: with F_SETSIG the chosen signal arrives
 * with the descriptor in si_fd, the events in si_band and the reason in
 * si_code (POLL_IN for data, POLL_OUT for room, POLL_HUP...); a real-time
 * signal queues once per event; the owner can be named as a thread, a
 * process or a group; and bad signals, types, owners and pointers get
 * Linux's errnos.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "testlib.h"

#define SIG (SIGRTMIN + 1)

/* Wait (at most a second) for SIG, blocked, and return its siginfo's code, or -1. */
static int take_signal(siginfo_t *info)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIG);
	struct timespec ts = { 1, 0 };
	return sigtimedwait(&set, info, &ts) == SIG ? info->si_code : -1;
}

static void block_sig(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIG);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void test_setsig(void)
{
	int p[2];
	pipe(p);
	check_eq("F_GETSIG is 0 at first", fcntl(p[0], F_GETSIG), 0);
	check_ok("F_SETSIG SIGRTMIN+1", fcntl(p[0], F_SETSIG, SIG));
	check_eq("F_GETSIG gives it back", fcntl(p[0], F_GETSIG), SIG);
	check_errno("F_SETSIG 65: EINVAL", fcntl(p[0], F_SETSIG, 65), EINVAL);
	check_errno("F_SETSIG -1: EINVAL", fcntl(p[0], F_SETSIG, -1), EINVAL);
	check_ok("F_SETOWN to ourselves", fcntl(p[0], F_SETOWN, getpid()));
	check_ok("O_ASYNC on the read end", fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC));

	write(p[1], "a", 1);
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	check_eq("data: the signal comes with POLL_IN", take_signal(&info), POLL_IN);
	check_eq("si_fd is the read end", info.si_fd, p[0]);
	check_eqx("si_band is POLLIN|POLLRDNORM", info.si_band, POLLIN | POLLRDNORM);

	write(p[1], "b", 1);
	write(p[1], "c", 1);
	int queued = 0;
	while (take_signal(&info) == POLL_IN)
		queued++;
	check("a real-time signal queues once per write", queued == 2, "%d signals", queued);

	char buf[4];
	read(p[0], buf, sizeof(buf));
	close(p[1]);
	int code = take_signal(&info);
	check_eq("the writer's close: POLL_IN (end of file is one more thing to read)", code, POLL_IN);
	check_eqx("... si_band POLLIN|POLLRDNORM, as for data", info.si_band, POLLIN | POLLRDNORM);
	close(p[0]);
}

static void test_write_end(void)
{
	int p[2];
	pipe(p);
	fcntl(p[0], F_SETPIPE_SZ, 4096);
	char fill[4096];
	memset(fill, 'x', sizeof(fill));
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], fill, sizeof(fill)) > 0)
		;
	fcntl(p[1], F_SETSIG, SIG);
	fcntl(p[1], F_SETOWN, getpid());
	fcntl(p[1], F_SETFL, O_NONBLOCK | O_ASYNC);
	char buf[4096];
	read(p[0], buf, sizeof(buf));
	siginfo_t info;
	check_eq("room to write: POLL_OUT", take_signal(&info), POLL_OUT);
	check_eq("si_fd is the write end", info.si_fd, p[1]);
	check_eqx("si_band is POLLOUT|POLLWRNORM|POLLWRBAND", info.si_band, POLLOUT | POLLWRNORM | POLLWRBAND);
	close(p[0]);
	close(p[1]);
}

static void test_owner_ex(void)
{
	int p[2];
	pipe(p);
	struct f_owner_ex ex = { F_OWNER_TID, gettid() }, got;
	check_ok("F_SETOWN_EX F_OWNER_TID", fcntl(p[0], F_SETOWN_EX, &ex));
	memset(&got, 0xff, sizeof(got));
	check_ok("F_GETOWN_EX", fcntl(p[0], F_GETOWN_EX, &got));
	check("... gives the thread back", got.type == F_OWNER_TID && got.pid == gettid(), "type %d pid %d", got.type,
	      got.pid);
	ex = (struct f_owner_ex){ F_OWNER_PGRP, getpgrp() };
	check_ok("F_SETOWN_EX F_OWNER_PGRP", fcntl(p[0], F_SETOWN_EX, &ex));
	fcntl(p[0], F_GETOWN_EX, &got);
	check("... F_GETOWN_EX says the group", got.type == F_OWNER_PGRP && got.pid == getpgrp(), "type %d pid %d",
	      got.type, got.pid);
	check_eq("... F_GETOWN gives minus the group (raw)", raw_syscall(SYS_fcntl, p[0], F_GETOWN, 0, 0, 0, 0),
		 -getpgrp());
	fcntl(p[0], F_SETOWN, getpid());
	fcntl(p[0], F_GETOWN_EX, &got);
	check("F_SETOWN then F_GETOWN_EX: F_OWNER_PID", got.type == F_OWNER_PID && got.pid == getpid(),
	      "type %d pid %d", got.type, got.pid);
	ex = (struct f_owner_ex){ 7, getpid() };
	check_errno("F_SETOWN_EX type 7: EINVAL", fcntl(p[0], F_SETOWN_EX, &ex), EINVAL);
	ex = (struct f_owner_ex){ F_OWNER_PID, 999999 };
	check_errno("F_SETOWN_EX of no process: ESRCH", fcntl(p[0], F_SETOWN_EX, &ex), ESRCH);
	check_errno("F_SETOWN_EX from a bad pointer: EFAULT", fcntl(p[0], F_SETOWN_EX, (void *)8), EFAULT);
	check_errno("F_GETOWN_EX to a bad pointer: EFAULT", fcntl(p[0], F_GETOWN_EX, (void *)8), EFAULT);

	/* A thread owner gets the signal with the details too. */
	ex = (struct f_owner_ex){ F_OWNER_TID, gettid() };
	fcntl(p[0], F_SETOWN_EX, &ex);
	fcntl(p[0], F_SETSIG, SIG);
	fcntl(p[0], F_SETFL, O_ASYNC);
	write(p[1], "t", 1);
	siginfo_t info;
	check_eq("the owning thread gets POLL_IN", take_signal(&info), POLL_IN);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	t_begin("sigio");
	block_sig();
	test_setsig();
	test_write_end();
	test_owner_ex();
	return t_end();
}
