/*
 * signals: the signal syscalls, handlers and the signal frame (course
 * section: signals; bad-input catalogue "Signals" 18-23).
 *
 * What one process can see of its own signals:
 *   - the arguments every signal syscall refuses (EINVAL, EFAULT, ESRCH,
 *     ENOMEM), with Linux's order of checks;
 *   - how a handler runs: which signals are blocked meanwhile, SA_RESETHAND,
 *     SA_NODEFER, nested handlers, a signal that waits for its own handler
 *     to return, the siginfo it gets, the mask sigreturn puts back;
 *   - the frame: a handler reads and changes the interrupted registers
 *     (uc_mcontext), the alternate stack, and a forged frame that must not
 *     give the program kernel privilege (it dies of SIGSEGV instead);
 *   - CPU exceptions as signals, with their si_code and si_addr, and
 *     recovery with siglongjmp; default actions.
 * signals2.c covers signals between processes (fork, exec, stop and
 * continue, SIGCHLD, SIGPIPE, interrupted calls, 10,000 signals).
 *
 * Anything that changes this process's handlers, mask or alternate stack
 * runs in t_group or run_child, so each case starts from the defaults.
 *
 * Its parts, one concept a file: arguments.c, handlers.c, frames.c, exceptions.c; main.c keeps the
 * shared helpers and runs them all.
 */
#include "signals.h"

/* ---- small helpers ------------------------------------------------------------ */

volatile sig_atomic_t hits, last_sig, depth, max_depth;
volatile sigset_t mask_in_handler;
char trail[64];			/* what the handlers did, in order */
volatile int trail_len;

void note(char c)
{
	if (trail_len < (int)sizeof(trail) - 1)
		trail[trail_len++] = c;
	trail[trail_len] = '\0';
}

void reset_notes(void)
{
	hits = last_sig = depth = max_depth = 0;
	trail_len = 0;
	trail[0] = '\0';
}

sigset_t one(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

int install(int sig, void (*fn)(int), unsigned long flags, sigset_t mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sa.sa_mask = mask;
	return sigaction(sig, &sa, NULL);
}

int install_info(int sig, void (*fn)(int, siginfo_t *, void *), unsigned long flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	return sigaction(sig, &sa, NULL);
}

void block(int sig)
{
	sigset_t s = one(sig);

	sigprocmask(SIG_BLOCK, &s, NULL);
}

void unblock(int sig)
{
	sigset_t s = one(sig);

	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

void note_handler(int sig)
{
	note(sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : '?');
}

void count_handler(int sig)
{
	hits++;
	last_sig = sig;
	mask_in_handler = t_blocked_now();
}

/* A pid that no process has: a child's, once the child is reaped. */
pid_t unused_pid(void)
{
	pid_t pid = t_fork();
	int st;

	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	return pid;
}

int main(void)
{
	struct leak_mark mark;

	t_begin("signals");
	test_sigaction_args();
	t_group("sigaction round trip", group_sigaction_roundtrip);
	test_mask_args();
	t_group("mask semantics", group_mask_semantics);
	test_kill_args();
	t_group("sigaltstack arguments", group_sigaltstack_args);
	t_group("handler basics", group_handler_basics);
	t_group("blocked then released", group_blocked_then_released);
	t_group("SA_RESETHAND", group_resethand);
	t_group("SA_NODEFER", group_nodefer);
	t_group("nested handlers", group_nested);
	t_group("sigreturn mask", group_sigreturn_mask);
	t_group("ignore", group_ignore);
	test_interrupt_delivery();
	t_group("frame registers", group_frame_registers);
	t_group("alternate stack", group_altstack_use);
	t_group("SS_AUTODISARM", group_autodisarm);
	test_altstack_overflow();
	/* The heavy part, between two counts of the kernel's free memory: many
	 * children with forged frames, faults and deaths. (Our own process has
	 * made its page tables by now; those are kept, as on Linux.) */
	int leaks = leak_mark(&mark);
	test_forged_frames();
	t_group("exceptions", group_exceptions);
	test_fault_rules();
	check_exited("stack overflow: SIGSEGV handled on the alternate stack, then siglongjmp",
		     run_child(overflow_recovered, 0), 0);
	t_group("FPU registers in the frame", group_fpu);
	test_default_actions();
	if (leaks)
		leak_check("no frames or heap lost to frames, forgeries, faults and default actions", &mark);
	else
		t_skip("leaks", "sysgate only");
	test_libc();
	return t_end();
}
