/*
 * epoll (course section: the integrated event system).
 *
 * The one readiness mechanism, seen from epoll. Every kind of file -- pipe,
 * console, eventfd, timerfd, signalfd, an epoll set itself -- has a poll
 * operation that answers "which of POLLIN, POLLOUT, POLLHUP, POLLERR are
 * true now?" and, given a poll table, hooks a waiter onto each wait queue
 * whose wake-up could change that answer. The writer of a pipe, the
 * eventfd's write, the timer interrupt: each calls wake_up() on its queue,
 * and that one call wakes whoever is there -- a task blocked in read(), a
 * poll() (kernel/events/poll.c), or an epoll item (here).
 *
 * poll() hooks its waiters at each call and unhooks them at return: its cost
 * grows with the number of files. epoll keeps them: each watched file gets
 * an `epitem` whose waiter stays on the file's queue. When the queue is
 * woken, ep_wake() puts the item on the epoll's ready list and wakes the
 * epoll's own queue. epoll_wait() looks only at that list, asking each
 * item's file again (its poll operation, without a table) whether it really
 * is ready: its cost grows with the number of *ready* files.
 *
 * Level-triggered (the default): an item stays on the ready list as long as
 * its file says it is ready, so it is reported at every epoll_wait.
 * EPOLLET (edge-triggered): reported once per wake-up, i.e. once per change.
 * EPOLLONESHOT: reported once, then disarmed until EPOLL_CTL_MOD re-arms it.
 * Closing a file (its last reference) removes it from every epoll set.
 *
 * ep_wake() can run in an interrupt (a timerfd expiring, a key pressed), so
 * the ready list is only touched with interrupts off (irq_save).
 */
#include "kernel/events/epoll.h"
#include "arch/x86_64/cpu.h"
#include "kernel/events/epoll_index.h"
#include "kernel/fs/file.h"
#include "kernel/events/poll.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/events.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define EP_FLAGS (EPOLLET | EPOLLONESHOT | EPOLLWAKEUP | EPOLLEXCLUSIVE)
#define EP_MAX_EVENTS (INT32_MAX / (int)sizeof(struct epoll_event))
#define EP_MAX_NESTING 4

struct eventpoll {
	struct list_node items;  /* every watched file */
	struct ep_index index;   /* the same items, by (file, fd): found in O(1) */
	struct list_node ready;  /* items whose file may be ready */
	struct wait_queue wait;  /* epoll_wait sleepers, and pollers of the epoll fd */
	struct file *file;       /* the epoll file itself (not a reference) */
	unsigned walk;           /* the nesting walk that last measured `levels` */
	int levels;              /* what that walk found (see nesting_below) */
};

struct epitem {
	struct list_node node;      /* in ep->items */
	struct ep_index_node key;   /* (file, fd), in ep->index (kernel/events/epoll_index.c) */
	struct list_node ready;     /* in ep->ready, or linked to itself */
	struct list_node file_link; /* in file->epoll_links */
	struct eventpoll *ep;
	struct file *file;          /* not a reference: closing the file removes the item */
	int fd;
	uint32_t events;            /* the interest (see interest_of), with EPOLLET etc. */
	uint64_t data;
	struct file_hooks hooks;    /* on the file's wait queues */
};

static const struct file_ops epoll_ops;

static bool is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

/* Put the item on its epoll's ready list, and wake the epoll's sleepers
 * (and pollers of the epoll fd: an epoll set is a file too). */
static void mark_ready(struct epitem *item)
{
	uint64_t flags = irq_save();
	if (list_empty(&item->ready))
		list_push_back(&item->ep->ready, &item->ready);
	irq_restore(flags);
	wake_up(&item->ep->wait, POLLIN | POLLRDNORM);
}

/* A watched file's queue was woken: the heart of epoll. */
static void ep_wake(struct waiter *w, uint32_t events)
{
	struct epitem *item = w->data;
	uint32_t interest = item->events & ~EP_FLAGS; /* 0: disarmed by EPOLLONESHOT */
	if (events & interest)
		mark_ready(item);
}

/* What the item's file says is ready, of what the item is interested in. */
static uint32_t item_poll(struct epitem *item)
{
	return file_poll(item->file, NULL) & item->events & ~EP_FLAGS;
}

/* The interest an ADD or MOD sets: what the program asked for, and always
 * EPOLLERR and EPOLLHUP (as in poll, they need not be asked for). */
static uint32_t interest_of(const struct epoll_event *ev)
{
	return ev->events | EPOLLERR | EPOLLHUP;
}

static void item_free(struct epitem *item)
{
	file_hooks_remove(&item->hooks);
	uint64_t flags = irq_save();
	list_remove(&item->ready);
	irq_restore(flags);
	ep_index_remove(&item->ep->index, &item->key);
	list_remove(&item->node);
	list_remove(&item->file_link);
	kfree(item);
}

void epoll_file_closed(struct file *f)
{
	struct list_node *n, *tmp;
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
	uint32_t events = 0;
	uint64_t flags = irq_save();
	struct list_node *n;
	list_for_each(n, &ep->ready) {
		if (item_poll(list_entry(n, struct epitem, ready))) {
			events = POLLIN | POLLRDNORM;
			break;
		}
	}
	irq_restore(flags);
	return events;
}

static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->private;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &ep->items)
		item_free(list_entry(n, struct epitem, node));
	ep_index_free(&ep->index);
	kfree(ep);
}

static const struct file_ops epoll_ops = {
	.anon_name = "[eventpoll]",
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
	ep->file = f;
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
	struct ep_index_node *n = ep_index_find(&ep->index, f, fd);
	return n ? container_of(n, struct epitem, key) : NULL;
}

/*
 * Epoll sets inside epoll sets. A wake-up climbs the nesting (ep_wake ->
 * mark_ready -> wake_up of the set above -> ep_wake...), on the kernel
 * stack, so the nesting must stay shallow and free of loops: as in Linux,
 * a chain may hold at most EP_MAX_NESTING links, and EPOLL_CTL_ADD of a set
 * that would make it longer, or make a loop, fails with ELOOP.
 *
 * Each walk has a number; a set visited twice in one walk (there can be
 * many paths to it) answers from its note of the first visit.
 */
static unsigned nesting_walk;

/* The longest chain of epoll sets below ep (0: it holds none), or more than
 * EP_MAX_NESTING if `into` is among them (a loop) or they go too deep. */
static int nesting_below(struct eventpoll *ep, struct eventpoll *into, int depth)
{
	if (ep->walk == nesting_walk)
		return ep->levels;
	int levels = 0;
	struct list_node *n;
	list_for_each(n, &ep->items) {
		struct epitem *item = list_entry(n, struct epitem, node);
		if (!is_epoll(item->file))
			continue;
		struct eventpoll *below = item->file->private;
		int l = (below == into || depth >= EP_MAX_NESTING) ? EP_MAX_NESTING + 1
								   : nesting_below(below, into, depth + 1) + 1;
		levels = MAX(levels, l);
		if (levels > EP_MAX_NESTING)
			break;
	}
	ep->walk = nesting_walk;
	ep->levels = levels;
	return levels;
}

/* The longest chain of epoll sets above ep: sets watching it, and so on. */
static int nesting_above(struct eventpoll *ep, int depth)
{
	if (ep->walk == nesting_walk)
		return ep->levels;
	int levels = 0;
	struct list_node *n;
	list_for_each(n, &ep->file->epoll_links) {
		struct eventpoll *above = list_entry(n, struct epitem, file_link)->ep;
		int l = depth >= EP_MAX_NESTING ? EP_MAX_NESTING + 1 : nesting_above(above, depth + 1) + 1;
		levels = MAX(levels, l);
	}
	ep->walk = nesting_walk;
	ep->levels = levels;
	return levels;
}

/* May the epoll set `target` go inside `ep`? */
static bool nesting_allowed(struct eventpoll *ep, struct eventpoll *target)
{
	nesting_walk++;
	int below = nesting_below(target, ep, 0);
	if (below > EP_MAX_NESTING)
		return false;
	nesting_walk++;
	return below + 1 + nesting_above(ep, 0) <= EP_MAX_NESTING;
}

/* `existing`: the item epoll_ctl found for (f, fd), if any. */
static int ep_add(struct eventpoll *ep, struct file *f, int fd, const struct epoll_event *ev,
		  const struct epitem *existing)
{
	if (is_epoll(f) && !nesting_allowed(ep, f->private))
		return -ELOOP; /* checked first, as in Linux */
	if (existing)
		return -EEXIST;
	struct epitem *item = kzalloc(sizeof(*item));
	if (!item)
		return -ENOMEM;
	item->ep = ep;
	item->file = f;
	item->fd = fd;
	item->events = interest_of(ev);
	item->data = ev->data.u64;
	item->key = (struct ep_index_node){ NULL, f, fd };
	if (ep_index_add(&ep->index, &item->key)) {
		kfree(item);
		return -ENOMEM;
	}
	list_init(&item->ready);
	list_push_back(&ep->items, &item->node);
	list_push_back(&f->epoll_links, &item->file_link);
	/* The first poll hooks the item onto the file's queues. */
	if (file_hooks_add(&item->hooks, f, ep_wake, item) & item->events & ~EP_FLAGS)
		mark_ready(item);
	return 0;
}

static int ep_modify(struct epitem *item, const struct epoll_event *ev)
{
	item->events = interest_of(ev);
	item->data = ev->data.u64;
	if (item_poll(item))
		mark_ready(item);
	return 0;
}

/*
 * EPOLLEXCLUSIVE (wake only one of several epoll sets watching a file; we
 * accept it and wake them all, which is allowed) is a flag for ADD only,
 * with plain in/out interest, and not on an epoll file. Linux says EINVAL
 * otherwise, and so do we.
 */
#define EP_EXCLUSIVE_OK (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

static bool exclusive_allowed(int op, struct file *f, uint32_t events)
{
	if (op == EPOLL_CTL_DEL || !(events & EPOLLEXCLUSIVE))
		return true;
	return op == EPOLL_CTL_ADD && !is_epoll(f) && !(events & ~EP_EXCLUSIVE_OK);
}

long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event __user *uevent)
{
	/* The checks in Linux's order, so each bad call gets Linux's errno. */
	struct epoll_event ev = { 0, { 0 } };
	if ((op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	struct file *epf = fd_get(epfd);
	struct file *f = fd_get(fd);
	if (!epf || !f || (f->flags & O_PATH) || (epf->flags & O_PATH))
		return -EBADF; /* an O_PATH descriptor is a name, not an open file */
	if (!f->ops->poll)
		return -EPERM; /* regular files and directories are always ready */
	if (!is_epoll(epf) || f == epf)
		return -EINVAL;
	if (!exclusive_allowed(op, f, ev.events))
		return -EINVAL;
	struct eventpoll *ep = epf->private;
	struct epitem *item = find_item(ep, f, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		return ep_add(ep, f, fd, &ev, item);
	case EPOLL_CTL_MOD:
		if (!item)
			return -ENOENT;
		if (item->events & EPOLLEXCLUSIVE)
			return -EINVAL; /* its settings are fixed at ADD */
		return ep_modify(item, &ev);
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

/* Move every node of list `from` to the back of list `to`. */
static void list_splice_back(struct list_node *from, struct list_node *to)
{
	while (!list_empty(from)) {
		struct list_node *n = from->next;
		list_remove(n);
		list_push_back(to, n);
	}
}

/* The first item on the ready list, taken off it; NULL if it is empty. */
static struct epitem *take_ready(struct eventpoll *ep)
{
	struct epitem *item = NULL;
	uint64_t flags = irq_save();
	if (!list_empty(&ep->ready)) {
		item = list_first(&ep->ready, struct epitem, ready);
		list_remove(&item->ready);
	}
	irq_restore(flags);
	return item;
}

/*
 * Report up to max ready items straight into the program's array; returns
 * how many, or -EFAULT. The work is in the ready list's length, not in max:
 * with room for 1,024 events and one ready file, one item is looked at.
 * Each item taken off the list is asked again whether it is ready (it may
 * have been read since it was woken). A reported level-triggered item goes
 * back on the list -- behind the ones not reported this time, so that with
 * a small maxevents every ready file gets its turn. An event that cannot
 * be copied (an unmapped buffer) goes back on the list as it was, so no
 * edge-triggered or one-shot event is lost; what was copied before it is
 * the result, as in Linux. The list is touched only with interrupts off
 * (ep_wake runs in interrupts); the copies are made with them on.
 */
static int send_events(struct eventpoll *ep, struct epoll_event __user *uevents, int max)
{
	struct list_node again;
	list_init(&again);
	int count = 0;
	struct epitem *item;
	while (count < max && (item = take_ready(ep))) {
		uint32_t revents = item_poll(item);
		if (!revents)
			continue; /* woken, but no longer ready */
		struct epoll_event ev = { .events = revents, .data.u64 = item->data };
		if (copy_to_user(&uevents[count], &ev, sizeof(ev))) {
			mark_ready(item);
			if (!count)
				count = -EFAULT;
			break;
		}
		count++;
		if (item->events & EPOLLONESHOT) {
			item->events &= EP_FLAGS; /* disarmed until EPOLL_CTL_MOD */
		} else if (!(item->events & EPOLLET)) {
			uint64_t flags = irq_save(); /* still ready next time? we'll ask */
			if (list_empty(&item->ready))
				list_push_back(&again, &item->ready);
			irq_restore(flags);
		}
	}
	uint64_t flags = irq_save();
	list_splice_back(&again, &ep->ready);
	irq_restore(flags);
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
	long result = send_events(ep, uevents, maxevents);
	if (result || deadline == 0)
		return result; /* the usual case allocates nothing and hooks nothing */
	/* Sleep on the epoll's own queue, which every mark_ready() wakes. Hook
	 * on before looking at the ready list again: an item made ready
	 * between the look and the hooking would otherwise be a lost wake-up. */
	file_get(f); /* the fd may be closed while we sleep */
	struct poll_wait_set set;
	poll_wait_init(&set);
	poll_wait(poll_wait_table(&set), &ep->wait);
	for (;;) {
		result = send_events(ep, uevents, maxevents);
		if (result)
			break;
		int err = poll_wait_sleep(&set, deadline);
		if (err) {
			result = err == -ETIMEDOUT ? 0 : err;
			break;
		}
	}
	poll_wait_free(&set);
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
