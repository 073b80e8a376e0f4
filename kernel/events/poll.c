/*
 * poll and ppoll (course section: the integrated event system).
 *
 * One readiness mechanism serves every kind of file and every way of
 * waiting. Each file has a poll operation (kernel/fs/file.h) that answers
 * "which of POLLIN, POLLOUT, POLLHUP, POLLERR are true right now?" -- and,
 * when given a poll table, also hooks the asker's waiter onto each wait
 * queue whose wake-up could change the answer. Whatever changes a file
 * calls wake_up() on its queue, and that one call reaches every kind of
 * waiter:
 *
 *     pipe_write()   eventfd_write()   timerfd_expired() (timer interrupt)
 *            \              |              /
 *             wake_up(the file's wait queue, POLLIN)
 *            /              |               *     a blocked read()   poll_wake():      ep_wake(): the epoll item goes on
 *     (task_wake)        poll() below      its set's ready list (epoll.c)
 *                        looks again
 *
 * poll() is then simple: ask every file once, hooking onto their queues.
 * If something is ready, or the timeout is 0, return. Otherwise sleep; any
 * wake-up of any of those queues wakes us through poll_wake(), and we ask
 * every file again. At return all the hooks are undone. epoll does the
 * same with hooks that stay between calls (kernel/events/epoll.c). Because a file
 * hooks us *before* it looks at its state, a change that happens between
 * the look and our sleep still wakes us: no wake-up is lost.
 */
#include "kernel/events/poll.h"
#include "kernel/fs/file.h"
#include "kernel/time/ktimer.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/time.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define ENTRIES_PER_CHUNK 32

struct poll_entry {
	struct waiter waiter;
};

struct poll_chunk {
	struct poll_chunk *next;
	int used;
	struct poll_entry entries[ENTRIES_PER_CHUNK];
};

/* One poll() call's registrations: a poll table plus where its waiters live. */
struct poll_wait {
	struct poll_table pt;
	struct poll_chunk *chunks;
	struct task *task;
	bool triggered; /* some queue was woken since we last looked */
	int error;
};

/* A watched queue was woken: note it, and wake the polling task. */
static void poll_wake(struct waiter *w, uint32_t events)
{
	(void)events;
	struct poll_wait *pw = w->data;
	pw->triggered = true;
	task_wake(pw->task);
}

static void poll_queue(struct poll_table *pt, struct wait_queue *wq)
{
	struct poll_wait *pw = container_of(pt, struct poll_wait, pt);
	struct poll_chunk *c = pw->chunks;
	if (!c || c->used == ENTRIES_PER_CHUNK) {
		c = kzalloc(sizeof(*c));
		if (!c) {
			pw->error = -ENOMEM;
			return;
		}
		c->next = pw->chunks;
		pw->chunks = c;
	}
	struct poll_entry *e = &c->entries[c->used++];
	waiter_init(&e->waiter, poll_wake, pw);
	wait_queue_add(wq, &e->waiter);
}

void poll_wait_init(struct poll_wait_set *set)
{
	struct poll_wait *pw = kzalloc(sizeof(*pw));
	set->impl = pw;
	if (!pw)
		return;
	pw->pt.queue = poll_queue;
	pw->task = current;
}

struct poll_table *poll_wait_table(struct poll_wait_set *set)
{
	return set->impl ? &((struct poll_wait *)set->impl)->pt : NULL;
}

void poll_wait_free(struct poll_wait_set *set)
{
	struct poll_wait *pw = set->impl;
	if (!pw)
		return;
	while (pw->chunks) {
		struct poll_chunk *c = pw->chunks;
		for (int i = 0; i < c->used; i++)
			wait_queue_remove(&c->entries[i].waiter);
		pw->chunks = c->next;
		kfree(c);
	}
	kfree(pw);
	set->impl = NULL;
}

static void timeout_wake(struct ktimer *t)
{
	task_wake(t->data);
}

/* Sleep until a registered queue is woken, a signal arrives or the deadline
 * (CLOCK_MONOTONIC ns; UINT64_MAX for none) passes. Returns 0 to look
 * again, -ETIMEDOUT, or -EINTR. */
int poll_wait_sleep(struct poll_wait_set *set, uint64_t deadline)
{
	struct poll_wait *pw = set->impl;
	if (pw->error) /* a hook could not be made: we might never be woken */
		return pw->error;
	struct ktimer timer;
	ktimer_init(&timer, timeout_wake, current);
	if (deadline != UINT64_MAX)
		ktimer_start(&timer, deadline);
	int result = 0;
	for (;;) {
		current->state = TASK_SLEEPING;
		if (pw->triggered)
			break;
		if (current_signal_pending()) {
			result = -EINTR;
			break;
		}
		if (clock_monotonic_ns() >= deadline) {
			result = -ETIMEDOUT;
			break;
		}
		schedule();
	}
	current->state = TASK_RUNNING;
	pw->triggered = false;
	ktimer_cancel(&timer);
	return result;
}

uint64_t poll_deadline_ms(int timeout_ms)
{
	if (timeout_ms < 0)
		return UINT64_MAX;
	return clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000;
}

uint64_t poll_deadline_ns(uint64_t ns)
{
	return ns ? clock_monotonic_ns() + MIN(ns, TIMEOUT_FOREVER) : 0;
}

int poll_timeout_from_user(const struct timespec __user *uts, uint64_t *deadline)
{
	*deadline = UINT64_MAX;
	if (!uts)
		return 0;
	uint64_t ns;
	int err = timespec_from_user(uts, &ns);
	if (!err)
		*deadline = poll_deadline_ns(ns);
	return err;
}

long poll_time_left(void __user *utimeout, uint64_t deadline, bool timeval, long result)
{
	if (deadline == 0 || deadline == UINT64_MAX)
		return result;
	uint64_t now = clock_monotonic_ns(), left = now < deadline ? deadline - now : 0;
	struct timespec ts = { (long)(left / NSEC_PER_SEC), (long)(left % NSEC_PER_SEC) };
	struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };
	bool failed = timeval ? copy_to_user(utimeout, &tv, sizeof(tv)) : copy_to_user(utimeout, &ts, sizeof(ts));
	return failed && result == -ERESTARTNOHAND ? -EINTR : result;
}

/* --- hooks that stay (epoll, O_ASYNC) ------------------------------------- */

struct hooks_table {
	struct poll_table pt;
	struct file_hooks *hooks;
	wake_fn fn;
	void *data;
};

static void hooks_queue(struct poll_table *pt, struct wait_queue *wq)
{
	struct hooks_table *t = container_of(pt, struct hooks_table, pt);
	struct file_hooks *h = t->hooks;
	if (h->count == ARRAY_SIZE(h->waiters))
		return;
	struct waiter *w = &h->waiters[h->count++];
	waiter_init(w, t->fn, t->data);
	wait_queue_add(wq, w);
}

uint32_t file_hooks_add(struct file_hooks *h, struct file *f, wake_fn fn, void *data)
{
	struct hooks_table t = { { hooks_queue }, h, fn, data };
	return file_poll(f, &t.pt);
}

void file_hooks_remove(struct file_hooks *h)
{
	for (int i = 0; i < h->count; i++)
		wait_queue_remove(&h->waiters[i]);
	h->count = 0;
}

/* --- poll ---------------------------------------------------------------- */

/* One pass over the array: fill revents, count the ready entries. */
static int scan(struct pollfd *fds, unsigned nfds, struct poll_table *pt)
{
	int ready = 0;
	for (unsigned i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue; /* negative fds are ignored, as POSIX says */
		struct file *f = fd_get(fds[i].fd);
		uint32_t mask = f ? file_poll(f, pt) & ((uint16_t)fds[i].events | POLLERR | POLLHUP) : POLLNVAL;
		fds[i].revents = (short)mask;
		if (mask)
			ready++;
	}
	return ready;
}

long poll_files(struct pollfd *fds, unsigned nfds, uint64_t deadline)
{
	struct poll_wait_set set;
	poll_wait_init(&set);
	long ready;
	bool first = true;
	for (;;) {
		/* Register on the queues only on the first pass; they stay. */
		ready = scan(fds, nfds, first ? poll_wait_table(&set) : NULL);
		first = false;
		if (ready || deadline == 0)
			break;
		int err = set.impl ? poll_wait_sleep(&set, deadline) : -ENOMEM;
		if (err == -ETIMEDOUT) {
			ready = 0;
			break;
		}
		if (err) {
			ready = err == -EINTR ? -ERESTARTNOHAND : err;
			break;
		}
	}
	poll_wait_free(&set);
	return ready;
}

static long do_poll(struct pollfd __user *ufds, unsigned int nfds, uint64_t deadline)
{
	if (nfds > MAX_FDS)
		return -EINVAL;
	struct pollfd *fds = kmalloc(sizeof(*fds) * (nfds ? nfds : 1));
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, sizeof(*fds) * nfds)) {
		kfree(fds);
		return -EFAULT;
	}
	long ready = poll_files(fds, nfds, deadline);
	if (ready >= 0) {
		for (unsigned i = 0; i < nfds; i++) /* only revents changes */
			if (copy_to_user(&ufds[i].revents, &fds[i].revents, sizeof(fds[i].revents))) {
				ready = -EFAULT;
				break;
			}
	}
	kfree(fds);
	return ready;
}

/* poll interrupted by a signal that ran no handler (a stop and continue)
 * goes on until the same deadline: see kernel/signal/signal_frame.c. */
static long poll_until(struct pollfd __user *fds, unsigned int nfds, uint64_t deadline);

static long poll_restart(struct restart_block *rb)
{
	return poll_until(rb->uaddr, (unsigned int)rb->count, rb->deadline);
}

static long poll_until(struct pollfd __user *fds, unsigned int nfds, uint64_t deadline)
{
	long r = do_poll(fds, nfds, deadline);
	if (r != -ERESTARTNOHAND)
		return r;
	current->restart = (struct restart_block){ poll_restart, deadline, fds, nfds };
	return -ERESTART_RESTARTBLOCK;
}

long sys_poll(struct pollfd __user *fds, unsigned int nfds, int timeout)
{
	return poll_until(fds, nfds, timeout == 0 ? 0 : poll_deadline_ms(timeout));
}

/* The signal mask a call like ppoll or epoll_pwait installs while it waits;
 * it is restored on the way back to user mode, like sigsuspend's. */
int set_temporary_sigmask(const kernel_sigset_t __user *umask, size_t sigsetsize)
{
	if (!umask)
		return 0;
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t mask;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	struct task *t = current;
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_saved_mask = true;
	t->sig.blocked = mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	return 0;
}

long sys_ppoll(struct pollfd __user *fds, unsigned int nfds, const struct timespec __user *tmo,
	       const kernel_sigset_t __user *sigmask, size_t sigsetsize)
{
	uint64_t deadline;
	int err = poll_timeout_from_user(tmo, &deadline);
	if (!err)
		err = set_temporary_sigmask(sigmask, sigsetsize);
	if (err)
		return err;
	long r = do_poll(fds, nfds, deadline);
	/* Like Linux, ppoll writes the time left back into *tmo, so that a
	 * restart (after a signal that ran no handler) waits only for the
	 * rest. */
	return tmo ? poll_time_left((void __user *)tmo, deadline, false, r) : r;
}
