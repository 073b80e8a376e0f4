/*
 * Signal-driven I/O: F_SETOWN and O_ASYNC (course section: signals; the
 * integrated event system).
 *
 * Instead of asking (poll) or sleeping (read), a program can have the
 * kernel tell it: fcntl(fd, F_SETOWN, getpid()) names who is told, and
 * fcntl(fd, F_SETFL, O_ASYNC) turns it on. From then on, whenever the file
 * may have become readable or writable, the owner gets SIGIO and its
 * handler can read without blocking. A negative owner is a process group
 * (a whole job is told).
 *
 * It is one more waiter on the file's wait queues, made through the same
 * poll operation poll and epoll use (kernel/events/poll.c, kernel/events/epoll.c): when a
 * queue is woken with events that matter for this open file -- input for a
 * file open for reading, room for one open for writing -- the waiter
 * sends the signal. Wake-ups can come from interrupts (a key, a timer), so
 * the waiter does nothing but send a signal.
 */
#include "kernel/events/fasync.h"
#include "kernel/fs/file.h"
#include "kernel/events/poll.h"
#include "kernel/signal/signal.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/fcntl.h"
#include "libc/include/abi/poll.h"
#include "mm/heap.h"

struct fasync {
	struct file *file;
	pid_t owner;              /* F_SETOWN: a pid, or minus a process group; 0: nobody */
	struct file_hooks hooks;  /* on the file's wait queues while O_ASYNC is on */
};

/* The events that tell this open file's owner something. */
static uint32_t interesting(const struct file *f)
{
	uint32_t events = POLLERR | POLLHUP;
	if (file_readable(f))
		events |= POLLIN | POLLRDNORM | POLLPRI;
	if (file_writable(f))
		events |= POLLOUT | POLLWRNORM;
	return events;
}

static void fasync_wake(struct waiter *w, uint32_t events)
{
	struct fasync *fa = w->data;
	if (!fa->owner || !(events & interesting(fa->file)))
		return;
	ksiginfo_t info = { .si_signo = SIGIO, .si_code = SI_KERNEL };
	if (fa->owner < 0) {
		send_signal_group(-fa->owner, SIGIO, &info);
	} else {
		struct task *t = task_find(fa->owner);
		if (t && t->state != TASK_ZOMBIE)
			send_signal(t, SIGIO, &info);
	}
}

static struct fasync *fasync_of(struct file *f)
{
	if (!f->async) {
		f->async = kzalloc(sizeof(*f->async));
		if (f->async)
			f->async->file = f;
	}
	return f->async;
}

int fasync_set_owner(struct file *f, long owner)
{
	if (owner <= INT32_MIN || owner > INT32_MAX)
		return -EINVAL; /* minus INT_MIN is no process group */
	if (owner > 0 ? !task_find((pid_t)owner) : owner < 0 && !task_find_group_member((pid_t)-owner))
		return -ESRCH;
	struct fasync *fa = fasync_of(f);
	if (!fa)
		return -ENOMEM;
	fa->owner = (pid_t)owner;
	return 0;
}

pid_t fasync_owner(const struct file *f)
{
	return f->async ? f->async->owner : 0;
}

int fasync_set_flag(struct file *f, bool on)
{
	if (!on) {
		if (f->async)
			file_hooks_remove(&f->async->hooks);
		return 0;
	}
	if (!f->ops->poll)
		return 0; /* a file that is always ready never signals: Linux keeps the flag */
	struct fasync *fa = fasync_of(f);
	if (!fa)
		return -ENOMEM;
	if (fa->hooks.count == 0)
		file_hooks_add(&fa->hooks, f, fasync_wake, fa);
	return 0;
}

void fasync_file_closed(struct file *f)
{
	if (!f->async)
		return;
	file_hooks_remove(&f->async->hooks);
	kfree(f->async);
	f->async = NULL;
}
