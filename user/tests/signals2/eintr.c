/*
 * signals2: interrupted calls: EINTR or restart; SIGPIPE (course section: signals). One part of
 * the signals2 test: main.c runs it.
 */
#include "signals2.h"

/* ---- interrupted calls: EINTR or restart -------------------------------------------------------------- */

int gate[2];	/* a pipe nobody writes: reading it blocks */

/* In the child: sleep in one call with a SIGUSR1 handler (SA_RESTART or
 * not). Exit 0 if the call failed with EINTR, 1 if it returned otherwise.
 * For nanosleep, also 2 if the time left was not reported. */
void interrupted_call(int call, unsigned long flags)
{
	char c;
	long r = 0;
	struct timespec req = { 100, 0 }, rem = { -1, -1 };
	sigset_t none = 0;

	install(SIGUSR1, counting_handler, flags);
	switch (call) {
	case CALL_PIPE_READ:
		r = read(gate[0], &c, 1);
		break;
	case CALL_CONSOLE_READ:
		r = read(0, &c, 1);
		break;
	case CALL_WAIT4: {
		pid_t sleeper = t_fork();
		if (sleeper == 0) {
			read(gate[0], &c, 1);
			_exit(0);
		}
		r = waitpid(sleeper, NULL, 0);
		kill(sleeper, SIGKILL);
		break;
	}
	case CALL_NANOSLEEP:
		r = nanosleep(&req, &rem);
		if (r == -1 && errno == EINTR && !(rem.tv_sec >= 0 && rem.tv_sec < 100 && rem.tv_nsec >= 0 &&
						   (rem.tv_sec || rem.tv_nsec)))
			_exit(2);
		break;
	case CALL_PAUSE:
		r = pause();
		break;
	case CALL_SIGSUSPEND:
		r = sigsuspend(&none);
		break;
	}
	_exit(r == -1 && errno == EINTR ? 0 : 1);
}

void expect_eintr(int call, unsigned long flags)
{
	pid_t pid = t_fork();

	if (pid == 0)
		interrupted_call(call, flags);
	check_exited(cname("%s%s: EINTR", call_names[call], flags & SA_RESTART ? " with SA_RESTART" : ""),
		     signal_until_exit(pid, SIGUSR1), 0);
}

/* With SA_RESTART a pipe read goes on after the handler: it returns the
 * byte written later, not EINTR. The handler notifies us on a pipe. */
void restarted_read(int note_wr)
{
	char c = 0;

	notify_fd = note_wr;
	install(SIGUSR1, counting_handler, SA_RESTART);
	long r = read(gate[0], &c, 1);
	_exit(r == 1 && c == 'x' && got >= 1 ? 0 : 1);
}

void restarted_wait4(int note_wr)
{
	char c;

	notify_fd = note_wr;
	install(SIGUSR1, counting_handler, SA_RESTART);
	pid_t sleeper = t_fork();
	if (sleeper == 0) {
		read(gate[0], &c, 1);
		_exit(7);
	}
	int st = 0;
	long r = waitpid(sleeper, &st, 0);
	_exit(r == sleeper && WIFEXITED(st) && WEXITSTATUS(st) == 7 && got >= 1 ? 0 : 1);
}

void expect_restart(const char *name, void (*child_fn)(int))
{
	int note[2];

	pipe(gate);
	pipe(note);
	pid_t pid = t_fork();
	if (pid == 0) {
		close(gate[1]);
		child_fn(note[1]);
	}
	t_wait_for_state(pid, 'S');
	kill(pid, SIGUSR1);
	check_eq(cname("%s with SA_RESTART: the handler ran", name), read_byte(note[0]), 'h');
	t_wait_for_state(pid, 'S'); /* back in the restarted call */
	t_nap(50);
	write(gate[1], "x", 1);
	close(gate[1]);
	check_exited(cname("%s with SA_RESTART: restarted, then completed", name), t_wait(pid, T_WAIT_TICKS), 0);
	close(gate[0]);
	close(note[0]);
	close(note[1]);
}

/* restart_syscall, called by a program with nothing interrupted, has
 * nothing to go on with: EINTR. */
void restart_with_nothing(long arg)
{
	(void)arg;
	_exit(syscall(SYS_restart_syscall) == -1 && errno == EINTR ? 0 : 1);
}

/* A poll (how 0) or ppoll (how 1) on a pipe, stopped and continued while
 * it waits, must go on waiting and see the byte the parent writes later. */
void stopped_poll(int fd, int how)
{
	struct pollfd p = { fd, POLLIN, 0 };
	struct timespec minute = { 60, 0 };
	long r = how ? syscall(SYS_ppoll, &p, 1, &minute, NULL, 8) : syscall(SYS_poll, &p, 1, 60000);

	_exit(r == 1 && (p.revents & POLLIN) ? 0 : 1);
}

void test_stopped_polls(void)
{
	static const char *const names[] = { "poll", "ppoll" };

	for (int how = 0; how < 2; how++) {
		int p[2];

		pipe(p);
		pid_t pid = t_fork();
		if (pid == 0)
			stopped_poll(p[0], how);
		t_wait_for_state(pid, 'S');
		kill(pid, SIGSTOP);
		wait_opts(pid, WUNTRACED);
		kill(pid, SIGCONT);
		t_wait_for_state(pid, 'S'); /* back in the restarted call */
		write(p[1], "x", 1);
		check_exited(cname("%s, stopped and continued: goes on and sees the data", names[how]),
			     t_wait(pid, T_WAIT_TICKS), 0);
		close(p[0]);
		close(p[1]);
	}
}

/* A stop and continue, with no handler, restarts the call invisibly. */
void stopped_sleep(long arg)
{
	struct timespec req = { 1, 0 };

	(void)arg;
	_exit(nanosleep(&req, NULL) == 0 ? 0 : 1);
}

void test_interrupted_calls(void)
{
	static const int calls[] = { CALL_PIPE_READ, CALL_WAIT4, CALL_NANOSLEEP, CALL_PAUSE, CALL_SIGSUSPEND };

	pipe(gate);
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		expect_eintr(calls[i], 0);
	/* Linux never restarts these after a handler, SA_RESTART or not. */
	expect_eintr(CALL_NANOSLEEP, SA_RESTART);
	expect_eintr(CALL_PAUSE, SA_RESTART);
	expect_eintr(CALL_SIGSUSPEND, SA_RESTART);
	if (on_sysgate() && isatty(0))
		expect_eintr(CALL_CONSOLE_READ, 0);
	else
		t_skip("console read: EINTR", "needs sysgate's console as stdin");
	close(gate[0]);
	close(gate[1]);
	expect_restart("pipe read", restarted_read);
	expect_restart("wait4", restarted_wait4);

	pid_t pid = t_fork();
	if (pid == 0)
		stopped_sleep(0);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	int st = wait_opts(pid, WUNTRACED);
	check("nanosleep, stopped by SIGSTOP", st >= 0 && WIFSTOPPED(st), "%s", status_text(st));
	kill(pid, SIGCONT);
	check_exited("and continued: it finishes its sleep and returns 0", t_wait(pid, T_WAIT_TICKS), 0);
	check_exited("restart_syscall with nothing interrupted: EINTR", run_child(restart_with_nothing, 0), 0);
	test_stopped_polls();
}

/* ---- SIGPIPE ------------------------------------------------------------------------------------------- */

void write_to_closed_pipe(long how)
{
	int p[2];

	pipe(p);
	close(p[0]);
	if (how == 1)
		signal(SIGPIPE, SIG_IGN);
	if (how == 2)
		install_info(SIGPIPE, 0);
	long r = write(p[1], "x", 1);
	if (how == 1)
		_exit(r == -1 && errno == EPIPE ? 0 : 1);
	if (how == 2)
		_exit(r == -1 && errno == EPIPE && got == 1 && got_sig == SIGPIPE && got_code == SI_USER &&
			      got_pid == getpid() ? 0 : 1);
	_exit(3);
}

void test_sigpipe(void)
{
	check_signaled("write to a pipe without readers: SIGPIPE", run_child(write_to_closed_pipe, 0), SIGPIPE);
	check_exited("with SIGPIPE ignored: EPIPE", run_child(write_to_closed_pipe, 1), 0);
	check_exited("with a handler: it runs (SI_USER, our pid), then EPIPE", run_child(write_to_closed_pipe, 2), 0);
}
