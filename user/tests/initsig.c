/*
 * initsig: no process can kill init (course section: signals; robustness).
 *
 * Linux never delivers to init a signal init has not asked for: one whose
 * action is SIG_DFL is dropped, SIGKILL and SIGSTOP included, and kill()
 * still returns 0. A signal init handles is delivered as to anyone.
 *
 * The cases must run as pid 1. On sysgate this binary is init (run-elf
 * boots it as the first process). On Linux, a child in a new PID namespace
 * is that namespace's init, and Linux applies the same rule to signals sent
 * from inside it; without the privilege for unshare the cases are skipped.
 * (test.sh: own boot -- so tools/test.sh boots it as init, not in a batch.)
 */
#include <string.h>

#include "testlib.h"

/* sysgate has no namespaces (and its libc no wrapper): the raw call, on Linux only. */
#ifndef SYS_unshare
#define SYS_unshare 272
#endif
#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif

static int child_kills_init(int sig)
{
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(kill(1, sig) == 0 ? 0 : 10 + errno);
	return t_wait(pid, T_WAIT_TICKS);
}

static void default_signals_dropped(void)
{
	static const int sigs[] = { SIGTERM, SIGKILL, SIGSTOP, SIGINT, SIGHUP, SIGUSR1, SIGSEGV, SIGALRM };
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int st = child_kills_init(sigs[i]);
		check_exited(cname("a child's kill(1, %s) returns 0", signal_name(sigs[i])), st, 0);
		t_nap(20); /* time for a wrongly delivered signal to act */
		check("init is still here, running", t_proc_state(getpid()) != 'T' && getpid() == 1, "state %c",
		      t_proc_state(getpid()));
	}
	check_ok("init's own kill(1, SIGTERM)", kill(1, SIGTERM));
	check_errno("kill(-1, SIGKILL) from init, alone: ESRCH, init spared", kill(-1, SIGKILL), ESRCH);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(kill(-1, SIGKILL) == 0 || errno == ESRCH ? 0 : 1);
	check_exited("a child's kill(-1, SIGKILL) spares init and the child", t_wait(pid, T_WAIT_TICKS), 0);
}

static void blocked_then_unblocked(void)
{
	sigset_t term, pending;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	check_exited("a child's SIGTERM while init blocks it", child_kills_init(SIGTERM), 0);
	sigpending(&pending);
	check("it waits, pending", sigismember(&pending, SIGTERM), "not pending");
	sigprocmask(SIG_UNBLOCK, &term, NULL);
	sigpending(&pending);
	check("unblocked: dropped, init lives", !sigismember(&pending, SIGTERM) && getpid() == 1, "still pending");
}

static void handled_signal_delivered(void)
{
	t_count_signal(SIGUSR1);
	check_exited("a child's SIGUSR1, which init handles", child_kills_init(SIGUSR1), 0);
	for (int i = 0; i < 100 && t_signal_count == 0; i++)
		t_nap(10);
	check_eq("init's handler ran", t_signal_count, 1);
	signal(SIGUSR1, SIG_DFL);
}

static void as_init(void)
{
	default_signals_dropped();
	blocked_then_unblocked();
	handled_signal_delivered();
}

int main(void)
{
	t_begin("initsig");
	if (getpid() == 1) {
		as_init();
		return t_end();
	}
	if (on_sysgate() || syscall(SYS_unshare, CLONE_NEWPID) != 0) {
		t_skip("signals to init", "not pid 1, and no new PID namespace (%s)", errno_name(errno));
		return t_end();
	}
	pid_t pid = t_fork(); /* pid 1 of the new namespace */
	if (pid == 0) {
		as_init();
		_exit(t_end());
	}
	int st = t_wait(pid, T_WAIT_TICKS);
	check_exited("the namespace's init ran every case and passed", st, 0);
	return t_end();
}
