/* Waiting for many files at once (course section: the integrated event system). */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include "kernel/types.h"
#include "kernel/events/wait.h"
#include "kernel/fs/file.h" /* struct poll_table */
#include "libc/include/abi/signal.h"

struct file;

/* Hooks that stay on the wait queues a file's poll operation names, until
 * removed: what an epoll item and O_ASYNC watch a file with (poll's own
 * hooks last one call). A file puts us on at most two queues. */
struct file_hooks {
	int count;
	struct waiter waiters[2];
};

/* Hook fn (with data) onto f's queues, through f's poll operation; returns
 * what that poll says is ready now. */
uint32_t file_hooks_add(struct file_hooks *h, struct file *f, wake_fn fn, void *data);
void file_hooks_remove(struct file_hooks *h);

/* The registrations of one waiting call (poll, or epoll_wait's sleep):
 * init, hand poll_wait_table() to the files' poll operations, sleep until
 * one of their queues is woken, free (which unhooks every waiter). It lives
 * on the caller's stack, with room for the first few hooks, so a call that
 * waits on a few files allocates nothing. */
#define POLL_INLINE_HOOKS 8

struct poll_hook_chunk;

struct poll_wait_set {
	struct poll_table pt;
	struct task *task;
	bool triggered; /* some queue was woken since we last looked */
	int error;
	int inline_used;
	struct waiter inline_hooks[POLL_INLINE_HOOKS];
	struct poll_hook_chunk *chunks; /* more hooks, allocated */
};

void poll_wait_init(struct poll_wait_set *set);
struct poll_table *poll_wait_table(struct poll_wait_set *set);
/* 0 (something was woken), -ETIMEDOUT, -EINTR, or -ENOMEM if a hook
 * could not be made. */
int poll_wait_sleep(struct poll_wait_set *set, uint64_t deadline_ns);
void poll_wait_free(struct poll_wait_set *set);
/* A poll-style timeout in milliseconds as a CLOCK_MONOTONIC deadline (-1: none). */
uint64_t poll_deadline_ms(int timeout_ms);
/* A timeout in nanoseconds as a deadline (0 stays 0: only look). */
uint64_t poll_deadline_ns(uint64_t ns);
/* A timespec timeout argument (NULL: none) as a deadline: 0, -EFAULT, or
 * -EINVAL for a negative or un-normalised one. */
struct timespec;
int poll_timeout_from_user(const struct timespec __user *uts, uint64_t *deadline);
/* ppoll, select, pselect6: write the time left before the deadline back
 * into the caller's timespec (or timeval). Returns result, except that a
 * call to be restarted must end with EINTR if the time could not be
 * written (a restart would wait too long). */
long poll_time_left(void __user *utimeout, uint64_t deadline, bool timeval, long result);
/* Wait until one of fds (a kernel copy of a pollfd array) is ready or the
 * deadline passes; fills revents. The number ready, 0 at the deadline,
 * -ERESTARTNOHAND for a signal, or -ENOMEM. */
struct pollfd;
long poll_files(struct pollfd *fds, unsigned nfds, uint64_t deadline);
/* ppoll/epoll_pwait: block these signals until the call returns. */
int set_temporary_sigmask(const kernel_sigset_t __user *mask, size_t sigsetsize);

#endif
