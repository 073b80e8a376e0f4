/*
 * File leases: fcntl F_SETLEASE and F_GETLEASE (course sections: files;
 * signals; the integrated event system).
 *
 * A lease lets a process hold a file while nobody else wants it, and be
 * told the moment somebody does -- a file server caching a file for a
 * network client (Samba's "oplocks") is the use they were made for:
 *   - a read lease: told when someone opens the file for writing;
 *   - a write lease: told when someone opens it at all.
 * The opener does not fail: it waits. The holder gets a signal (SIGIO, or
 * F_SETSIG's, with si_code POLL_MSG), writes back what it cached, and gives
 * the lease up (F_UNLCK) or steps down to a read lease; then the open goes
 * on. An opener with O_NONBLOCK gets EWOULDBLOCK at once instead. A holder
 * that does not answer within /proc/sys/fs/lease-break-time seconds (45)
 * loses the lease anyway. While a lease is being broken, F_GETLEASE says
 * what it is being broken to.
 *
 * Rules, as Linux's: regular files only (EINVAL); only the file's owner or
 * CAP_LEASE (EACCES); a read lease only while nobody has the file open for
 * writing, a write lease only while nobody else has it open (EAGAIN). The
 * lease belongs to the open file and goes with its last close.
 * What this leaves out: truncate(2) by path does not break leases here.
 */
#include "kernel/fs/lease.h"
#include "kernel/cred/cred.h"
#include "kernel/events/fasync.h"
#include "kernel/events/wait.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "kernel/time/ktimer.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/fcntl.h"
#include "libc/include/abi/signal.h"
#include "mm/heap.h"

#define NOT_BREAKING (-1)
#define NS_PER_SEC 1000000000ull

long lease_break_time = 45; /* /proc/sys/fs/lease-break-time, seconds */

struct lease {
	struct list_node node; /* in the inode's lease_set */
	struct file *file;     /* the open file that holds it */
	int type;              /* F_RDLCK or F_WRLCK */
	int breaking_to;       /* NOT_BREAKING, or F_RDLCK / F_UNLCK */
};

/* An inode's leases, made with its first lease, freed with its last. */
struct lease_set {
	struct list_node leases;
	struct wait_queue wait; /* openers waiting for the holders */
	int waiters;            /* openers asleep on wait: the set stays while any are */
};

static void free_set_if_unused(struct inode *i)
{
	struct lease_set *set = i->leases;
	if (set && list_empty(&set->leases) && set->waiters == 0) {
		kfree(set);
		i->leases = NULL;
	}
}

static struct lease *lease_of(struct inode *i, const struct file *f)
{
	if (!i->leases)
		return NULL;
	struct list_node *n;
	list_for_each(n, &i->leases->leases) {
		struct lease *l = list_entry(n, struct lease, node);
		if (l->file == f)
			return l;
	}
	return NULL;
}

static void lease_remove(struct inode *i, struct lease *l)
{
	list_remove(&l->node);
	kfree(l);
	wake_up_all(&i->leases->wait);
	free_set_if_unused(i);
}

/* Does an open for writing (or any open, if writing is false) have to wait for l? */
static bool conflicts(const struct lease *l, bool writing)
{
	return l->type == F_WRLCK || writing;
}

/* Open for writing by anyone but f? Opened by anyone but f at all? */
static bool others_write(const struct inode *i, const struct file *f)
{
	return i->write_count > (file_writable(f) ? 1 : 0);
}

static long check_new_lease(struct inode *i, struct file *f, int type)
{
	if (type == F_RDLCK && (file_writable(f) || others_write(i, f)))
		return -EAGAIN;
	if (type == F_WRLCK && i->refs > 1)
		return -EAGAIN; /* another open file, or a mapping, holds the inode */
	if (!i->leases)
		return 0;
	struct list_node *n;
	list_for_each(n, &i->leases->leases) {
		const struct lease *l = list_entry(n, struct lease, node);
		if (l->file != f && (l->type == F_WRLCK || type == F_WRLCK))
			return -EAGAIN;
	}
	return 0;
}

static long lease_set_type(struct inode *i, struct file *f, int type)
{
	struct lease *l = lease_of(i, f);
	if (type == F_UNLCK) {
		if (l)
			lease_remove(i, l);
		return 0;
	}
	long err = check_new_lease(i, f, type);
	if (err)
		return err;
	if (!i->leases) {
		i->leases = kmalloc(sizeof(*i->leases));
		if (!i->leases)
			return -ENOMEM;
		list_init(&i->leases->leases);
		wait_queue_init(&i->leases->wait);
		i->leases->waiters = 0;
	}
	if (!l) {
		l = kmalloc(sizeof(*l));
		if (!l)
			return -ENOMEM;
		l->file = f;
		list_push_back(&i->leases->leases, &l->node);
	}
	l->type = type;
	l->breaking_to = NOT_BREAKING;
	wake_up_all(&i->leases->wait); /* a downgrade may be what an opener waits for */
	/* The holder is told: its process becomes the file's owner if it has none. */
	if (!fasync_owner(f))
		fasync_set_owner(f, task_tgid(current));
	return 0;
}

long lease_set(struct file *f, unsigned long type)
{
	struct inode *i = f->inode;
	if (!i || !inode_is_reg(i) || i->dev_ops)
		return -EINVAL;
	if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK)
		return -EINVAL;
	if (current_cred()->fsuid != i->uid && !capable(CAP_LEASE))
		return -EACCES;
	return lease_set_type(i, f, (int)type);
}

long lease_get(struct file *f)
{
	const struct lease *l = f->inode ? lease_of(f->inode, f) : NULL;
	if (!l)
		return F_UNLCK;
	return l->breaking_to != NOT_BREAKING ? l->breaking_to : l->type;
}

/* --- breaking ---------------------------------------------------------------------- */

static bool any_conflict(const struct inode *i, bool writing)
{
	if (!i->leases)
		return false;
	struct list_node *n;
	list_for_each(n, &i->leases->leases)
		if (conflicts(list_entry(n, struct lease, node), writing))
			return true;
	return false;
}

/* Tell every holder in the way; an F_UNLCK target overrides a downgrade. */
static void start_breaking(struct inode *i, bool writing)
{
	struct list_node *n;
	list_for_each(n, &i->leases->leases) {
		struct lease *l = list_entry(n, struct lease, node);
		int target = writing ? F_UNLCK : F_RDLCK;
		if (!conflicts(l, writing) || l->breaking_to == target || l->breaking_to == F_UNLCK)
			continue;
		l->breaking_to = target;
		fasync_notify(l->file, POLL_MSG);
	}
}

/* The holders did not answer in time: the leases go to their targets. */
static void force_break(struct inode *i, bool writing)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &i->leases->leases) {
		struct lease *l = list_entry(n, struct lease, node);
		if (!conflicts(l, writing))
			continue;
		if (l->breaking_to == F_RDLCK && !writing) {
			l->type = F_RDLCK; /* a write lease stepped down to a read lease */
			l->breaking_to = NOT_BREAKING;
		} else {
			list_remove(&l->node);
			kfree(l);
		}
	}
}

static void break_timer_fired(struct ktimer *t)
{
	wake_up_all(t->data);
}

long lease_break(struct inode *i, unsigned open_flags)
{
	bool writing = (open_flags & O_ACCMODE) != O_RDONLY || (open_flags & O_TRUNC);
	if (!any_conflict(i, writing))
		return 0;
	start_breaking(i, writing);
	if (open_flags & O_NONBLOCK)
		return -EWOULDBLOCK;
	uint64_t deadline = clock_monotonic_ns() + (uint64_t)lease_break_time * NS_PER_SEC;
	struct lease_set *set = i->leases;
	struct ktimer timer;
	ktimer_init(&timer, break_timer_fired, &set->wait);
	ktimer_start(&timer, deadline);
	set->waiters++; /* the set (and its queue) stays while we sleep on it */
	int err = wait_event_interruptible(&set->wait, !any_conflict(i, writing) || clock_monotonic_ns() >= deadline);
	ktimer_cancel(&timer);
	set->waiters--;
	if (!err && any_conflict(i, writing))
		force_break(i, writing);
	free_set_if_unused(i);
	return err;
}

void lease_file_closed(struct file *f)
{
	struct lease *l = f->inode ? lease_of(f->inode, f) : NULL;
	if (l)
		lease_remove(f->inode, l);
}
