/*
 * C library: signals (course section: signals).
 *
 * The signal numbers, SA_* flags, SIG_DFL/SIG_IGN and the siginfo layout are
 * the kernel's, in <abi/signal.h>. What this header adds is the C library's
 * view: sigset_t, struct sigaction, siginfo_t's field names, and the
 * functions (libc/signal.c, libc/strsignal.c).
 *
 * sigset_t and struct sigaction are the kernel's own layouts (64 signals in
 * one unsigned long; handler, flags, restorer, mask), not glibc's larger
 * user-side versions, so this libc passes them to rt_sigaction and
 * rt_sigprocmask unchanged. Source code written for glibc compiles as is.
 */
#ifndef LIBC_SIGNAL_H
#define LIBC_SIGNAL_H

#include <abi/signal.h>
#include <abi/time.h>
#include <sys/types.h>

#define NSIG 65		/* one more than the highest signal number */
#define _NSIG NSIG
#define SIGRTMIN 34	/* glibc keeps 32 and 33 for its threads; so do we */
#define SIGRTMAX 64

typedef void (*sighandler_t)(int);
typedef int sig_atomic_t;	/* read and written in one instruction */

/* One bit per signal: bit (n - 1) is signal n. */
typedef unsigned long sigset_t;

/* The kernel's siginfo. Which members of its union are valid depends on
 * the signal, so glibc names them with macros, and so do we:
 * info->si_pid is really info->fields.kill.si_pid. */
typedef ksiginfo_t siginfo_t;
#define si_pid fields.kill.si_pid		/* sender (kill, SIGCHLD) */
#define si_uid fields.kill.si_uid
#define si_value fields.kill.si_value		/* sigqueue's value */
#define si_int fields.kill.si_value.sival_int
#define si_ptr fields.kill.si_value.sival_ptr
#define si_status fields.chld.si_status	/* SIGCHLD: exit status or signal */
#define si_utime fields.chld.si_utime
#define si_stime fields.chld.si_stime
#define si_addr fields.fault.si_addr		/* SIGSEGV...: the faulting address */
#define si_call_addr fields.sys.si_call_addr	/* SIGSYS (seccomp) */
#define si_syscall fields.sys.si_syscall
#define si_arch fields.sys.si_arch
#define si_timerid fields.timer.si_tid
#define si_band fields.poll.si_band	/* F_SETSIG: the poll events */
#define si_fd fields.poll.si_fd		/* F_SETSIG: the descriptor */
#define si_overrun fields.timer.si_overrun

/*
 * What to do with a signal. Set sa_handler, or sa_sigaction together with
 * SA_SIGINFO in sa_flags: such a handler also gets the siginfo and the
 * interrupted context (a ucontext_t *, see <ucontext.h>). The two share
 * storage, like in glibc, because the kernel has one "handler" field.
 * sa_restorer is libc's business: sigaction() fills it in.
 */
struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	unsigned long sa_flags;		/* SA_RESTART, SA_SIGINFO, ... */
	void (*sa_restorer)(void);	/* returns via rt_sigreturn */
	sigset_t sa_mask;		/* also blocked while the handler runs */
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
/* BSD semantics, like glibc: the handler stays installed, and slow
 * syscalls it interrupts are restarted (SA_RESTART). */
sighandler_t signal(int sig, sighandler_t handler);

/* Sets of signals (return -1 and EINVAL for a number out of 1..64) */
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

/* The blocked set: how is SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK. */
int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);
int sigpending(sigset_t *set);
/* Atomically sets the mask and sleeps until a handler has run; always
 * returns -1 with EINTR. */
int sigsuspend(const sigset_t *mask);
/* Waits for one of the (blocked) signals in set without running a handler;
 * returns its number. NULL timeout means wait forever. */
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);
int sigwaitinfo(const sigset_t *set, siginfo_t *info);
int sigqueue(pid_t pid, int sig, union sigval value);
int sigwait(const sigset_t *set, int *sig);	/* returns 0 or an error number */

/* Sending */
int kill(pid_t pid, int sig);		/* pid < 0: the process group -pid */
int killpg(pid_t pgrp, int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);	/* one thread */
int raise(int sig);			/* to the calling thread */
int pause(void);			/* sleeps until a handler has run */

/* A separate stack for handlers (SA_ONSTACK), e.g. to survive a stack
 * overflow's SIGSEGV. */
int sigaltstack(const stack_t *ss, stack_t *old_ss);

/* Names: strsignal(SIGINT) is "Interrupt", sigabbrev_np(SIGINT) is "INT"
 * (NULL if unknown), psignal prints "s: Interrupt" on stderr. */
char *strsignal(int sig);
const char *sigabbrev_np(int sig);
const char *sigdescr_np(int sig);
void psignal(int sig, const char *s);

#endif
