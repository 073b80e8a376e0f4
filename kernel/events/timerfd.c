/*
 * timerfd: a timer as a file (course section: the integrated event system).
 *
 * timerfd_settime arms a kernel timer (kernel/time/ktimer.c): first expiry at
 * it_value, then every it_interval. Each expiry adds to a count and wakes
 * the file's wait queue; read() returns the count of expirations since the
 * last read (8 bytes) and resets it. So a program that sleeps through five
 * periods learns it missed five. Like any file it can sit in an epoll set.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/fs/file.h"
#include "kernel/time/periodic_timer.h"
#include "kernel/syscall.h"
#include "libc/include/abi/events.h"
#include "libc/include/abi/time.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

struct timerfd {
	struct periodic_timer timer;
	uint64_t expirations;  /* since the last read */
	struct wait_queue wait;
};

static const struct file_ops timerfd_ops;

/* Runs in the timer interrupt. */
static void timerfd_expired(struct ktimer *timer)
{
	struct timerfd *t = timer->data;
	t->expirations += periodic_expired(&t->timer);
	wake_up(&t->wait, POLLIN | POLLRDNORM);
}

static ssize_t timerfd_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct timerfd *t = f->private;
	if (n < sizeof(uint64_t))
		return -EINVAL;
	if (t->expirations == 0 && (f->flags & O_NONBLOCK))
		return -EAGAIN;
	int err = wait_event_interruptible(&t->wait, t->expirations > 0);
	if (err)
		return err;
	uint64_t flags = irq_save(); /* the timer interrupt adds to the count */
	uint64_t count = t->expirations;
	t->expirations = 0;
	irq_restore(flags);
	return copy_to_user(buf, &count, sizeof(count)) ? -EFAULT : (ssize_t)sizeof(count);
}

static uint32_t timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *t = f->private;
	poll_wait(pt, &t->wait);
	return t->expirations ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *t = f->private;
	periodic_cancel(&t->timer);
	kfree(t);
}

static const struct file_ops timerfd_ops = {
	.read = timerfd_read,
	.anon_name = "[timerfd]",
	.poll = timerfd_poll,
	.release = timerfd_release,
};

static bool supported_clock(clockid_t c)
{
	return c == CLOCK_MONOTONIC || c == CLOCK_REALTIME || c == CLOCK_BOOTTIME;
}

long sys_timerfd_create(clockid_t clockid, int flags)
{
	if (!supported_clock(clockid) || (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)))
		return -EINVAL;
	struct timerfd *t = kzalloc(sizeof(*t));
	struct file *f = t ? file_alloc(&timerfd_ops, O_RDWR | (flags & TFD_NONBLOCK), t) : NULL;
	if (!f) {
		kfree(t);
		return -ENOMEM;
	}
	periodic_init(&t->timer, clockid, timerfd_expired, t);
	wait_queue_init(&t->wait);
	int fd = fd_install(f, 0, flags & TFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static struct timerfd *timerfd_of(int fd, long *err)
{
	struct file *f = fd_get(fd);
	*err = !f ? -EBADF : f->ops != &timerfd_ops ? -EINVAL : 0;
	return *err ? NULL : f->private;
}

long sys_timerfd_settime(int fd, int flags, const struct itimerspec __user *unew, struct itimerspec __user *uold)
{
	/* Linux's order: the new value, the flags and the value's fields, and
	 * only then the descriptor. */
	struct itimerspec new;
	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (!itimerspec_valid(&new))
		return -EINVAL;
	long err;
	struct timerfd *t = timerfd_of(fd, &err);
	if (!t)
		return err;
	struct itimerspec old = periodic_get(&t->timer);
	periodic_cancel(&t->timer); /* before the count is zeroed: the interrupt adds to it */
	t->expirations = 0;
	periodic_set(&t->timer, &new, flags & TFD_TIMER_ABSTIME);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(int fd, struct itimerspec __user *ucur)
{
	long err;
	struct timerfd *t = timerfd_of(fd, &err);
	if (!t)
		return err;
	struct itimerspec cur = periodic_get(&t->timer);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}
