/* Signals (course section: signals). */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "arch/x86_64/regs.h"
#include "kernel/signal/signal_pending.h"
#include "kernel/types.h"
#include "libc/include/abi/signal.h"

struct task;

/* Kernel-only sa_flags bit (Linux's): a forced fatal signal's action, which
 * sigaction may no longer change and a tracer may not intercept. */
#define SA_IMMUTABLE 0x00800000


/* Send a signal to a process (kill, sigqueue, the kernel's own signals) or
 * to the thread itself (tkill, tgkill, faults, SIGPIPE); info may be NULL
 * (SI_KERNEL is assumed). 0, or -EAGAIN when a real-time signal that
 * carries details finds the target's RLIMIT_SIGPENDING used up. */
int send_signal(struct task *t, int sig, const ksiginfo_t *info);
int send_signal_thread(struct task *t, int sig, const ksiginfo_t *info);
/* Send to every member of a process group; returns how many got it. */
int send_signal_group(int pgid, int sig, const ksiginfo_t *info);
/* A CPU exception in user mode: the program gets the signal at once. */
void force_sig_fault(struct regs *r, int sig, int code, uint64_t addr);
/* A signal from the kernel about the current thread's own act (seccomp's
 * SIGSYS): it cannot be blocked or ignored; fatal: nor handled -- the
 * default action (death) is forced, and made SA_IMMUTABLE. */
void force_sig_info(int sig, const ksiginfo_t *info, bool fatal);
/* The signal frame for failed_sig could not be built (or rt_sigreturn found
 * a bad one): the program gets SIGSEGV, as on Linux. */
void force_sigsegv(int failed_sig);
/* Does sig do nothing to t (SIG_IGN, or a default action of "ignore")? */
bool signal_ignored(const struct task *t, int sig);
/* Is there a signal the task must act on before returning to user mode? */
bool signal_work_pending(struct task *t);
/* Act on one pending signal: run its default action or enter its handler. */
void do_signal(struct regs *r);
const char *signal_name(int sig);

/* The alternate signal stack: is sp on it; read it (with the flags
 * sigaltstack reports for a program whose stack pointer is sp); change it
 * (0, -EPERM while on it, -EINVAL for bad flags, -ENOMEM if too small). */
bool on_altstack(const struct task *t, uint64_t sp);
void altstack_get(const struct task *t, uint64_t sp, stack_t *out);
int altstack_set(struct task *t, const stack_t *ss, uint64_t sp);

/* Signal state across fork and exec. */
void signals_fork(struct task *child, const struct task *parent);
void signals_exec(struct task *t);
/* Forget the signals of `set` pending for t's process and every thread of it. */
void group_flush_signals(struct task *t, kernel_sigset_t set);
/* A task that is being freed: drop its queued signals. */
void signals_release(struct task *t);

#endif
