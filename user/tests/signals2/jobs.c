/*
 * signals2: SIGCHLD; stop and continue; /bin/kill (sysgate only: the host's kill is another
 * program); the terminal's foreground group (sysgate only) (course section: signals). One part of
 * the signals2 test: main.c runs it.
 */
#include "signals2.h"

/* ---- SIGCHLD ---------------------------------------------------------------------------------------------- */

void sleep_forever(void)
{
	for (;;)
		pause();
}

int next_sigchld(siginfo_t *info)
{
	sigset_t s = one(SIGCHLD);
	struct timespec limit = { 15, 0 };

	memset(info, 0, sizeof(*info));
	return sigtimedwait(&s, info, &limit);
}

void group_sigchld(void)
{
	siginfo_t info;

	block(SIGCHLD);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(3);
	check_eq("a child's exit: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_EXITED", info.si_code, CLD_EXITED);
	check_eq("si_pid", info.si_pid, pid);
	check_eq("si_status: the exit code", info.si_status, 3);
	waitpid(pid, NULL, 0);

	pid = t_fork();
	if (pid == 0)
		sleep_forever();
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	check_eq("a child stopped: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_STOPPED", info.si_code, CLD_STOPPED);
	check_eq("si_status: the stop signal", info.si_status, SIGSTOP);
	kill(pid, SIGCONT);
	check_eq("continued: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_CONTINUED", info.si_code, CLD_CONTINUED);
	check_eq("si_status SIGCONT", info.si_status, SIGCONT);
	kill(pid, SIGKILL);
	check_eq("killed: SIGCHLD", next_sigchld(&info), SIGCHLD);
	check_eq("CLD_KILLED", info.si_code, CLD_KILLED);
	check_eq("si_status: the signal", info.si_status, SIGKILL);
	waitpid(pid, NULL, 0);

	pid = t_fork();
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		raise(SIGABRT);
		_exit(0);
	}
	check_eq("dumped core: SIGCHLD", next_sigchld(&info), SIGCHLD);
	/* Linux says CLD_DUMPED only if a core file was written; the tests
	 * forbid those. */
	check_eq("its si_code", info.si_code, on_sysgate() ? CLD_DUMPED : CLD_KILLED);
	check_eq("si_status SIGABRT", info.si_status, SIGABRT);
	waitpid(pid, NULL, 0);

	/* SA_NOCLDSTOP: no SIGCHLD for stops and continues. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = counting_handler;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	pid = t_fork();
	if (pid == 0)
		sleep_forever();
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	int st = wait_opts(pid, WUNTRACED);
	check("SA_NOCLDSTOP: the child stopped", st >= 0 && WIFSTOPPED(st), "%s", status_text(st));
	check_eqx("but no SIGCHLD is pending", t_pending_now(), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	check_eqx("its death does send one", t_pending_now(), one(SIGCHLD));

	/* A handler: runs when the child exits. */
	got = 0;
	install(SIGCHLD, counting_handler, 0);
	pid = t_fork();
	if (pid == 0)
		_exit(0);
	sigset_t none = 0;
	while (got == 0)
		sigsuspend(&none);
	check_eq("a SIGCHLD handler ran", got_sig, SIGCHLD);
	waitpid(pid, NULL, 0);
}

/* SIGCHLD ignored: children are reaped at once; wait4 waits for them all,
 * then says ECHILD. */
void group_sigchld_ignored(void)
{
	signal(SIGCHLD, SIG_IGN);
	pid_t pid = t_fork();
	if (pid == 0) {
		t_nap(100);
		_exit(0);
	}
	check_errno("SIGCHLD ignored: wait4 finds no zombie, ECHILD", waitpid(pid, NULL, 0), ECHILD);
	check_errno("and its pid is gone at once: kill(pid, 0) gives ESRCH", kill(pid, 0), ESRCH);
}

/* ---- stop and continue -------------------------------------------------------------------------------------- */

void group_stop_continue(void)
{
	int st, note[2];

	pid_t pid = t_fork();
	if (pid == 0)
		sleep_forever();
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	st = wait_opts(pid, WUNTRACED);
	check("SIGSTOP: wait4(WUNTRACED) sees it stopped", st >= 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "%s", status_text(st));
	check_eq("/proc says T", t_proc_state(pid), 'T');
	check_eq("it is reported once", syscall(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, NULL), 0);
	kill(pid, SIGCONT);
	st = wait_opts(pid, WCONTINUED);
	check("SIGCONT: wait4(WCONTINUED) sees it continued", st >= 0 && WIFCONTINUED(st), "%s", status_text(st));
	check_eq("running (or sleeping) again", t_wait_for_state(pid, 'S'), 'S');
	kill(pid, SIGTSTP);
	st = wait_opts(pid, WUNTRACED);
	check("SIGTSTP stops it too", st >= 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "%s", status_text(st));
	check_eq("wait4 without WUNTRACED does not report a stop",
		 syscall(SYS_wait4, pid, &st, WNOHANG, NULL), 0);
	kill(pid, SIGKILL);
	st = wait_opts(pid, WUNTRACED | WCONTINUED);
	check_signaled("SIGKILL ends a stopped process (no 'continued' first)", st, SIGKILL);

	/* A signal sent while stopped waits for SIGCONT; so does its handler. */
	pipe(note);
	pid = t_fork();
	if (pid == 0) {
		notify_fd = note[1];
		install(SIGUSR1, counting_handler, 0);
		install(SIGCONT, counting_handler, 0);
		write(note[1], "r", 1);
		sleep_forever();
	}
	read_byte(note[0]);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGSTOP);
	wait_opts(pid, WUNTRACED);
	kill(pid, SIGUSR1);
	t_nap(100); /* long enough for a wrong delivery to show */
	check("while stopped, the handler does not run", !byte_ready(note[0]), "it did");
	kill(pid, SIGCONT);
	check_eq("after SIGCONT: the SIGUSR1 handler runs...", read_byte(note[0]), 'h');
	check_eq("...and the SIGCONT handler", read_byte(note[0]), 'h');
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	/* Caught or blocked SIGTSTP does not stop; SIGSTOP cannot be blocked. */
	pid = t_fork();
	if (pid == 0) {
		sigset_t all;
		notify_fd = note[1];
		install(SIGTSTP, counting_handler, 0);
		install(SIGTTIN, counting_handler, 0);
		write(note[1], "r", 1);
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		sleep_forever();
	}
	read_byte(note[0]);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGTSTP);
	kill(pid, SIGTTIN);
	t_nap(100);
	check_eq("blocked SIGTSTP, SIGTTIN: not stopped", syscall(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, NULL), 0);
	kill(pid, SIGSTOP);
	st = wait_opts(pid, WUNTRACED);
	check("everything blocked: SIGSTOP still stops", st >= 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "%s",
	      status_text(st));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	pid = t_fork();
	if (pid == 0) {
		notify_fd = note[1];
		install(SIGTSTP, counting_handler, 0);
		write(note[1], "r", 1);
		sleep_forever();
	}
	read_byte(note[0]);
	t_wait_for_state(pid, 'S');
	kill(pid, SIGTSTP);
	check_eq("a caught SIGTSTP runs its handler", read_byte(note[0]), 'h');
	check_eq("and does not stop", syscall(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, NULL), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(note[0]);
	close(note[1]);
}

/* ---- /bin/kill (sysgate only: the host's kill is another program) -------------------------------------- */

/* Runs argv with stdout and stderr on /dev/null; returns the wait status. */
int run_quietly(char *const argv[])
{
	pid_t pid = t_fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return t_wait(pid, T_WAIT_TICKS);
}

void kill_command_reaches(const char *what, char *sig_arg, char *sig_arg2)
{
	int ready[2], out[2];
	char pid_text[16];

	pipe(ready);
	pipe(out);
	block(SIGUSR1);
	pid_t target = t_fork();
	if (target == 0)
		await_usr1(ready[1], out[1]);
	read_byte(ready[0]);
	snprintf(pid_text, sizeof(pid_text), "%d", target);
	char *argv[] = { "/bin/kill", sig_arg, sig_arg2 ? sig_arg2 : pid_text, sig_arg2 ? pid_text : NULL, NULL };
	check_exited(cname("%s: exit 0", what), run_quietly(argv), 0);
	check_eq(cname("%s: the process got SIGUSR1", what), read_byte(out[0]), 'g');
	t_wait(target, T_WAIT_TICKS);
	sigset_t s = one(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
}

void test_kill_command(void)
{
	if (!on_sysgate()) {
		t_skip("/bin/kill", "sysgate only");
		return;
	}
	kill_command_reaches("kill -SIGUSR1 PID", "-SIGUSR1", NULL);
	kill_command_reaches("kill -USR1 PID", "-USR1", NULL);
	kill_command_reaches("kill -10 PID", "-10", NULL);
	kill_command_reaches("kill -s USR1 PID", "-s", "USR1");
	check_exited("kill -SIGNOPE 1: exit 1", run_quietly((char *[]){ "/bin/kill", "-SIGNOPE", "1", NULL }), 1);
	char gone[16];
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(0);
	t_wait(pid, T_WAIT_TICKS);
	snprintf(gone, sizeof(gone), "%d", pid);
	check_exited("kill of a pid that is gone: exit 1", run_quietly((char *[]){ "/bin/kill", gone, NULL }), 1);
	check_exited("kill -l: exit 0", run_quietly((char *[]){ "/bin/kill", "-l", NULL }), 0);
}

/* ---- the terminal's foreground group (sysgate only) --------------------------------------------------------- */

void test_foreground_group(void)
{
	if (!on_sysgate() || !isatty(0)) {
		t_skip("terminal foreground group", "needs sysgate's console as stdin");
		return;
	}
	pid_t fg = tcgetpgrp(0);
	check("tcgetpgrp (TIOCGPGRP) answers", fg > 0, "got %d", fg);
	check_ok("tcsetpgrp (TIOCSPGRP) to our group", tcsetpgrp(0, getpgrp()));
	check_eq("and reads back", tcgetpgrp(0), getpgrp());
	check_errno("TIOCSPGRP -1: EINVAL", tcsetpgrp(0, -1), EINVAL);
	check_errno("TIOCSPGRP to a group that does not exist: ESRCH", tcsetpgrp(0, 30000), ESRCH);
	check_eq("the foreground group is unchanged", tcgetpgrp(0), getpgrp());
	check_errno("TIOCGPGRP to (void *)-1: EFAULT", ioctl(0, TIOCGPGRP, (void *)-1), EFAULT);
	check_errno("TIOCSPGRP from (void *)-1: EFAULT", ioctl(0, TIOCSPGRP, (void *)-1), EFAULT);
	tcsetpgrp(0, fg);
}
