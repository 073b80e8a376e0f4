/*
 * C library: signals (course section: signals).
 *
 * The signal numbers, SA_* flags, SIG_DFL/SIG_IGN and the siginfo layout are
 * the kernel's, in <abi/signal.h>. What this header adds is the C library's
 * view: sigset_t and struct sigaction. Both are the kernel's own layouts
 * (64 signals in one unsigned long; handler, flags, restorer, mask), not
 * glibc's larger user-side versions, so this libc can pass them to
 * rt_sigaction and rt_sigprocmask unchanged. The functions arrive with
 * signal support in the kernel.
 */
#ifndef LIBC_SIGNAL_H
#define LIBC_SIGNAL_H

#include <abi/signal.h>
#include <sys/types.h>

#define NSIG 65		/* one more than the highest signal number */

typedef void (*sighandler_t)(int);

/* One bit per signal: bit (n - 1) is signal n. */
typedef unsigned long sigset_t;

struct sigaction {
	sighandler_t sa_handler;
	unsigned long sa_flags;		/* SA_RESTART, SA_SIGINFO, ... */
	void (*sa_restorer)(void);	/* returns via rt_sigreturn */
	sigset_t sa_mask;		/* also blocked while the handler runs */
};

#endif
