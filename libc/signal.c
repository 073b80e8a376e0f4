/*
 * C library: signals (course section: signals).
 *
 * Installing a handler means telling the kernel two addresses: the handler,
 * and where the handler should "return" to. A handler is called by the
 * kernel, not by the program, so there is no caller to return to; the kernel
 * instead pushes sa_restorer as the handler's return address. Our restorer,
 * __restore_rt below, makes the rt_sigreturn syscall, which puts back the
 * registers saved when the signal arrived. On x86_64 the restorer is
 * mandatory: sigaction() always adds it (SA_RESTORER).
 *
 * The rest are thin wrappers: the rt_ ("real-time") syscalls take the size
 * of the signal set as an extra argument, always 8 bytes here.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "syscall_headers.h"

/* Our struct sigaction is the kernel's, field for field. */
_Static_assert(sizeof(struct sigaction) == sizeof(struct kernel_sigaction), "size");
_Static_assert(offsetof(struct sigaction, sa_flags) ==
	       offsetof(struct kernel_sigaction, flags), "flags");
_Static_assert(offsetof(struct sigaction, sa_restorer) ==
	       offsetof(struct kernel_sigaction, restorer), "restorer");
_Static_assert(offsetof(struct sigaction, sa_mask) ==
	       offsetof(struct kernel_sigaction, mask), "mask");

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * The restorer, in assembly: it must not touch the stack (rsp points at the
 * saved context the kernel will read back), so it cannot be a C function
 * with a prologue. "mov rax, 15" rather than the shorter "mov eax, 15":
 * debuggers recognise this exact byte sequence (48 c7 c0 0f 00 00 00 0f 05)
 * as a signal trampoline and can then show a backtrace through a handler.
 */
__asm__(
	".intel_syntax noprefix\n"
	".text\n"
	".globl __restore_rt\n"
	".type __restore_rt, @function\n"
	"__restore_rt:\n"
	"	mov rax, " XSTR(__NR_rt_sigreturn) "\n"
	"	syscall\n"
	"	ud2\n"	/* rt_sigreturn does not return here */
	".size __restore_rt, . - __restore_rt\n"
	".att_syntax prefix\n");

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct sigaction k;

	if (act) {
		k = *act;
		if (!(k.sa_flags & SA_RESTORER)) {
			k.sa_flags |= SA_RESTORER;
			k.sa_restorer = __restore_rt;
		}
		act = &k;
	}
	return (int)__syscall_ret(__syscall4(__NR_rt_sigaction, sig, (long)act, (long)oact,
					     sizeof(sigset_t)));
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* --- Signal sets: one bit per signal --- */

static int valid(int sig)
{
	if (sig < 1 || sig > NSIG_KERNEL) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

#define BIT(sig) (1UL << ((sig) - 1))

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!valid(sig))
		return -1;
	*set |= BIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!valid(sig))
		return -1;
	*set &= ~BIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!valid(sig))
		return -1;
	return (*set & BIT(sig)) != 0;
}

/* --- The mask and pending signals --- */

int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)
{
	return (int)__syscall_ret(__syscall4(__NR_rt_sigprocmask, how, (long)set,
					     (long)oldset, sizeof(sigset_t)));
}

int sigpending(sigset_t *set)
{
	return (int)__syscall_ret(__syscall2(__NR_rt_sigpending, (long)set, sizeof(sigset_t)));
}

/* Setting the mask and sleeping must be one step: with sigprocmask and
 * then pause, a signal arriving in between would be handled before we
 * sleep, and we might then sleep forever. */
int sigsuspend(const sigset_t *mask)
{
	return (int)__syscall_ret(__syscall2(__NR_rt_sigsuspend, (long)mask, sizeof(sigset_t)));
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	return (int)__syscall_ret(__syscall4(__NR_rt_sigtimedwait, (long)set, (long)info,
					     (long)timeout, sizeof(sigset_t)));
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

/* A signal with a value for the receiver's SA_SIGINFO handler (si_value).
 * The siginfo is written here, as the kernel will show it: sent by us,
 * with code SI_QUEUE, which the kernel lets any process claim. */
int sigqueue(pid_t pid, int sig, union sigval value)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_QUEUE;
	info.si_pid = getpid();
	info.si_uid = getuid();
	info.si_value = value;
	return (int)__syscall_ret(__syscall3(__NR_rt_sigqueueinfo, pid, sig, (long)&info));
}

/* POSIX threads style: the error comes back as the result, not in errno. */
int sigwait(const sigset_t *set, int *sig)
{
	int r;

	do
		r = sigwaitinfo(set, NULL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno;
	*sig = r;
	return 0;
}

/* --- Sending --- */

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	return (int)__syscall_ret(__syscall3(__NR_tgkill, tgid, tid, sig));
}

/* To this thread exactly (kill(getpid()) could pick any thread of the
 * process). A handler runs before raise returns: the kernel delivers
 * pending signals on its way back from the syscall. */
int raise(int sig)
{
	return tgkill(getpid(), gettid(), sig);
}

/* A negative pid means "the process group -pid". */
int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}
