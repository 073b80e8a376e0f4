/*
 * eventfd: a counter as a file (course section: eventfd communication).
 *
 * The smallest channel between processes (or from the kernel to a
 * process): an 8-byte counter. write(fd, &n, 8) adds n; read(fd, &v, 8)
 * returns the counter and resets it to zero -- or, with EFD_SEMAPHORE,
 * returns 1 and decrements it. A read of a zero counter blocks, and so does
 * a write that would take it past 0xfffffffffffffffe. Because it is a file
 * with a poll operation, a program can wait for it in poll or epoll
 * alongside pipes and timers: that is its point.
 */
#include "kernel/fs/file.h"
#include "kernel/syscall.h"
#include "libc/include/abi/events.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define EVENTFD_MAX 0xfffffffffffffffeull

struct eventfd {
	uint64_t count;
	bool semaphore;
	struct wait_queue wait;
};

static ssize_t eventfd_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct eventfd *e = f->private;
	if (n < sizeof(uint64_t))
		return -EINVAL;
	if (e->count == 0 && (f->flags & O_NONBLOCK))
		return -EAGAIN;
	int err = wait_event_interruptible(&e->wait, e->count > 0);
	if (err)
		return err;
	uint64_t value = e->semaphore ? 1 : e->count;
	if (copy_to_user(buf, &value, sizeof(value)))
		return -EFAULT;
	e->count -= value;
	wake_up(&e->wait, POLLOUT | POLLWRNORM);
	return sizeof(value);
}

static ssize_t eventfd_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct eventfd *e = f->private;
	uint64_t value;
	if (n < sizeof(value))
		return -EINVAL;
	if (copy_from_user(&value, buf, sizeof(value)))
		return -EFAULT;
	if (value == UINT64_MAX)
		return -EINVAL;
	if (value > EVENTFD_MAX - e->count && (f->flags & O_NONBLOCK))
		return -EAGAIN;
	int err = wait_event_interruptible(&e->wait, value <= EVENTFD_MAX - e->count);
	if (err)
		return err;
	e->count += value;
	/* Even a write of 0 is an event, as on Linux: an edge-triggered epoll
	 * watcher hears of every write. */
	wake_up(&e->wait, POLLIN | POLLRDNORM);
	return sizeof(value);
}

static uint32_t eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->private;
	poll_wait(pt, &e->wait);
	uint32_t events = 0;
	if (e->count > 0)
		events |= POLLIN | POLLRDNORM;
	if (e->count < EVENTFD_MAX)
		events |= POLLOUT | POLLWRNORM;
	return events;
}

static void eventfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.anon_name = "[eventfd]",
	.poll = eventfd_poll,
	.release = eventfd_release,
};

long sys_eventfd2(unsigned int initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct eventfd *e = kzalloc(sizeof(*e));
	struct file *f = e ? file_alloc(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK), e) : NULL;
	if (!f) {
		kfree(e);
		return -ENOMEM;
	}
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	wait_queue_init(&e->wait);
	int fd = fd_install(f, 0, flags & EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_eventfd(unsigned int initval)
{
	return sys_eventfd2(initval, 0);
}
