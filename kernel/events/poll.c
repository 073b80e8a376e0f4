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
 * poll() is then simple: ask every file once. If something is ready, or
 * the timeout is 0, return. Otherwise ask again, hooking onto their queues,
 * and sleep; any wake-up of any of those queues wakes us through
 * poll_wake(), and we ask every file again. At return the hooks are undone. epoll does the
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

/* Hooks past the ones a poll_wait_set holds inline, 32 to an allocation. */
#define HOOKS_PER_CHUNK 32

struct poll_hook_chunk {
	struct poll_hook_chunk *next;
	int used;
	struct waiter hooks[HOOKS_PER_CHUNK];
};

/* A watched queue was woken: note it, and wake the polling task. */
static void poll_wake(struct waiter *w, uint32_t events)
{
	(void)events;
	struct poll_wait_set *set = w->data;
	set->triggered = true;
	task_wake(set->task);
}

/* A place for one more hook: inline while there is room, then in chunks. */
static struct waiter *new_hook(struct poll_wait_set *set)
{
	if (set->inline_used < POLL_INLINE_HOOKS)
		return &set->inline_hooks[set->inline_used++];
	struct poll_hook_chunk *c = set->chunks;
	if (!c || c->used == HOOKS_PER_CHUNK) {
		c = kmalloc(sizeof(*c));
		if (!c)
			return NULL;
		c->used = 0;
		c->next = set->chunks;
		set->chunks = c;
	}
	return &c->hooks[c->used++];
}

static void poll_queue(struct poll_table *pt, struct wait_queue *wq)
{
	struct poll_wait_set *set = container_of(pt, struct poll_wait_set, pt);
	struct waiter *w = new_hook(set);
	if (!w) {
		set->error = -ENOMEM;
		return;
	}
	waiter_init(w, poll_wake, set);
	wait_queue_add(wq, w);
}

void poll_wait_init(struct poll_wait_set *set)
{
	set->pt.queue = poll_queue;
	set->task = current;
	set->triggered = false;
	set->error = 0;
	set->inline_used = 0;
	set->chunks = NULL;
}

struct poll_table *poll_wait_table(struct poll_wait_set *set)
{
	return &set->pt;
}

void poll_wait_free(struct poll_wait_set *set)
{
	for (int i = 0; i < set->inline_used; i++)
		wait_queue_remove(&set->inline_hooks[i]);
	set->inline_used = 0;
	while (set->chunks) {
		struct poll_hook_chunk *c = set->chunks;
		for (int i = 0; i < c->used; i++)
			wait_queue_remove(&c->hooks[i]);
		set->chunks = c->next;
		kfree(c);
	}
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
	if (set->error) /* a hook could not be made: we might never be woken */
		return set->error;
	struct ktimer timer;
	ktimer_init(&timer, timeout_wake, current);
	if (deadline != UINT64_MAX)
		ktimer_start(&timer, deadline);
	int result = 0;
	for (;;) {
		current->state = TASK_SLEEPING;
		if (set->triggered)
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
	set->triggered = false;
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

/*
 * The first look hooks nothing: most calls find a file ready, or only look
 * (timeout 0), and never sleep -- so they should not pay for hooking a
 * waiter onto every file and unhooking it again. Only a call that is going
 * to sleep hooks on, in a second pass, which also looks again: a file that
 * became ready between the two passes is seen there, and one that becomes
 * ready after its hook is on wakes us. No wake-up is lost.
 */
long poll_files(struct pollfd *fds, unsigned nfds, uint64_t deadline)
{
	long ready = scan(fds, nfds, NULL);
	if (ready || deadline == 0)
		return ready;
	struct poll_wait_set set;
	poll_wait_init(&set);
	ready = scan(fds, nfds, poll_wait_table(&set));
	while (!ready) {
		int err = poll_wait_sleep(&set, deadline);
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			ready = err == -EINTR ? -ERESTARTNOHAND : err;
			break;
		}
		ready = scan(fds, nfds, NULL); /* the hooks stay on from the second pass */
	}
	poll_wait_free(&set);
	return ready;
}

/* Small arrays are copied onto the stack, bigger ones into the heap. The
 * array comes in with one copy and goes back with one (the fd and events
 * fields go back as they came). */
#define POLL_STACK_FDS 32

static long do_poll(struct pollfd __user *ufds, unsigned int nfds, uint64_t deadline)
{
	if (nfds > MAX_FDS)
		return -EINVAL;
	struct pollfd on_stack[POLL_STACK_FDS];
	struct pollfd *fds = nfds <= POLL_STACK_FDS ? on_stack : kmalloc(sizeof(*fds) * nfds);
	if (!fds)
		return -ENOMEM;
	long ready = copy_from_user(fds, ufds, sizeof(*fds) * nfds) ? -EFAULT : poll_files(fds, nfds, deadline);
	if (ready >= 0 && copy_to_user(ufds, fds, sizeof(*fds) * nfds))
		ready = -EFAULT;
	if (fds != on_stack)
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
