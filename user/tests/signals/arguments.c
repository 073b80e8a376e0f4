/*
 * signals: rt_sigaction's arguments (badinput 19); masks, pending, suspend, timedwait arguments
 * (badinput 20); kill, tkill, tgkill arguments and probes (badinput 18); sigaltstack's arguments
 * (badinput 21) (course section: testing). One part of the signals test: main.c runs it.
 */
#include "signals.h"

/* ---- rt_sigaction's arguments (badinput 19) ---------------------------------------- */

long raw_sigaction(long sig, long act, long oact, long size)
{
	return raw_syscall(SYS_rt_sigaction, sig, act, oact, size, 0, 0);
}

void test_sigaction_args(void)
{
	struct kernel_sigaction act = { .handler = count_handler, .flags = SA_RESTORER,
					.restorer = (void *)1 }, old;

	check_raw_errno("SIGKILL with a handler: EINVAL", raw_sigaction(SIGKILL, (long)&act, 0, 8), EINVAL);
	check_raw_errno("SIGSTOP with a handler: EINVAL", raw_sigaction(SIGSTOP, (long)&act, 0, 8), EINVAL);
	act.handler = SIG_IGN;
	check_raw_errno("SIGKILL ignored: EINVAL", raw_sigaction(SIGKILL, (long)&act, 0, 8), EINVAL);
	check_raw_errno("SIGSTOP ignored: EINVAL", raw_sigaction(SIGSTOP, (long)&act, 0, 8), EINVAL);
	act.handler = SIG_DFL;
	check_raw_errno("SIGKILL even set to SIG_DFL: EINVAL", raw_sigaction(SIGKILL, (long)&act, 0, 8), EINVAL);
	memset(&old, 0x55, sizeof(old));
	check_eq("SIGKILL's action can be read", raw_sigaction(SIGKILL, 0, (long)&old, 8), 0);
	check("and it is SIG_DFL", old.handler == SIG_DFL, "handler %p", old.handler);

	check_raw_errno("signal 0: EINVAL", raw_sigaction(0, (long)&act, 0, 8), EINVAL);
	check_raw_errno("signal 65: EINVAL", raw_sigaction(65, (long)&act, 0, 8), EINVAL);
	check_raw_errno("signal -1: EINVAL", raw_sigaction(-1, (long)&act, 0, 8), EINVAL);
	check_raw_errno("signal 0, query only: EINVAL", raw_sigaction(0, 0, (long)&old, 8), EINVAL);
	check_eq("signal 64 (SIGRTMAX) is valid", raw_sigaction(64, 0, (long)&old, 8), 0);

	check_raw_errno("act = (void *)-1: EFAULT", raw_sigaction(SIGUSR1, BAD_PTR, 0, 8), EFAULT);
	check_raw_errno("oldact = (void *)-1: EFAULT", raw_sigaction(SIGUSR1, 0, BAD_PTR, 8), EFAULT);
	check_raw_errno("act in the kernel: EFAULT", raw_sigaction(SIGUSR1, KERNEL_PTR, 0, 8), EFAULT);
	check_raw_errno("oldact in the kernel: EFAULT", raw_sigaction(SIGUSR1, 0, KERNEL_PTR, 8), EFAULT);
	check_raw_errno("sigsetsize 4: EINVAL", raw_sigaction(SIGUSR1, (long)&act, 0, 4), EINVAL);
	check_raw_errno("sigsetsize 16: EINVAL", raw_sigaction(SIGUSR1, (long)&act, 0, 16), EINVAL);
	check_raw_errno("sigsetsize 0: EINVAL", raw_sigaction(SIGUSR1, 0, (long)&old, 0), EINVAL);
	check_raw_errno("sigsetsize is checked before the signal number",
			raw_sigaction(0, (long)&act, 0, 4), EINVAL);
	check_raw_errno("a bad act is found before a bad signal number (EFAULT)",
			raw_sigaction(0, BAD_PTR, 0, 8), EFAULT);

	errno = 0;
	check("libc signal(SIGKILL) is SIG_ERR", signal(SIGKILL, SIG_IGN) == SIG_ERR && errno == EINVAL,
	      "errno %s", errno_name(errno));
}

/* What sigaction stores is what it gives back, minus SIGKILL and SIGSTOP
 * in the mask (which can never be blocked). */
void group_sigaction_roundtrip(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_handler;
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaddset(&sa.sa_mask, SIGKILL);
	sigaddset(&sa.sa_mask, SIGSTOP);
	check_ok("install a handler", sigaction(SIGUSR1, &sa, NULL));
	memset(&old, 0, sizeof(old));
	check_ok("read it back", sigaction(SIGUSR1, NULL, &old));
	check("the same handler", old.sa_handler == count_handler, "got %p", (void *)old.sa_handler);
	check_eqx("the same flags, with SA_RESTORER", old.sa_flags, SA_RESTART | SA_NODEFER | SA_RESTORER);
	check_eqx("the mask without SIGKILL and SIGSTOP", old.sa_mask, one(SIGUSR2));
	check("signal() returns the previous handler", signal(SIGUSR1, SIG_IGN) == count_handler, "no");
	check("and then SIG_IGN", signal(SIGUSR1, SIG_DFL) == SIG_IGN, "no");

	/* Unknown flag bits are cleared, so a program can probe for one. */
	sa.sa_flags = 0x7fffffff;
	check_ok("install with every flag bit but the top one", sigaction(SIGUSR2, &sa, NULL));
	sigaction(SIGUSR2, NULL, &old);
	check_eqx("only the bits Linux knows are kept", old.sa_flags,
		  SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | 0x800 /* SA_EXPOSE_TAGBITS */ | SA_ONSTACK | SA_RESTART |
			  SA_NODEFER | SA_RESTORER);
	signal(SIGUSR2, SIG_DFL);
}

/* ---- masks, pending, suspend, timedwait arguments (badinput 20) ------------------- */

void test_mask_args(void)
{
	sigset_t s = one(SIGUSR1), o;
	struct timespec bad_ts = { 0, 1000000000L }, zero_ts = { 0, 0 };

	check_raw_errno("rt_sigprocmask sigsetsize 1: EINVAL",
			raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&s, 0, 1, 0, 0), EINVAL);
	check_raw_errno("rt_sigprocmask sigsetsize 16: EINVAL",
			raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&s, 0, 16, 0, 0), EINVAL);
	check_raw_errno("rt_sigprocmask set = (void *)-1: EFAULT",
			raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD_PTR, 0, 8, 0, 0), EFAULT);
	check_raw_errno("rt_sigprocmask oldset = (void *)-1: EFAULT",
			raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, BAD_PTR, 8, 0, 0), EFAULT);
	check_raw_errno("rt_sigprocmask how 99: EINVAL",
			raw_syscall(SYS_rt_sigprocmask, 99, (long)&s, 0, 8, 0, 0), EINVAL);
	check_eq("how is not looked at without a set",
		 raw_syscall(SYS_rt_sigprocmask, 99, 0, (long)&o, 8, 0, 0), 0);
	check_eqx("and nothing was blocked by the failed calls", t_blocked_now(), 0);

	check_raw_errno("rt_sigpending sigsetsize 16: EINVAL",
			raw_syscall(SYS_rt_sigpending, (long)&o, 16, 0, 0, 0, 0), EINVAL);
	check_raw_errno("rt_sigpending set = (void *)-1: EFAULT",
			raw_syscall(SYS_rt_sigpending, BAD_PTR, 8, 0, 0, 0, 0), EFAULT);
	check_raw_errno("rt_sigsuspend sigsetsize 4: EINVAL",
			raw_syscall(SYS_rt_sigsuspend, (long)&s, 4, 0, 0, 0, 0), EINVAL);
	check_raw_errno("rt_sigsuspend mask = (void *)-1: EFAULT",
			raw_syscall(SYS_rt_sigsuspend, BAD_PTR, 8, 0, 0, 0, 0), EFAULT);
	check_raw_errno("rt_sigtimedwait sigsetsize 4: EINVAL",
			raw_syscall(SYS_rt_sigtimedwait, (long)&s, 0, (long)&zero_ts, 4, 0, 0), EINVAL);
	check_raw_errno("rt_sigtimedwait set = (void *)-1: EFAULT",
			raw_syscall(SYS_rt_sigtimedwait, BAD_PTR, 0, (long)&zero_ts, 8, 0, 0), EFAULT);
	check_raw_errno("rt_sigtimedwait tv_nsec 1e9: EINVAL",
			raw_syscall(SYS_rt_sigtimedwait, (long)&s, 0, (long)&bad_ts, 8, 0, 0), EINVAL);
	check_raw_errno("rt_sigtimedwait, nothing pending, timeout 0: EAGAIN",
			raw_syscall(SYS_rt_sigtimedwait, (long)&s, 0, (long)&zero_ts, 8, 0, 0), EAGAIN);
}

/* SIGKILL and SIGSTOP cannot be blocked; the three hows do what they say. */
void group_mask_semantics(void)
{
	sigset_t all, s, old;

	sigfillset(&all);
	check_ok("block everything", sigprocmask(SIG_SETMASK, &all, &old));
	check_eqx("the old mask was empty", old, 0);
	s = t_blocked_now();
	check("SIGKILL and SIGSTOP are not in the mask", !sigismember(&s, SIGKILL) && !sigismember(&s, SIGSTOP),
	      "mask %#lx", s);
	check_eqx("every other signal is", s, ~0UL & ~(one(SIGKILL) | one(SIGSTOP)));
	s = one(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	check("SIG_UNBLOCK takes one out", !sigismember((sigset_t[]){ t_blocked_now() }, SIGUSR1), "no");
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
	check_eqx("SIG_SETMASK empty", t_blocked_now(), 0);
	s = one(SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	s = one(SIGTERM);
	sigprocmask(SIG_BLOCK, &s, NULL);
	check_eqx("SIG_BLOCK adds", t_blocked_now(), one(SIGUSR2) | one(SIGTERM));
}

/* ---- kill, tkill, tgkill arguments and probes (badinput 18) ------------------------ */

/* (Our own group may be 1 on sysgate, where we are init: kill(-1) is
 * something else.) */
void probe_own_group(long arg)
{
	(void)arg;
	setpgid(0, 0);
	_exit(kill(-getpgrp(), 0) == 0 ? 0 : 1);
}

void test_kill_args(void)
{
	pid_t gone = unused_pid(), me = getpid();

	check_errno("kill(getpid(), 2000): EINVAL", kill(me, 2000), EINVAL);
	check_errno("kill(getpid(), 65): EINVAL", kill(me, 65), EINVAL);
	check_errno("kill(getpid(), -1): EINVAL", kill(me, -1), EINVAL);
	check_errno("kill(unused pid, SIGKILL): ESRCH", kill(gone, SIGKILL), ESRCH);
	check_errno("kill(INT_MIN, SIGKILL): ESRCH", kill(INT_MIN, SIGKILL), ESRCH);
	check_errno("kill(-unused group, 0): ESRCH", kill(-gone, 0), ESRCH);
	check_errno("kill(unused pid, 2000): ESRCH (the target is looked up first)", kill(gone, 2000), ESRCH);
	check_errno("kill(-unused group, 2000): ESRCH", kill(-gone, 2000), ESRCH);
	check_eq("kill(getpid(), 0) probes: 0", kill(me, 0), 0);
	check_eq("kill(0, 0): our group exists", kill(0, 0), 0);
	check_exited("kill(-getpgrp(), 0) in a group of its own", run_child(probe_own_group, 0), 0);

	pid_t zombie = t_fork();
	int st;

	if (zombie == 0)
		_exit(0);
	/* A zombie still exists for kill until it is reaped. */
	check_eq("the child became a zombie", t_wait_for_state(zombie, 'Z'), 'Z');
	check_eq("kill(zombie, 0): 0, it exists until reaped", kill(zombie, 0), 0);
	check_eq("kill(zombie, SIGKILL): 0, and nothing happens", kill(zombie, SIGKILL), 0);
	waitpid(zombie, &st, 0);
	check_exited("the zombie still reports its exit", st, 0);
	check_errno("kill(reaped, 0): ESRCH", kill(zombie, 0), ESRCH);

	check_errno("tkill(0, 0): EINVAL", syscall(SYS_tkill, 0, 0), EINVAL);
	check_errno("tkill(-1, 0): EINVAL", syscall(SYS_tkill, -1, 0), EINVAL);
	check_errno("tkill(me, 65): EINVAL", syscall(SYS_tkill, me, 65), EINVAL);
	check_errno("tkill(unused, 0): ESRCH", syscall(SYS_tkill, gone, 0), ESRCH);
	check_eq("tkill(me, 0): 0", syscall(SYS_tkill, me, 0), 0);
	check_errno("tgkill(0, me, 0): EINVAL", syscall(SYS_tgkill, 0, me, 0), EINVAL);
	check_errno("tgkill(me, 0, 0): EINVAL", syscall(SYS_tgkill, me, 0, 0), EINVAL);
	check_errno("tgkill(me, me, 2000): EINVAL", syscall(SYS_tgkill, me, me, 2000), EINVAL);
	check_errno("tgkill(me, unused, 0): ESRCH", syscall(SYS_tgkill, me, gone, 0), ESRCH);
	check_errno("tgkill(me, unused, 2000): ESRCH", syscall(SYS_tgkill, me, gone, 2000), ESRCH);
	check_errno("tkill(unused, 2000): ESRCH", syscall(SYS_tkill, gone, 2000), ESRCH);
	check_errno("tgkill(unused, me, 0): ESRCH (not that process's thread)",
		    syscall(SYS_tgkill, gone, me, 0), ESRCH);
	check_eq("tgkill(me, me, 0): 0", syscall(SYS_tgkill, me, me, 0), 0);
}

/* ---- sigaltstack's arguments (badinput 21) ------------------------------------------ */

char alt_mem[4 * SIGSTKSZ] __attribute__((aligned(16)));

void group_sigaltstack_args(void)
{
	stack_t ss, old;

	memset(&old, 0x55, sizeof(old));
	check_ok("query", sigaltstack(NULL, &old));
	check("at first: SS_DISABLE, no stack", old.ss_flags == SS_DISABLE && old.ss_sp == NULL && old.ss_size == 0,
	      "flags %d sp %p size %zu", old.ss_flags, old.ss_sp, old.ss_size);

	ss = (stack_t){ alt_mem, 9999, sizeof(alt_mem) };
	check_errno("flags 9999: EINVAL", sigaltstack(&ss, NULL), EINVAL);
	ss = (stack_t){ alt_mem, 0, MINSIGSTKSZ - 1 };
	check_errno("size 2047: ENOMEM", sigaltstack(&ss, NULL), ENOMEM);
	ss = (stack_t){ alt_mem, 0, 0 };
	check_errno("size 0: ENOMEM", sigaltstack(&ss, NULL), ENOMEM);
	check_errno("ss = (void *)-1: EFAULT", syscall(SYS_sigaltstack, BAD_PTR, NULL), EFAULT);
	check_errno("old_ss = (void *)-1: EFAULT", syscall(SYS_sigaltstack, NULL, BAD_PTR), EFAULT);
	sigaltstack(NULL, &old);
	check_eq("the failed calls changed nothing", old.ss_flags, SS_DISABLE);

	ss = (stack_t){ alt_mem, 0, MINSIGSTKSZ };
	check_ok("size MINSIGSTKSZ (2048) is enough", sigaltstack(&ss, NULL));
	ss = (stack_t){ alt_mem, SS_ONSTACK, sizeof(alt_mem) };
	check_ok("flags SS_ONSTACK are accepted (as 0)", sigaltstack(&ss, &old));
	check("old: the 2048-byte stack", old.ss_sp == alt_mem && old.ss_size == MINSIGSTKSZ && old.ss_flags == 0,
	      "flags %d sp %p size %zu", old.ss_flags, old.ss_sp, old.ss_size);
	sigaltstack(NULL, &old);
	check("now: the whole buffer, flags 0", old.ss_sp == alt_mem && old.ss_size == sizeof(alt_mem) &&
	      old.ss_flags == 0, "flags %d sp %p size %zu", old.ss_flags, old.ss_sp, old.ss_size);
	ss = (stack_t){ alt_mem, SS_AUTODISARM, sizeof(alt_mem) };
	check_ok("SS_AUTODISARM", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	check_eqx("is reported back", (unsigned)old.ss_flags, SS_AUTODISARM);
	ss = (stack_t){ NULL, SS_DISABLE, 0 };
	check_ok("SS_DISABLE", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	check_eq("is reported back", old.ss_flags, SS_DISABLE);
}
