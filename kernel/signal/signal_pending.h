/* Pending signals: flags for standard signals, queues for real-time ones
 * (course section: signals). See kernel/signal/signal_pending.c. */
#ifndef KERNEL_SIGNAL_PENDING_H
#define KERNEL_SIGNAL_PENDING_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/signal.h"

struct task;

#define SIGBIT(sig) (1ull << ((sig) - 1))

/* One set of pending signals and what is known about each. */
struct sigpending {
	kernel_sigset_t set;                  /* bit (n - 1): signal n is pending */
	kernel_sigset_t counted;              /* standard ones held against the limit */
	ksiginfo_t info[SIGRTMIN_KERNEL];     /* a standard signal's one instance */
	struct list_node queue;               /* real-time instances, oldest first */
};

/* Who a signal is for: the whole process (kill, sigqueue, SIGCHLD) or the
 * thread itself (tkill, tgkill, a fault, SIGPIPE). */
enum signal_target { TO_PROCESS, TO_THREAD };

void sigpending_init(struct sigpending *p);
/* Remember one sending of info->si_signo. info may be NULL: the kernel's
 * own sending, without details. 0, or -EAGAIN when a real-time signal with
 * details that must not be lost (a sigqueue) finds RLIMIT_SIGPENDING full. */
int sigpending_add(struct task *t, enum signal_target to, int sig, const ksiginfo_t *info);
/* Take the next signal of `set` to handle: the thread's own before the
 * process's, a fault before other signals, then the lowest number. Fills
 * *info and returns the signal, or 0 when none in `set` is pending. */
int sigpending_take(struct task *t, kernel_sigset_t set, ksiginfo_t *info);
/* POSIX timer `id` expired `missed` more times while its signal sig is
 * still pending: add them to that instance's si_overrun. False if no
 * instance of it is pending (then the timer sends a new one). */
bool sigpending_timer_overrun(struct task *t, int sig, int id, uint64_t missed);
/* Forget every pending instance of the signals in `set`: in both of t's
 * sets, or (_thread) in the thread's own only. */
void sigpending_flush(struct task *t, kernel_sigset_t set);
void sigpending_flush_thread(struct task *t, kernel_sigset_t set);
/* sigpending_all(t), the signals pending for t in either set, is inline
 * in kernel/proc/task.h: every return to user mode asks it. */
/* How many instances with details t holds (against RLIMIT_SIGPENDING). */
unsigned sigpending_queued(const struct task *t);

#endif
