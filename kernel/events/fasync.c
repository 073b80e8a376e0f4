/*
 * Signal-driven I/O: F_SETOWN and O_ASYNC (course section: signals; the
 * integrated event system).
 *
 * Instead of asking (poll) or sleeping (read), a program can have the
 * kernel tell it: fcntl(fd, F_SETOWN, getpid()) names who is told, and
 * fcntl(fd, F_SETFL, O_ASYNC) turns it on. From then on, whenever the file
 * may have become readable or writable, the owner gets SIGIO and its
 * handler can read without blocking. A negative owner is a process group
 * (a whole job is told). F_SETOWN_EX names the owner with its kind: one
 * thread (F_OWNER_TID), a process or a process group.
 *
 * F_SETSIG picks another signal than SIGIO. Then the signal says more: its
 * siginfo carries the descriptor (si_fd), the poll events (si_band) and
 * the reason as si_code (POLL_IN, POLL_OUT...), and a real-time signal
 * queues one per event, so a server watching many descriptors learns
 * which one is ready from the signal alone.
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
#include "mm/uaccess.h"

struct fasync {
	struct file *file;
	pid_t owner;              /* F_SETOWN: a pid, or minus a process group; 0: nobody */
	bool owner_is_thread;     /* F_SETOWN_EX with F_OWNER_TID: that thread alone */
	int sig;                  /* F_SETSIG: 0 means SIGIO without details */
	int fd;                   /* the descriptor O_ASYNC was set through: si_fd */
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

/*
 * The reason a signal gives (si_code) and the band it reports, as Linux's:
 * the band follows from the reason, not from every event of the wake-up.
 * For an end open for reading, end of file (a hang-up) is one more thing
 * to read: POLL_IN; for one open for writing, a broken pipe is POLL_OUT
 * (the write will answer EPIPE at once).
 */
static int signal_reason(const struct file *f, uint32_t events)
{
	if (file_readable(f) && (events & (POLLIN | POLLRDNORM | POLLHUP | POLLERR)))
		return POLL_IN;
	if (file_writable(f) && (events & (POLLOUT | POLLWRNORM | POLLHUP | POLLERR)))
		return POLL_OUT;
	if (events & POLLPRI)
		return POLL_PRI;
	return events & POLLHUP ? POLL_HUP : POLL_ERR;
}

static const uint32_t reason_band[] = {
	[POLL_IN] = POLLIN | POLLRDNORM,
	[POLL_OUT] = POLLOUT | POLLWRNORM | POLLWRBAND,
	[POLL_MSG] = POLLIN | POLLRDNORM | POLLMSG,
	[POLL_ERR] = POLLERR,
	[POLL_PRI] = POLLPRI | POLLRDBAND,
	[POLL_HUP] = POLLHUP | POLLERR,
};

/* Signal the owner: SIGIO without details, or F_SETSIG's signal with them. */
static void signal_owner(struct fasync *fa, int reason)
{
	ksiginfo_t info = { .si_signo = SIGIO, .si_code = SI_KERNEL };
	if (fa->sig) {
		info = (ksiginfo_t){ .si_signo = fa->sig, .si_code = reason };
		info.fields.poll.si_band = reason_band[reason];
		info.fields.poll.si_fd = fa->fd;
	}
	if (fa->owner < 0) {
		send_signal_group(-fa->owner, info.si_signo, &info);
		return;
	}
	struct task *t = task_find(fa->owner);
	if (!t || t->state == TASK_ZOMBIE)
		return;
	if (fa->owner_is_thread)
		send_signal_thread(t, info.si_signo, &info);
	else
		send_signal(t, info.si_signo, &info);
}

static void fasync_wake(struct waiter *w, uint32_t events)
{
	struct fasync *fa = w->data;
	events &= interesting(fa->file);
	if (fa->owner && events)
		signal_owner(fa, signal_reason(fa->file, events));
}

void fasync_notify(struct file *f, int reason)
{
	if (f->async && f->async->owner)
		signal_owner(f->async, reason);
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
	fa->owner_is_thread = false;
	return 0;
}

pid_t fasync_owner(const struct file *f)
{
	return f->async ? f->async->owner : 0;
}

int fasync_set_owner_ex(struct file *f, const struct f_owner_ex __user *uowner)
{
	struct f_owner_ex ex;
	if (copy_from_user(&ex, uowner, sizeof(ex)))
		return -EFAULT;
	if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID && ex.type != F_OWNER_PGRP)
		return -EINVAL;
	struct task *t = ex.pid <= 0 ? NULL
			 : ex.type == F_OWNER_PGRP ? task_find_group_member(ex.pid) : task_find(ex.pid);
	if (ex.pid && !t)
		return -ESRCH;
	struct fasync *fa = fasync_of(f);
	if (!fa)
		return -ENOMEM;
	fa->owner = ex.type == F_OWNER_PGRP ? -ex.pid : ex.pid;
	fa->owner_is_thread = ex.type == F_OWNER_TID;
	return 0;
}

int fasync_get_owner_ex(const struct file *f, struct f_owner_ex __user *uowner)
{
	const struct fasync *fa = f->async;
	struct f_owner_ex ex = { F_OWNER_PID, 0 };
	if (fa && fa->owner < 0)
		ex = (struct f_owner_ex){ F_OWNER_PGRP, -fa->owner };
	else if (fa)
		ex = (struct f_owner_ex){ fa->owner_is_thread ? F_OWNER_TID : F_OWNER_PID, fa->owner };
	return copy_to_user(uowner, &ex, sizeof(ex)) ? -EFAULT : 0;
}

int fasync_set_sig(struct file *f, unsigned long sig)
{
	if (sig > NSIG_KERNEL)
		return -EINVAL; /* 0 is allowed: back to SIGIO */
	struct fasync *fa = fasync_of(f);
	if (!fa)
		return -ENOMEM;
	fa->sig = (int)sig;
	return 0;
}

int fasync_sig(const struct file *f)
{
	return f->async ? f->async->sig : 0;
}

int fasync_set_flag(struct file *f, int fd, bool on)
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
	fa->fd = fd;
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
