/*
 * epoll (course section: the integrated event system).
 *
 * poll() registers on every file's wait queues at each call and forgets
 * them at return: its cost grows with the number of files. epoll keeps the
 * registrations: each watched file gets an `epitem` whose waiter sits on
 * the file's wait queue permanently. When the queue is woken -- the same
 * wake_up() that a blocking read would get -- ep_wake() puts the item on
 * the epoll's ready list. epoll_wait() only looks at that list: its cost
 * grows with the number of *ready* files.
 *
 * Level-triggered (the default): an item stays on the ready list as long
 * as its file's poll operation says it is ready, so it is reported at each
 * epoll_wait. EPOLLET (edge-triggered): an item is reported once per
 * wake-up, i.e. once per change. EPOLLONESHOT: reported once, then
 * disarmed until EPOLL_CTL_MOD re-arms it. Closing a file removes it from
 * every epoll set that watches it.
 */
#include "kernel/epoll.h"
#include "kernel/file.h"
#include "kernel/poll.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "libc/include/abi/events.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define EP_FLAGS (EPOLLET | EPOLLONESHOT | EPOLLWAKEUP | EPOLLEXCLUSIVE)
#define EP_MAX_EVENTS (INT32_MAX / (int)sizeof(struct epoll_event))
#define EP_MAX_NESTING 4

struct eventpoll {
	struct list_node items;  /* every watched file */
	struct list_node ready;  /* items whose file may be ready */
	struct wait_queue wait;  /* epoll_wait sleepers, and pollers of the epoll fd */
};

struct epitem {
	struct list_node node;      /* in ep->items */
	struct list_node ready;     /* in ep->ready, or linked to itself */
	struct list_node file_link; /* in file->epoll_links */
	struct eventpoll *ep;
	struct file *file;          /* not a reference: closing the file removes the item */
	int fd;
	uint32_t events;            /* what the program asked for, with EPOLLET etc. */
	uint64_t data;
	struct waiter waiters[2];   /* a file puts us on at most two queues */
	int nwaiters;
};

static const struct file_ops epoll_ops;

static bool is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

static void mark_ready(struct epitem *item)
{
	if (list_empty(&item->ready))
		list_push_back(&item->ep->ready, &item->ready);
	wake_up(&item->ep->wait, POLLIN | POLLRDNORM);
}

/* A watched file's queue was woken: the heart of epoll. */
static void ep_wake(struct waiter *w, uint32_t events)
{
	struct epitem *item = w->data;
	uint32_t interest = item->events & ~EP_FLAGS;
	if (interest == 0)
		return; /* disarmed by EPOLLONESHOT */
	if (events & (interest | EPOLLERR | EPOLLHUP))
		mark_ready(item);
}

struct ep_queue {
	struct poll_table pt;
	struct epitem *item;
};

static void ep_register(struct poll_table *pt, struct wait_queue *wq)
{
	struct epitem *item = container_of(pt, struct ep_queue, pt)->item;
	if (item->nwaiters == 2)
		return;
	struct waiter *w = &item->waiters[item->nwaiters++];
	waiter_init(w, ep_wake, item);
	wait_queue_add(wq, w);
}

static uint32_t item_poll(struct epitem *item, struct poll_table *pt)
{
	return file_poll(item->file, pt) & ((item->events & ~EP_FLAGS) | EPOLLERR | EPOLLHUP);
}

static void item_free(struct epitem *item)
{
	for (int i = 0; i < item->nwaiters; i++)
		wait_queue_remove(&item->waiters[i]);
	list_remove(&item->node);
	list_remove(&item->ready);
	list_remove(&item->file_link);
	kfree(item);
}

void epoll_file_closed(struct file *f)
{
	list_for_each_safe(n, tmp, &f->epoll_links)
		item_free(list_entry(n, struct epitem, file_link));
}

/* --- the epoll file itself ------------------------------------------------------ */

/* Is any item really ready? (The ready list may hold items that were
 * woken but are no longer ready: a level check settles it.) */
static uint32_t epoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->private;
	poll_wait(pt, &ep->wait);
	list_for_each(n, &ep->ready)
		if (item_poll(list_entry(n, struct epitem, ready), NULL))
			return POLLIN | POLLRDNORM;
	return 0;
}

static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->private;
	list_for_each_safe(n, tmp, &ep->items)
		item_free(list_entry(n, struct epitem, node));
	kfree(ep);
}

static const struct file_ops epoll_ops = {
	.poll = epoll_poll,
	.release = epoll_release,
};

long sys_epoll_create1(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = kzalloc(sizeof(*ep));
	struct file *f = ep ? file_alloc(&epoll_ops, O_RDWR, ep) : NULL;
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	list_init(&ep->items);
	list_init(&ep->ready);
	wait_queue_init(&ep->wait);
	int fd = fd_install(f, 0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL; /* ignored since Linux 2.6.8, but must be positive */
	return sys_epoll_create1(0);
}

/* --- epoll_ctl ------------------------------------------------------------------- */

static struct epitem *find_item(struct eventpoll *ep, struct file *f, int fd)
{
	list_for_each(n, &ep->items) {
		struct epitem *item = list_entry(n, struct epitem, node);
		if (item->file == f && item->fd == fd)
			return item;
	}
	return NULL;
}

/* Would watching `target` (an epoll file) from `ep` make a cycle? */
static bool reaches(struct file *target, struct eventpoll *ep, int depth)
{
	if (depth > EP_MAX_NESTING)
		return true;
	struct eventpoll *tep = target->private;
	if (tep == ep)
		return true;
	list_for_each(n, &tep->items) {
		struct epitem *item = list_entry(n, struct epitem, node);
		if (is_epoll(item->file) && reaches(item->file, ep, depth + 1))
			return true;
	}
	return false;
}

static int ep_add(struct eventpoll *ep, struct file *f, int fd, const struct epoll_event *ev)
{
	if (find_item(ep, f, fd))
		return -EEXIST;
	if (is_epoll(f) && reaches(f, ep, 0))
		return -ELOOP;
	struct epitem *item = kzalloc(sizeof(*item));
	if (!item)
		return -ENOMEM;
	item->ep = ep;
	item->file = f;
	item->fd = fd;
	item->events = ev->events;
	item->data = ev->data.u64;
	list_init(&item->ready);
	list_push_back(&ep->items, &item->node);
	list_push_back(&f->epoll_links, &item->file_link);
	/* The first poll registers our waiters on the file's queues. */
	struct ep_queue q = { { ep_register }, item };
	if (item_poll(item, &q.pt))
		mark_ready(item);
	return 0;
}

static int ep_modify(struct epitem *item, const struct epoll_event *ev)
{
	item->events = ev->events;
	item->data = ev->data.u64;
	if (item_poll(item, NULL))
		mark_ready(item);
	return 0;
}

long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event __user *uevent)
{
	/* The checks in Linux's order, so each bad call gets Linux's errno. */
	struct epoll_event ev = { 0, { 0 } };
	if ((op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	struct file *epf = fd_get(epfd);
	struct file *f = fd_get(fd);
	if (!epf || !f)
		return -EBADF;
	if (!f->ops->poll)
		return -EPERM; /* regular files and directories are always ready */
	if (!is_epoll(epf) || f == epf)
		return -EINVAL;
	struct eventpoll *ep = epf->private;
	struct epitem *item = find_item(ep, f, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		return ep_add(ep, f, fd, &ev);
	case EPOLL_CTL_MOD:
		return item ? ep_modify(item, &ev) : -ENOENT;
	case EPOLL_CTL_DEL:
		if (!item)
			return -ENOENT;
		item_free(item);
		return 0;
	default:
		return -EINVAL;
	}
}

/* --- epoll_wait ---------------------------------------------------------------------- */

/* Report up to max ready items into ev[]; returns how many. */
static int collect(struct eventpoll *ep, struct epoll_event *ev, int max)
{
	struct list_node batch;
	list_init(&batch);
	/* Take the whole ready list; level-triggered items go back as we go. */
	while (!list_empty(&ep->ready)) {
		struct list_node *n = ep->ready.next;
		list_remove(n);
		list_push_back(&batch, n);
	}
	int count = 0;
	while (!list_empty(&batch)) {
		struct epitem *item = list_first(&batch, struct epitem, ready);
		list_remove(&item->ready);
		if (count == max) {
			list_push_back(&ep->ready, &item->ready); /* for the next call */
			continue;
		}
		uint32_t revents = item_poll(item, NULL);
		if (!revents)
			continue; /* woken, but no longer ready */
		ev[count].events = revents;
		ev[count].data.u64 = item->data;
		count++;
		if (item->events & EPOLLONESHOT)
			item->events &= EP_FLAGS; /* disarmed until EPOLL_CTL_MOD */
		else if (!(item->events & EPOLLET))
			list_push_back(&ep->ready, &item->ready); /* still ready? we'll look again */
	}
	return count;
}

static long do_epoll_wait(int epfd, struct epoll_event __user *uevents, int maxevents, uint64_t deadline)
{
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(uevents, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *f = fd_get(epfd);
	if (!f)
		return -EBADF;
	if (!is_epoll(f))
		return -EINVAL;
	struct eventpoll *ep = f->private;
	file_get(f); /* the fd may be closed while we sleep */
	int n = MIN(maxevents, 1024);
	struct epoll_event *ev = kmalloc(sizeof(*ev) * n);
	long result = ev ? 0 : -ENOMEM;
	struct poll_wait_set set = { NULL };
	while (ev) {
		result = collect(ep, ev, n);
		if (result || deadline == 0)
			break;
		if (!set.impl) {
			poll_wait_init(&set);
			poll_wait(poll_wait_table(&set), &ep->wait);
		}
		int err = set.impl ? poll_wait_sleep(&set, deadline) : -ENOMEM;
		if (err) {
			result = err == -ETIMEDOUT ? 0 : err == -EINTR ? -EINTR : err;
			break;
		}
	}
	poll_wait_free(&set);
	if (result > 0 && copy_to_user(uevents, ev, sizeof(*ev) * result))
		result = -EFAULT;
	kfree(ev);
	file_put(f);
	return result;
}

long sys_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, int timeout)
{
	return do_epoll_wait(epfd, events, maxevents, timeout == 0 ? 0 : poll_deadline_ms(timeout));
}

long sys_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, int timeout,
		     const kernel_sigset_t __user *sigmask, size_t sigsetsize)
{
	int err = set_temporary_sigmask(sigmask, sigsetsize);
	if (err)
		return err;
	return sys_epoll_wait(epfd, events, maxevents, timeout);
}
