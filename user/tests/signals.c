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
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "testlib.h"

#define BAD_PTR ((long)-1)			/* (void *)-1: never mapped */
#define KERNEL_PTR 0xffffffff80000000L		/* mapped, but not ours */
#define SIGSET_SIZE 8				/* the kernel's sigset_t: 64 bits */
#define PAGE 4096UL

/* ---- small helpers ------------------------------------------------------------ */

static volatile sig_atomic_t hits, last_sig, depth, max_depth;
static volatile sigset_t mask_in_handler;
static char trail[64];			/* what the handlers did, in order */
static volatile int trail_len;

static void note(char c)
{
	if (trail_len < (int)sizeof(trail) - 1)
		trail[trail_len++] = c;
	trail[trail_len] = '\0';
}

static void reset_notes(void)
{
	hits = last_sig = depth = max_depth = 0;
	trail_len = 0;
	trail[0] = '\0';
}

static sigset_t one(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

static int install(int sig, void (*fn)(int), unsigned long flags, sigset_t mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sa.sa_mask = mask;
	return sigaction(sig, &sa, NULL);
}

static int install_info(int sig, void (*fn)(int, siginfo_t *, void *), unsigned long flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	return sigaction(sig, &sa, NULL);
}

static void block(int sig)
{
	sigset_t s = one(sig);

	sigprocmask(SIG_BLOCK, &s, NULL);
}

static void unblock(int sig)
{
	sigset_t s = one(sig);

	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void note_handler(int sig)
{
	note(sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : '?');
}

static void count_handler(int sig)
{
	hits++;
	last_sig = sig;
	mask_in_handler = t_blocked_now();
}

/* A pid that no process has: a child's, once the child is reaped. */
static pid_t unused_pid(void)
{
	pid_t pid = t_fork();
	int st;

	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	return pid;
}

/* ---- rt_sigaction's arguments (badinput 19) ---------------------------------------- */

static long raw_sigaction(long sig, long act, long oact, long size)
{
	return raw_syscall(SYS_rt_sigaction, sig, act, oact, size, 0, 0);
}

static void test_sigaction_args(void)
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
static void group_sigaction_roundtrip(void)
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

static void test_mask_args(void)
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
static void group_mask_semantics(void)
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
static void probe_own_group(long arg)
{
	(void)arg;
	setpgid(0, 0);
	_exit(kill(-getpgrp(), 0) == 0 ? 0 : 1);
}

static void test_kill_args(void)
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

static char alt_mem[4 * SIGSTKSZ] __attribute__((aligned(16)));

static void group_sigaltstack_args(void)
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

/* ---- handlers: when they run and what is blocked ------------------------------------ */

static volatile int info_code, info_pid, info_signo;

static void info_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	hits++;
	last_sig = sig;
	info_signo = info->si_signo;
	info_code = info->si_code;
	info_pid = info->si_pid;
	mask_in_handler = uc->uc_sigmask; /* the mask to restore, not the current one */
}

static void group_handler_basics(void)
{
	reset_notes();
	install(SIGUSR1, count_handler, 0, one(SIGUSR2));
	raise(SIGUSR1);
	check_eq("raise: the handler has run when raise returns", hits, 1);
	check_eq("it got the signal number", last_sig, SIGUSR1);
	check_eqx("meanwhile the signal and sa_mask were blocked", mask_in_handler, one(SIGUSR1) | one(SIGUSR2));
	check_eqx("afterwards the mask is back", t_blocked_now(), 0);

	reset_notes();
	install_info(SIGUSR2, info_handler, 0);
	block(SIGTERM);
	raise(SIGUSR2);
	check_eq("SA_SIGINFO: si_signo", info_signo, SIGUSR2);
	check_eq("raise is tgkill: si_code SI_TKILL", info_code, SI_TKILL);
	check_eq("si_pid is the sender", info_pid, getpid());
	check_eqx("uc_sigmask is the mask from before the handler", mask_in_handler, one(SIGTERM));
	kill(getpid(), SIGUSR2);
	check_eq("kill: si_code SI_USER", info_code, SI_USER);
	check_eq("the handler ran twice in all", hits, 2);
}

static void group_blocked_then_released(void)
{
	reset_notes();
	install(SIGUSR1, count_handler, 0, 0);
	block(SIGUSR1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	check_eq("blocked: the handler did not run", hits, 0);
	check_eqx("sigpending shows it", t_pending_now(), one(SIGUSR1));
	unblock(SIGUSR1);
	check_eq("unblocked: it runs before sigprocmask returns, once (not queued)", hits, 1);
	check_eqx("and it is no longer pending", t_pending_now(), 0);

	/* Two pending at once: the lower number is taken first, and each gets
	 * a frame before the program runs again. SIGUSR1's frame is built
	 * first, so SIGUSR2's, on top of it, runs first -- unless SIGUSR1's
	 * sa_mask holds SIGUSR2 back until SIGUSR1's handler returns. */
	reset_notes();
	install(SIGUSR1, note_handler, 0, 0);
	install(SIGUSR2, note_handler, 0, 0);
	block(SIGUSR1);
	block(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR1);
	sigset_t none = 0;
	sigprocmask(SIG_SETMASK, &none, NULL);
	check("two pending: SIGUSR2's handler runs on top of SIGUSR1's", strcmp(trail, "21") == 0, "trail %s", trail);
	reset_notes();
	install(SIGUSR1, note_handler, 0, one(SIGUSR2));
	block(SIGUSR1);
	block(SIGUSR2);
	raise(SIGUSR2);
	raise(SIGUSR1);
	sigprocmask(SIG_SETMASK, &none, NULL);
	check("with SIGUSR2 in SIGUSR1's sa_mask: SIGUSR1 first", strcmp(trail, "12") == 0, "trail %s", trail);

	/* A blocked signal that becomes ignored is discarded. */
	block(SIGUSR1);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	check_eqx("pending, then SIG_IGN: discarded", t_pending_now(), 0);
	raise(SIGUSR1);
	check_eqx("but a blocked signal that is ignored still waits, pending", t_pending_now(), one(SIGUSR1));
}

/* SA_RESETHAND: one handler call, then the default action. */
static void resethand_handler(int sig)
{
	struct sigaction now;

	hits++;
	sigaction(sig, NULL, &now);
	mask_in_handler = t_blocked_now();
	last_sig = now.sa_handler == SIG_DFL;
}

static void group_resethand(void)
{
	struct sigaction now;

	reset_notes();
	install(SIGUSR1, resethand_handler, SA_RESETHAND, 0);
	raise(SIGUSR1);
	check_eq("SA_RESETHAND: the handler ran", hits, 1);
	check_eq("the action was already SIG_DFL inside it", last_sig, 1);
	check("the signal was still blocked inside it (no SA_NODEFER)", sigismember((sigset_t *)&mask_in_handler, SIGUSR1) == 1,
	      "mask %#lx", mask_in_handler);
	sigaction(SIGUSR1, NULL, &now);
	check("afterwards SIG_DFL", now.sa_handler == SIG_DFL, "got %p", (void *)now.sa_handler);
	check("the other flags stay", (now.sa_flags & SA_RESETHAND) != 0, "flags %#lx", now.sa_flags);
}

static void raise_twice(long sig)
{
	install(SIGUSR1, resethand_handler, SA_RESETHAND, 0);
	raise((int)sig);
	raise((int)sig);
	_exit(3);
}

/* SA_NODEFER: the handler can be entered again while it runs. */
static void nesting_handler(int sig)
{
	hits++;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	note('0' + (char)depth);
	if (hits < 3)
		raise(sig);
	note('e');
	depth--;
}

static void group_nodefer(void)
{
	reset_notes();
	install(SIGUSR1, nesting_handler, SA_NODEFER, 0);
	raise(SIGUSR1);
	check_eq("SA_NODEFER: the handler nested 3 deep", max_depth, 3);
	check("in the order 1 2 3, then the returns", strcmp(trail, "123eee") == 0, "trail %s", trail);

	/* Without SA_NODEFER the raise inside waits until the handler returns,
	 * and is delivered then, before the outer raise returns. */
	reset_notes();
	install(SIGUSR1, nesting_handler, 0, 0);
	raise(SIGUSR1);
	check_eq("without SA_NODEFER: never nested", max_depth, 1);
	check("but run again right after it returned", strcmp(trail, "1e1e1e") == 0, "trail %s", trail);
	check_eqx("nothing left pending", t_pending_now(), 0);
}

/* Nested handlers for different signals, and sa_mask deferring one. */
static void outer_handler(int sig)
{
	(void)sig;
	note('A');
	raise(SIGUSR2);
	note('a');
}

static void inner_handler(int sig)
{
	(void)sig;
	note('B');
}

static void group_nested(void)
{
	reset_notes();
	install(SIGUSR1, outer_handler, 0, 0);
	install(SIGUSR2, inner_handler, 0, 0);
	raise(SIGUSR1);
	check("another signal's handler nests inside", strcmp(trail, "ABa") == 0, "trail %s", trail);

	reset_notes();
	install(SIGUSR1, outer_handler, 0, one(SIGUSR2));
	raise(SIGUSR1);
	check("with it in sa_mask it waits for the return", strcmp(trail, "AaB") == 0, "trail %s", trail);
}

/* The handler changes uc_sigmask: rt_sigreturn installs that mask. */
static void mask_changing_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	sigaddset(&uc->uc_sigmask, SIGTERM);
}

static void group_sigreturn_mask(void)
{
	install_info(SIGUSR1, mask_changing_handler, 0);
	raise(SIGUSR1);
	check_eqx("a handler that adds SIGTERM to uc_sigmask: blocked after it", t_blocked_now(), one(SIGTERM));
}

/* Ignoring: explicit SIG_IGN, and the signals whose default is to ignore. */
static void group_ignore(void)
{
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	t_pass("SIG_IGN: raise(SIGUSR1) did nothing");
	raise(SIGCHLD);
	raise(SIGURG);
	raise(SIGWINCH);
	raise(SIGCONT);
	t_pass("default ignore: SIGCHLD, SIGURG, SIGWINCH, SIGCONT");
	check_eqx("nothing pending", t_pending_now(), 0);
}

/* sa_restorer is required on x86_64: without one Linux does not run the
 * handler at all and kills the program with SIGSEGV. */
static void exit_7(int sig)
{
	(void)sig;
	_exit(7);
}

static void no_restorer(long arg)
{
	struct kernel_sigaction act = { .handler = exit_7, .flags = (unsigned long)arg };

	raw_sigaction(SIGUSR1, (long)&act, 0, 8);
	raise(SIGUSR1);
	_exit(4);
}

/* A signal that arrives while the program computes, without a syscall:
 * it is delivered on the return from the timer interrupt. */
static volatile sig_atomic_t stop_spinning;

static void stop_spin(int sig)
{
	(void)sig;
	stop_spinning = 1;
}

static void spin_until_signal(long parent)
{
	unsigned long x = 1;

	install(SIGUSR1, stop_spin, 0, 0);
	syscall(SYS_kill, parent, SIGUSR2); /* "ready" */
	while (!stop_spinning)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	_exit(x == 0 ? 9 : 0);
}

static void got_ready(int sig)
{
	(void)sig;
	hits++;
}

static void test_interrupt_delivery(void)
{
	sigset_t none = 0, usr2 = one(SIGUSR2);

	reset_notes();
	install(SIGUSR2, got_ready, 0, 0);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	pid_t pid = t_fork();
	if (pid == 0)
		spin_until_signal(getppid());
	while (!hits)
		sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
	signal(SIGUSR2, SIG_DFL);
	t_nap(20); /* "long enough" for it to be spinning; either way works */
	kill(pid, SIGUSR1);
	check_exited("a busy loop without syscalls gets its signal (from an interrupt)", t_wait(pid, T_WAIT_TICKS), 0);
}

/* ---- the frame: registers a handler reads and changes -------------------------------- */

static void *volatile resume_at, *volatile fault_at;
static volatile long seen_r12, seen_rip, seen_trapno, seen_err, seen_cr2, seen_addr, seen_code;
static volatile unsigned long seen_csgsfs;

static void regs_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	seen_r12 = g[REG_R12];
	seen_rip = g[REG_RIP];
	seen_trapno = g[REG_TRAPNO];
	seen_err = g[REG_ERR];
	seen_cr2 = g[REG_CR2];
	seen_csgsfs = (unsigned long)g[REG_CSGSFS];
	seen_addr = (long)info->si_addr;
	seen_code = info->si_code;
	g[REG_R12] = 0x5678;		/* the program will see this value... */
	g[REG_RIP] = (greg_t)resume_at;	/* ...there */
}

/* Loads r12 with 0x1234, reads address 0 (a fault), and would then set r12
 * to 0x9999; the handler instead resumes at label 2 with r12 = 0x5678. */
static long fault_then_resume(void)
{
	long r12_after;

	__asm__ volatile("lea 2f(%%rip), %%rax\n\t"
			 "mov %%rax, %[resume]\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %[fault]\n\t"
			 "mov $0x1234, %%r12\n\t"
			 "xor %%eax, %%eax\n"
			 "1:\tmov (%%rax), %%rax\n\t"
			 "mov $0x9999, %%r12\n"
			 "2:\tmov %%r12, %[out]\n\t"
			 : [out] "=r"(r12_after), [resume] "=m"(resume_at), [fault] "=m"(fault_at)
			 :
			 : "rax", "r12", "memory");
	return r12_after;
}

static void group_frame_registers(void)
{
	install_info(SIGSEGV, regs_handler, 0);
	long r12 = fault_then_resume();
	check_eqx("the handler saw r12 as the program left it", seen_r12, 0x1234);
	check_eqx("REG_RIP is the faulting instruction", seen_rip, (unsigned long)fault_at);
	check_eq("REG_TRAPNO 14 (page fault)", seen_trapno, 14);
	check_eqx("REG_ERR 4: a user-mode read of a missing page", seen_err, 4);
	check_eqx("REG_CR2: the address", seen_cr2, 0);
	check_eqx("REG_CSGSFS: cs 0x33 in the low 16 bits", seen_csgsfs & 0xffff, 0x33);
	check_eqx("si_addr 0", seen_addr, 0);
	check_eq("si_code SEGV_MAPERR", seen_code, SEGV_MAPERR);
	check_eqx("changing REG_RIP resumed elsewhere, with the new r12", r12, 0x5678);
}

/* ---- the alternate stack ------------------------------------------------------------- */

static volatile unsigned long handler_sp;
static volatile int alt_flags_inside, alt_change_errno, uc_stack_flags;

static void altstack_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	volatile char here;
	stack_t now, again = { alt_mem, 0, sizeof(alt_mem) };

	(void)sig;
	(void)info;
	handler_sp = (unsigned long)&here;
	sigaltstack(NULL, &now);
	alt_flags_inside = now.ss_flags;
	alt_change_errno = sigaltstack(&again, NULL) < 0 ? errno : 0;
	uc_stack_flags = uc->uc_stack.ss_flags;
}

static void group_altstack_use(void)
{
	stack_t ss = { alt_mem, 0, sizeof(alt_mem) };
	unsigned long lo = (unsigned long)alt_mem, hi = lo + sizeof(alt_mem);
	volatile char main_local;

	install_info(SIGUSR1, altstack_handler, SA_ONSTACK);
	raise(SIGUSR1);
	check("SA_ONSTACK, no alternate stack set: the normal stack", handler_sp < (unsigned long)&main_local &&
	      handler_sp > (unsigned long)&main_local - 65536, "sp %#lx", handler_sp);

	check_ok("sigaltstack", sigaltstack(&ss, NULL));
	raise(SIGUSR1);
	check("the handler's stack pointer is inside the alternate stack", handler_sp >= lo && handler_sp < hi,
	      "sp %#lx, stack %#lx-%#lx", handler_sp, lo, hi);
	check_eq("sigaltstack inside says SS_ONSTACK", alt_flags_inside, SS_ONSTACK);
	check_eq("changing it while on it: EPERM", alt_change_errno, EPERM);
	check_eq("uc_stack.ss_flags: the program was not on it", uc_stack_flags, 0);

	install_info(SIGUSR2, altstack_handler, 0);
	raise(SIGUSR2);
	check("a handler without SA_ONSTACK stays on the normal stack", handler_sp < lo || handler_sp >= hi,
	      "sp %#lx", handler_sp);
}

/* SS_AUTODISARM: the alternate stack is switched off while a handler runs
 * on it (so that the handler may siglongjmp away safely), and switched
 * back on by rt_sigreturn from the frame's uc_stack. */
static volatile int autodisarm_inside_flags, autodisarm_change_ok;
static volatile unsigned long autodisarm_uc_flags;

static void autodisarm_handler(int sig, siginfo_t *info, void *ctx)
{
	stack_t now;

	(void)sig;
	(void)info;
	sigaltstack(NULL, &now);
	autodisarm_inside_flags = now.ss_flags;
	autodisarm_uc_flags = (unsigned)((ucontext_t *)ctx)->uc_stack.ss_flags;
	autodisarm_change_ok = sigaltstack(&now, NULL) == 0;
}

static void group_autodisarm(void)
{
	stack_t ss = { alt_mem, SS_AUTODISARM, sizeof(alt_mem) }, now;

	sigaltstack(&ss, NULL);
	install_info(SIGUSR1, autodisarm_handler, SA_ONSTACK);
	raise(SIGUSR1);
	check_eq("SS_AUTODISARM: inside the handler the stack is disabled", autodisarm_inside_flags, SS_DISABLE);
	check_eqx("the frame's uc_stack keeps the flags", autodisarm_uc_flags, SS_AUTODISARM);
	check("and sigaltstack may be called there (no EPERM)", autodisarm_change_ok, "it failed");
	sigaltstack(NULL, &now);
	check("after the handler: back on", now.ss_sp == alt_mem && (unsigned)now.ss_flags == SS_AUTODISARM,
	      "flags %#x sp %p", now.ss_flags, now.ss_sp);
}

/* badinput 23: only 256 bytes of the 2048-byte alternate stack are really
 * there; the frame does not fit and the program dies of SIGSEGV. */
static void small_altstack(long arg)
{
	char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss = { m + PAGE + 256 - MINSIGSTKSZ, 0, MINSIGSTKSZ };

	(void)arg;
	mprotect(m, PAGE, PROT_NONE);
	sigaltstack(&ss, NULL);
	install(SIGUSR1, exit_7, SA_ONSTACK, 0);
	raise(SIGUSR1);
	_exit(4);
}

/* Handlers that keep nesting on the alternate stack until it is full: the
 * kernel must stop at its bottom (SIGSEGV), not write below it. The memory
 * below is shared with the parent, which checks that it is untouched. */
static unsigned char *below_alt;	/* a shared page, then the stack */

static void recurse_on_altstack(int sig)
{
	raise(sig);
}

static void overflow_altstack(long arg)
{
	stack_t ss = { below_alt + PAGE, 0, 2 * PAGE };

	(void)arg;
	sigaltstack(&ss, NULL);
	install(SIGUSR1, recurse_on_altstack, SA_ONSTACK | SA_NODEFER, 0);
	raise(SIGUSR1);
	_exit(4);
}

static void test_altstack_overflow(void)
{
	int untouched = 1;

	check_signaled("an alternate stack too small for the frame: SIGSEGV",
		       run_child(small_altstack, 0), SIGSEGV);

	below_alt = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (below_alt == MAP_FAILED) {
		t_fail("nested handlers fill the alternate stack", "mmap: %s", errno_name(errno));
		return;
	}
	memset(below_alt, 0xa5, PAGE);
	check_signaled("nested handlers fill the alternate stack: SIGSEGV", run_child(overflow_altstack, 0), SIGSEGV);
	for (unsigned long i = 0; i < PAGE; i++)
		untouched &= below_alt[i] == 0xa5;
	check("nothing was written below the alternate stack", untouched, "the page below was written");
	munmap(below_alt, 3 * PAGE);
}

/* ---- forged frames (badinput 22) ------------------------------------------------------- */

enum forgery { FORGE_CS, FORGE_CS_RING0_RPL3, FORGE_SS, FORGE_IOPL, FORGE_RIP_KERNEL, FORGE_RIP_NONCANONICAL,
	       FORGE_ALL, FORGE_SS_NOT_STRICT, FORGE_MXCSR };

#define UC_STRICT_RESTORE_SS 0x4	/* Linux's uc_flags bit: "use the ss in the frame" */

static volatile int forgery;

/* Where a forged-IOPL program resumes: with IOPL 3 it could disable
 * interrupts; it must get SIGSEGV instead. */
static void try_cli(void)
{
	__asm__ volatile("cli");
	_exit(5);
}

static void set_csgsfs(greg_t *g, unsigned cs, unsigned ss)
{
	unsigned long v = (unsigned long)g[REG_CSGSFS];

	v = (v & ~0xffffUL) | cs;
	v = (v & ~(0xffffUL << 48)) | ((unsigned long)ss << 48);
	g[REG_CSGSFS] = (greg_t)v;
}

static void forging_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	(void)info;
	switch (forgery) {
	case FORGE_CS:
		set_csgsfs(g, 0x10, 0x2b);		/* the kernel's code segment */
		break;
	case FORGE_CS_RING0_RPL3:
		set_csgsfs(g, 0x13, 0x2b);
		break;
	case FORGE_SS:
		set_csgsfs(g, 0x33, 0x18);		/* the kernel's data segment */
		break;
	case FORGE_IOPL:
		g[REG_EFL] |= 3 << 12;			/* IOPL 3: in, out, cli allowed */
		g[REG_RIP] = (greg_t)try_cli;
		g[REG_RSP] = (g[REG_RSP] & ~15L) - 8;
		break;
	case FORGE_RIP_KERNEL:
		g[REG_RIP] = (greg_t)0xffffffff80100000UL;
		break;
	case FORGE_RIP_NONCANONICAL:
		g[REG_RIP] = (greg_t)0x8000000000000000UL;
		break;
	case FORGE_SS_NOT_STRICT:
		/* Without this flag (old programs) a bad ss is replaced by the
		 * user's own, and the program goes on. */
		uc->uc_flags &= ~(unsigned long)UC_STRICT_RESTORE_SS;
		set_csgsfs(g, 0x33, 0x18);
		break;
	case FORGE_MXCSR:
		/* Reserved MXCSR bits: fxrstor would fault, in the kernel. */
		uc->uc_mcontext.fpregs->mxcsr = 0xffffffff;
		break;
	case FORGE_ALL:
		memset(&uc->uc_mcontext, 0xff, sizeof(uc->uc_mcontext));
		uc->uc_mcontext.fpregs = NULL;
		set_csgsfs(g, 0x10, 0x18);
		break;
	}
}

static void forge(long kind)
{
	forgery = (int)kind;
	install_info(SIGUSR1, forging_handler, 0);
	raise(SIGUSR1);
	_exit(6);
}

/* rt_sigreturn without a handler, on a stack of garbage. */
static void bare_sigreturn(long fill)
{
	static unsigned long junk[256];

	memset(junk, (int)fill, sizeof(junk));
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "mov $15, %%eax\n\t"
			 "syscall\n\t"
			 "ud2"
			 :
			 : "r"(&junk[128])
			 : "memory");
}

static void test_forged_frames(void)
{
	check_signaled("sigreturn to cs = kernel code (0x10): SIGSEGV", run_child(forge, FORGE_CS), SIGSEGV);
	check_signaled("sigreturn to cs = 0x13 (ring-0 segment, RPL 3): SIGSEGV",
		       run_child(forge, FORGE_CS_RING0_RPL3), SIGSEGV);
	check_signaled("sigreturn to ss = kernel data (0x18): SIGSEGV", run_child(forge, FORGE_SS), SIGSEGV);
	check_signaled("sigreturn with IOPL 3 in rflags, then cli: SIGSEGV", run_child(forge, FORGE_IOPL), SIGSEGV);
	check_signaled("sigreturn to a kernel rip: SIGSEGV", run_child(forge, FORGE_RIP_KERNEL), SIGSEGV);
	check_signaled("sigreturn to a non-canonical rip: SIGSEGV", run_child(forge, FORGE_RIP_NONCANONICAL), SIGSEGV);
	check_signaled("sigreturn with every register all ones: SIGSEGV", run_child(forge, FORGE_ALL), SIGSEGV);
	check_exited("a bad ss without UC_STRICT_RESTORE_SS is replaced: the program goes on",
		     run_child(forge, FORGE_SS_NOT_STRICT), 6);
	if (on_sysgate()) {
		int st = run_child(forge, FORGE_MXCSR);
		check("a frame with reserved MXCSR bits set: the program ends, the kernel lives", st >= 0,
		      "%s", status_text(st));
	}
	check_signaled("rt_sigreturn on a stack of zeros: SIGSEGV", run_child(bare_sigreturn, 0), SIGSEGV);
	check_signaled("rt_sigreturn on a stack of 0xff: SIGSEGV", run_child(bare_sigreturn, 0xff), SIGSEGV);
	check_eq("and we are still here", kill(getpid(), 0), 0);
}

/* ---- CPU exceptions as signals, recovered with siglongjmp ---------------------------------- */

static sigjmp_buf recover;
static volatile int fault_sig, fault_code;
static void *volatile fault_addr, *volatile fault_rip;
static void *volatile insn_at;	/* where the faulting instruction is */
static void *volatile insn_next;	/* and the one after it */

static void recovering_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	fault_sig = sig;
	fault_code = info->si_code;
	fault_addr = info->si_addr;
	fault_rip = (void *)uc->uc_mcontext.gregs[REG_RIP];
	siglongjmp(recover, 1);
}

/* Each faulting instruction sits between labels 1 and 2, whose addresses
 * are stored first, so that the checks can name the instruction. */
#define FAULT_AT(insn, ...)                                                     \
	__asm__ volatile("lea 1f(%%rip), %%r11\n\t"                             \
			 "mov %%r11, %[at]\n\t"                                 \
			 "lea 2f(%%rip), %%r11\n\t"                             \
			 "mov %%r11, %[next]\n"                                 \
			 "1:\t" insn "\n"                                       \
			 "2:\n"                                                 \
			 : [at] "=m"(insn_at), [next] "=m"(insn_next)           \
			 : __VA_ARGS__                                          \
			 : "r11", "cc", "memory")

static void do_null_read(void) { FAULT_AT("cmpb $0, (%[p])", [p] "r"(16L)); }
static void do_div0(void)
{
	unsigned a = 1, d = 0;

	__asm__ volatile("lea 1f(%%rip), %%r11\n\t"
			 "mov %%r11, %[at]\n"
			 "1:\tdivl %[by]\n\t"
			 : [at] "=m"(insn_at), "+a"(a), "+d"(d)
			 : [by] "r"(0)
			 : "r11", "cc", "memory");
}
static void do_ud2(void) { FAULT_AT("ud2", "i"(0)); }
static void do_int3(void) { FAULT_AT("int3", "i"(0)); }

static char *ro_page;
static void do_ro_write(void) { FAULT_AT("movb $1, (%[p])", [p] "r"(ro_page)); }
static void do_text_write(void) { FAULT_AT("movb $1, (%[p])", [p] "r"((void *)do_ud2)); }
static char *bus_page;
static void do_bus(void) { FAULT_AT("cmpb $0, (%[p])", [p] "r"(bus_page)); }

/* Runs fn with its fault handled; 1 if it faulted. */
static int faulted(void (*fn)(void))
{
	fault_sig = fault_code = 0;
	fault_addr = fault_rip = (void *)-1;
	if (sigsetjmp(recover, 1) == 0) {
		fn();
		return 0;
	}
	return 1;
}

#define AT_INSN ((void *)-2)	/* expect_fault's addr: the faulting instruction */

static void expect_fault(const char *what, void (*fn)(void), int sig, int code, void *addr)
{
	if (!faulted(fn)) {
		t_fail(what, "no fault");
		return;
	}
	if (addr == AT_INSN)
		addr = insn_at;
	check_eq(cname("%s: %s", what, signal_name(sig)), fault_sig, sig);
	check_eq(cname("%s: si_code %d", what, code), fault_code, code);
	check_eqx(cname("%s: si_addr", what), (unsigned long)fault_addr, (unsigned long)addr);
}

static void group_exceptions(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };

	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		install_info(sigs[i], recovering_handler, 0);
	expect_fault("read address 16", do_null_read, SIGSEGV, SEGV_MAPERR, (void *)16);
	check_eqx("REG_RIP: the faulting instruction", (unsigned long)fault_rip, (unsigned long)insn_at);
	check_eqx("siglongjmp put back the mask of sigsetjmp", t_blocked_now(), 0);

	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_fault("write a read-only page", do_ro_write, SIGSEGV, SEGV_ACCERR, ro_page);
	expect_fault("write our own code", do_text_write, SIGSEGV, SEGV_ACCERR, (void *)do_ud2);

	char path[64];
	snprintf(path, sizeof(path), "/tmp/sigbus-%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "x", 1);
	char *m = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	bus_page = m + PAGE; /* wholly past the end of the 1-byte file */
	expect_fault("read a mapped page past the end of the file", do_bus, SIGBUS, BUS_ADRERR, bus_page);
	munmap(m, 2 * PAGE);
	close(fd);
	unlink(path);

	/* For these three si_addr is the instruction. */
	faulted(do_div0);
	check_eq("div by zero: SIGFPE", fault_sig, SIGFPE);
	check_eq("div by zero: FPE_INTDIV", fault_code, FPE_INTDIV);
	check_eqx("div by zero: si_addr is the div", (unsigned long)fault_addr, (unsigned long)insn_at);
	expect_fault("ud2", do_ud2, SIGILL, ILL_ILLOPN, AT_INSN);
	faulted(do_int3);
	check_eq("int3: SIGTRAP", fault_sig, SIGTRAP);
	check_eq("int3: si_code SI_KERNEL", fault_code, SI_KERNEL);
	check_eqx("int3: REG_RIP is after the int3", (unsigned long)fault_rip, (unsigned long)insn_next);
	check_eqx("after all that, nothing is blocked", t_blocked_now(), 0);
}

/* A fault while its signal is blocked or ignored cannot be held back (the
 * program would fault again forever): it kills. */
static void fault_blocked(long how)
{
	install_info(SIGSEGV, recovering_handler, 0);
	if (how == 0)
		block(SIGSEGV);
	else if (how == 1)
		signal(SIGSEGV, SIG_IGN);
	else if (how == 2 && faulted(do_null_read) == 0)
		_exit(8);	/* sigsetjmp(env, 0) would have been needed here */
	if (how == 2) {
		/* escaped with siglongjmp without restoring the mask: SIGSEGV is
		 * still blocked, as a handler's own signal is */
		sigset_t m = t_blocked_now();
		if (!sigismember(&m, SIGSEGV))
			_exit(9);
	}
	do_null_read();
	_exit(5);
}

/* Like faulted(), but sigsetjmp(env, 0): the mask is not saved. */
static void fault_escape_nomask(long arg)
{
	(void)arg;
	install_info(SIGSEGV, recovering_handler, 0);
	if (sigsetjmp(recover, 0) == 0)
		do_null_read();
	sigset_t m = t_blocked_now();
	_exit(sigismember(&m, SIGSEGV) ? 0 : 9);
}

static void test_fault_rules(void)
{
	check_signaled("a fault with SIGSEGV blocked kills", run_child(fault_blocked, 0), SIGSEGV);
	check_signaled("a fault with SIGSEGV ignored kills", run_child(fault_blocked, 1), SIGSEGV);
	check_exited("escaping with sigsetjmp(env, 0): SIGSEGV stays blocked", run_child(fault_escape_nomask, 0), 0);
}

/* The classic use of the alternate stack: a stack overflow's SIGSEGV
 * cannot run its handler on the full stack; on the alternate one it can. */
static volatile unsigned long overflow_handler_sp;

static void overflow_handler(int sig, siginfo_t *info, void *ctx)
{
	volatile char here;

	(void)sig;
	(void)info;
	(void)ctx;
	overflow_handler_sp = (unsigned long)&here;
	siglongjmp(recover, 1);
}

static int recurse(int n)
{
	volatile char buf[1024];

	buf[0] = (char)n;
	if (n > (1 << 30))	/* never: keeps the compiler from seeing an endless recursion */
		return 0;
	return recurse(n + 1) + buf[0];
}

static char overflow_alt[4 * SIGSTKSZ];

static void overflow_recovered(long arg)
{
	stack_t ss = { overflow_alt, 0, sizeof(overflow_alt) };
	unsigned long lo = (unsigned long)overflow_alt, hi = lo + sizeof(overflow_alt);

	(void)arg;
	sigaltstack(&ss, NULL);
	install_info(SIGSEGV, overflow_handler, SA_ONSTACK);
	if (sigsetjmp(recover, 1) == 0)
		recurse(0);
	_exit(overflow_handler_sp >= lo && overflow_handler_sp < hi ? 0 : 1);
}

/* The FPU registers are part of the frame: the handler sees them in
 * uc_mcontext.fpregs, may change them there, and whatever it does to the
 * real registers is undone by rt_sigreturn. */
static volatile unsigned seen_xmm0;

static void fpu_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	seen_xmm0 = uc->uc_mcontext.fpregs->_xmm[0].element[0];
	uc->uc_mcontext.fpregs->_xmm[1].element[0] = 0x600df00d;
	__asm__ volatile("pxor %%xmm0, %%xmm0" ::: "xmm0");
}

static void group_fpu(void)
{
	unsigned out0, out1;

	install_info(SIGUSR1, fpu_handler, 0);
	/* xmm0 and xmm1 are live across the tgkill syscall that raises the
	 * signal: the compiler cannot save them for us around it. */
	__asm__ volatile("movd %[a], %%xmm0\n\t"
			 "movd %[b], %%xmm1\n\t"
			 "mov %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "movd %%xmm0, %[o0]\n\t"
			 "movd %%xmm1, %[o1]\n\t"
			 : [o0] "=r"(out0), [o1] "=r"(out1)
			 : [a] "r"(0x12345678), [b] "r"(0x11111111), [nr] "i"(SYS_tgkill), "D"(getpid()),
			   "S"(getpid()), "d"(SIGUSR1)
			 : "rax", "rcx", "r11", "xmm0", "xmm1", "memory");
	check_eqx("the handler sees xmm0 in uc_mcontext.fpregs", seen_xmm0, 0x12345678);
	check_eqx("xmm0, which the handler clobbered, is restored", out0, 0x12345678);
	check_eqx("xmm1, which the handler changed in fpregs, has the new value", out1, 0x600df00d);
}

/* ---- default actions ------------------------------------------------------------------------ */

static void raise_it(long sig)
{
	raise((int)sig);
	_exit(3);
}

static void kill_all_blocked(long sig)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	raise((int)sig);
	sigset_t p = t_pending_now();
	_exit(sigismember(&p, (int)sig) ? 0 : 3);
}

static void test_default_actions(void)
{
	static const int term[] = { SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGIO, SIGRTMIN_KERNEL + 3 };
	static const int core[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGFPE, SIGSYS };

	for (unsigned i = 0; i < sizeof(term) / sizeof(term[0]); i++)
		check_signaled(cname("default action of %s: terminate", signal_name(term[i])),
			       run_child(raise_it, term[i]), term[i]);
	for (unsigned i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		int st = run_child(raise_it, core[i]);
		check_signaled(cname("default action of %s: core", signal_name(core[i])), st, core[i]);
		/* Linux sets the bit only if it wrote a core file: the tests
		 * forbid those (RLIMIT_CORE 0), so check it on sysgate only. */
		if (on_sysgate())
			check(cname("%s: WCOREDUMP in the status", signal_name(core[i])), st > 0 && WCOREDUMP(st),
			      "status %#x", st);
	}
	check_exited("default action of SIGCHLD: ignore", run_child(raise_it, SIGCHLD), 3);
	check_exited("default action of SIGWINCH: ignore", run_child(raise_it, SIGWINCH), 3);
	check_exited("default action of SIGCONT on a running process: nothing", run_child(raise_it, SIGCONT), 3);
	check_signaled("SIGKILL with everything blocked still kills", run_child(kill_all_blocked, SIGKILL), SIGKILL);
	check_exited("SIGTERM with everything blocked waits, pending", run_child(kill_all_blocked, SIGTERM), 0);
	check_signaled("SA_RESETHAND: the second raise takes the default action", run_child(raise_twice, SIGUSR1),
		       SIGUSR1);
	check_signaled("no SA_RESTORER: SIGSEGV, the handler is not run", run_child(no_restorer, 0), SIGSEGV);
	check_signaled("SA_SIGINFO, no SA_RESTORER: SIGSEGV", run_child(no_restorer, SA_SIGINFO), SIGSEGV);
}

/* ---- setjmp and the libc helpers ------------------------------------------------------------ */

static jmp_buf jb;

static void jump_back(int v)
{
	longjmp(jb, v);
}

static void test_libc(void)
{
	volatile int round = 0;
	int r = setjmp(jb);

	if (round == 0) {
		check_eq("setjmp returns 0 the first time", r, 0);
		round = 1;
		jump_back(42);
	} else if (round == 1) {
		check_eq("then longjmp's value", r, 42);
		round = 2;
		jump_back(0);
	} else {
		check_eq("longjmp(env, 0) makes it return 1", r, 1);
	}

	sigset_t s;
	check_ok("sigemptyset", sigemptyset(&s));
	check_eqx("is empty", s, 0);
	check_ok("sigfillset", sigfillset(&s));
	check_eq("sigismember(full, 64)", sigismember(&s, 64), 1);
	check_ok("sigdelset", sigdelset(&s, SIGINT));
	check_eq("sigismember after sigdelset", sigismember(&s, SIGINT), 0);
	check_ok("sigaddset", sigaddset(&s, SIGINT));
	check_errno("sigaddset 0: EINVAL", sigaddset(&s, 0), EINVAL);
	check_errno("sigaddset 65: EINVAL", sigaddset(&s, 65), EINVAL);
	check_errno("sigismember 65: EINVAL", sigismember(&s, 65), EINVAL);
	check("strsignal(SIGINT)", strcmp(strsignal(SIGINT), "Interrupt") == 0, "got %s", strsignal(SIGINT));
	check("strsignal(SIGSEGV)", strcmp(strsignal(SIGSEGV), "Segmentation fault") == 0, "got %s",
	      strsignal(SIGSEGV));
	check("sigabbrev_np(SIGKILL)", sigabbrev_np(SIGKILL) && strcmp(sigabbrev_np(SIGKILL), "KILL") == 0, "no");
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
