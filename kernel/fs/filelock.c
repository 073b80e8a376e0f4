/*
 * Advisory file locks (course section: files; processes that share files).
 *
 * Two processes that update one file must take turns, and a lock is how
 * they agree whose turn it is. "Advisory" means the kernel does not stop
 * a read or write; it only answers "may I?" to programs that ask. Linux has
 * three kinds, and so does sysgate:
 *
 *   fcntl F_SETLK      a byte range, held by the PROCESS (its descriptor
 *                      table). Not inherited by fork. Lost when the process
 *                      closes ANY descriptor of the file -- POSIX's famous
 *                      trap, kept because programs and tests rely on it.
 *   fcntl F_OFD_SETLK  a byte range, held by the OPEN FILE (the description
 *                      open() made, shared by dup and fork). Lost when its
 *                      last descriptor closes. Conflicts with F_SETLK locks.
 *   flock              the whole file, held by the open file too; a space
 *                      of its own that never meets the byte-range locks.
 *
 * A read lock (shared) may overlap other read locks; a write lock
 * (exclusive) overlaps nothing of another owner. An owner's own locks never
 * conflict: setting one replaces, splits or merges what it already holds,
 * so F_GETLK shows one lock for two adjacent ranges of the same type.
 *
 * F_SETLKW, F_OFD_SETLKW and flock without LOCK_NB wait on the file's
 * queue until the conflict is gone; every unlock wakes the queue. A signal
 * interrupts the wait (EINTR, or a restart under SA_RESTART). A process
 * that would wait for a lock held by a process that waits for one of its
 * own gets EDEADLK instead of sleeping forever.
 *
 * Locks hang on the inode, so every open file of it sees them; a file
 * with no inode (a pipe end, an eventfd) has a list of its own.
 */
#include "kernel/fs/filelock.h"
#include "kernel/fs/file.h"
#include "kernel/fs/procfs.h"
#include "kernel/proc/sched.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/seek.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define OFFSET_MAX INT64_MAX /* a lock "to the end of the file, however far" ends here */
#define MAX_DEADLOCK_STEPS 10 /* how far the wait-for chain is followed (Linux's depth) */
/* Every lock is kernel memory a program asks for: one that locks every
 * other byte of a file could take it all. Past this many locks in the
 * whole system, setting one more fails with ENOLCK. (Linux leaves this to
 * its memory accounting.) */
#define MAX_FILE_LOCKS 16384

enum lock_flavour { FL_POSIX, FL_OFD, FL_FLOCK };

struct file_lock {
	struct list_node node;      /* on its lock space */
	struct list_node all;       /* on all_locks, for /proc/locks */
	enum lock_flavour flavour;
	const void *owner;          /* FL_POSIX: the fd table; FL_OFD, FL_FLOCK: the file */
	pid_t pid;                  /* the process that set it */
	short type;                 /* F_RDLCK or F_WRLCK */
	int64_t start, end;         /* bytes start..end, both included */
	unsigned long ino;          /* for /proc/locks */
	unsigned dev;
};

/* The locks of one inode (or of one inode-less file), and who waits. */
struct lock_space {
	struct list_node locks;
	struct wait_queue waiters;
};

static struct list_node all_locks = LIST_INIT(all_locks);
static unsigned lock_count;

/* --- where the locks of a file live ------------------------------------------------------ */

/* The file's lock space; made on first use when `create`. NULL if there is
 * none (nothing was ever locked) or no memory. */
static struct lock_space *space_of(struct file *f, bool create)
{
	struct lock_space *s = file_lock_space(f);
	if (s || !create)
		return s;
	s = kmalloc(sizeof(*s));
	if (!s)
		return NULL;
	list_init(&s->locks);
	wait_queue_init(&s->waiters);
	if (f->inode)
		f->inode->locks = s;
	else
		f->locks = s;
	return s;
}

/* The last lock of a file went and nobody waits: give its space back, so
 * that a file that lives for ever (/dev/null, the console) keeps nothing
 * from having been locked once. (The kernel does not preempt itself, so a
 * waiter that has just left the queue is done with the space too.) */
static void space_release_if_unused(struct file *f)
{
	struct lock_space *s = file_lock_space(f);
	if (!s || !list_empty(&s->locks) || !list_empty(&s->waiters.waiters))
		return;
	kfree(s);
	if (f->inode)
		f->inode->locks = NULL;
	else
		f->locks = NULL;
}

static struct file_lock *lock_new(const struct file_lock *pattern)
{
	struct file_lock *l = kmalloc(sizeof(*l));
	if (l)
		*l = *pattern;
	return l;
}

/* Kept in order of their first byte, so F_GETLK reports the lowest lock in
 * the way, as Linux does for one owner's locks. */
static void lock_insert(struct lock_space *s, struct file_lock *l)
{
	struct list_node *before = &s->locks;
	struct list_node *n;
	list_for_each(n, &s->locks) {
		if (list_entry(n, struct file_lock, node)->start > l->start) {
			before = n;
			break;
		}
	}
	list_add_before(before, &l->node);
	list_add_after(&all_locks, &l->all); /* newest first, as Linux lists them */
	lock_count++;
}

/* Room for `n` more locks under MAX_FILE_LOCKS? */
static bool room_for(unsigned n)
{
	return lock_count + n <= MAX_FILE_LOCKS;
}

static void lock_free(struct file_lock *l)
{
	list_remove(&l->node);
	list_remove(&l->all);
	lock_count--;
	kfree(l);
}

/* --- conflicts ------------------------------------------------------------------------------ */

static bool byte_range(const struct file_lock *l)
{
	return l->flavour != FL_FLOCK;
}

static bool overlap(const struct file_lock *a, const struct file_lock *b)
{
	return a->start <= b->end && b->start <= a->end;
}

static bool same_owner(const struct file_lock *a, const struct file_lock *b)
{
	return a->owner == b->owner && byte_range(a) == byte_range(b);
}

static bool conflicts(const struct file_lock *held, const struct file_lock *want)
{
	return byte_range(held) == byte_range(want) && !same_owner(held, want) && overlap(held, want) &&
	       (held->type == F_WRLCK || want->type == F_WRLCK);
}

static struct file_lock *find_conflict(struct lock_space *s, const struct file_lock *want)
{
	if (!s || want->type == F_UNLCK)
		return NULL;
	struct list_node *n;
	list_for_each(n, &s->locks) {
		struct file_lock *l = list_entry(n, struct file_lock, node);
		if (conflicts(l, want))
			return l;
	}
	return NULL;
}

/* --- waiting, and deadlock ------------------------------------------------------------------ */

/* What the process owning descriptor table `owner` is waiting for: the
 * owner of the lock in its way, or NULL if it is not waiting. */
static const void *owner_waits_for(const void *owner)
{
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->lock_blocker && t->files == owner)
			return t->lock_blocker;
	}
	return NULL;
}

/* Would waiting for `blocker` close a cycle back to us? (Only process
 * locks are followed, as in Linux: an open file has no one thread to ask.) */
static bool would_deadlock(const void *blocker)
{
	for (int step = 0; blocker && step < MAX_DEADLOCK_STEPS; step++) {
		if (blocker == current->files)
			return true;
		blocker = owner_waits_for(blocker);
	}
	return false;
}

struct lock_attempt {
	struct lock_space *space;
	const struct file_lock *want;
	bool deadlock;
};

/* The wake-up condition: true when nothing is in the way, or when waiting
 * any longer would deadlock. */
static bool attempt_settled(struct lock_attempt *a)
{
	struct file_lock *in_way = find_conflict(a->space, a->want);
	if (!in_way)
		return true;
	if (a->want->flavour == FL_POSIX) {
		a->deadlock = would_deadlock(in_way->owner);
		current->lock_blocker = a->deadlock ? NULL : in_way->owner;
	}
	return a->deadlock;
}

/* 0 once `want` conflicts with nothing; -EAGAIN if it does and we may not
 * wait; -EDEADLK; -ERESTARTSYS if a signal came first. */
static int wait_until_free(struct lock_space *s, const struct file_lock *want, bool wait)
{
	if (!find_conflict(s, want))
		return 0;
	if (!wait)
		return -EAGAIN;
	struct lock_attempt a = { .space = s, .want = want, .deadlock = false };
	int err = wait_event_interruptible(&s->waiters, attempt_settled(&a));
	current->lock_blocker = NULL;
	if (err)
		return err;
	return a.deadlock ? -EDEADLK : 0;
}

/* --- setting a byte-range lock ---------------------------------------------------------- */

static bool touches(const struct file_lock *a, const struct file_lock *b)
{
	bool a_reaches_b = a->end == OFFSET_MAX || a->end + 1 >= b->start;
	bool b_reaches_a = b->end == OFFSET_MAX || b->end + 1 >= a->start;
	return a_reaches_b && b_reaches_a;
}

/*
 * Make the owner's locks over want's range be exactly `want` (nothing, for
 * F_UNLCK): a lock of the same type that overlaps or touches is merged in;
 * one of the other type is cut back, or split in two when want lies inside
 * it. One owner's locks never overlap, so at most one split happens, and
 * its memory (`spare`, see splits()) is taken before anything changes.
 */
static void apply_range(struct lock_space *s, struct file_lock *want, struct file_lock *spare)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &s->locks) {
		struct file_lock *l = list_entry(n, struct file_lock, node);
		if (!same_owner(l, want) || !touches(l, want))
			continue;
		if (l->type == want->type) {
			want->start = MIN(want->start, l->start);
			want->end = MAX(want->end, l->end);
			lock_free(l);
		} else if (!overlap(l, want)) {
			continue; /* only adjacent, of the other type: it stays */
		} else if (l->start < want->start && l->end > want->end) {
			*spare = *l;
			spare->start = want->end + 1;
			lock_insert(s, spare);
			l->end = want->start - 1;
		} else if (l->start < want->start) {
			l->end = want->start - 1;
		} else if (l->end > want->end) {
			l->start = want->end + 1;
		} else {
			lock_free(l);
		}
	}
}

/* Will setting `want` split one of the owner's locks in two? Only if a lock
 * of the other type holds bytes on both sides of it. */
static bool splits(struct lock_space *s, const struct file_lock *want)
{
	struct list_node *n;
	list_for_each(n, &s->locks) {
		struct file_lock *l = list_entry(n, struct file_lock, node);
		if (same_owner(l, want) && l->type != want->type && l->start < want->start && l->end > want->end)
			return true;
	}
	return false;
}

static int change_range_lock(struct file *f, struct file_lock *want, bool wait)
{
	struct lock_space *s = space_of(f, want->type != F_UNLCK);
	if (!s)
		return want->type == F_UNLCK ? 0 : -ENOLCK;
	int err = wait_until_free(s, want, wait);
	if (err)
		return err;
	bool locking = want->type != F_UNLCK, split = splits(s, want);
	if (!room_for(locking + split))
		return -ENOLCK;
	struct file_lock *lock = locking ? lock_new(want) : NULL;
	struct file_lock *spare = split ? kmalloc(sizeof(*spare)) : NULL;
	if ((locking && !lock) || (split && !spare)) {
		kfree(lock);
		kfree(spare);
		return -ENOLCK;
	}
	apply_range(s, want, spare);
	if (lock) {
		lock->start = want->start;
		lock->end = want->end;
		lock_insert(s, lock);
	}
	wake_up_all(&s->waiters); /* a lock was given up, or made shared */
	return 0;
}

static int set_range_lock(struct file *f, struct file_lock *want, bool wait)
{
	int err = change_range_lock(f, want, wait);
	space_release_if_unused(f);
	return err;
}

/* --- struct flock in and out ------------------------------------------------------------- */

/* The byte range a struct flock names, in Linux's rules and order of
 * checks: EINVAL for a bad l_whence or a range that starts before byte 0,
 * EOVERFLOW for one past the largest offset. */
static int range_from_user(struct file *f, const struct flock *fl, struct file_lock *out)
{
	off_t base;
	int err = seek_base(f, fl->l_whence, &base);
	if (err)
		return err;
	if (fl->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	int64_t start = base + fl->l_start;
	if (start < 0)
		return -EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - start)
			return -EOVERFLOW;
		out->start = start;
		out->end = start + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return -EINVAL;
		out->start = start + fl->l_len;
		out->end = start - 1;
	} else {
		out->start = start;
		out->end = OFFSET_MAX;
	}
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	out->type = fl->l_type;
	return 0;
}

static void describe_owner(struct file_lock *l, struct file *f, enum lock_flavour flavour)
{
	l->flavour = flavour;
	l->owner = flavour == FL_POSIX ? (const void *)current->files : (const void *)f;
	l->pid = flavour == FL_OFD ? -1 : current->pid;
	l->ino = f->inode ? f->inode->ino : (unsigned long)f >> 4; /* as fstat says */
	l->dev = f->inode ? f->inode->fs : 0;
}

/* The lock a struct flock asks about or for, as a lock of `flavour`. */
static int lock_from_user(struct file *f, const struct flock *fl, enum lock_flavour flavour, struct file_lock *out)
{
	memset(out, 0, sizeof(*out));
	int err = range_from_user(f, fl, out);
	if (err)
		return err;
	describe_owner(out, f, flavour);
	return 0;
}


/* F_GETLK: the first lock in the way of the one described, or F_UNLCK. */
static void report_conflict(struct flock *fl, const struct file_lock *in_way)
{
	if (!in_way) {
		fl->l_type = F_UNLCK; /* the other fields are left as they came */
		return;
	}
	fl->l_type = in_way->type;
	fl->l_whence = SEEK_SET;
	fl->l_start = in_way->start;
	fl->l_len = in_way->end == OFFSET_MAX ? 0 : in_way->end - in_way->start + 1;
	fl->l_pid = in_way->pid;
}

static bool is_ofd(unsigned cmd)
{
	return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

/* Each check in Linux's order, so that a call with several faults gets
 * the errno Linux gives. An OFD lock has no pid: l_pid must be 0. */
static long get_lock(struct file *f, unsigned cmd, struct flock *fl)
{
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	struct file_lock want;
	int err = lock_from_user(f, fl, is_ofd(cmd) ? FL_OFD : FL_POSIX, &want);
	if (err)
		return err;
	if (is_ofd(cmd) && fl->l_pid != 0)
		return -EINVAL;
	report_conflict(fl, find_conflict(space_of(f, false), &want));
	return 0;
}

static long set_lock(struct file *f, unsigned cmd, const struct flock *fl)
{
	struct file_lock want;
	int err = lock_from_user(f, fl, is_ofd(cmd) ? FL_OFD : FL_POSIX, &want);
	if (err)
		return err;
	if ((want.type == F_RDLCK && !file_readable(f)) || (want.type == F_WRLCK && !file_writable(f)))
		return -EBADF;
	if (is_ofd(cmd) && fl->l_pid != 0)
		return -EINVAL;
	return set_range_lock(f, &want, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

long fcntl_lock(struct file *f, unsigned cmd, struct flock __user *ufl)
{
	struct flock fl;
	if (copy_from_user(&fl, ufl, sizeof(fl)))
		return -EFAULT;
	if (cmd != F_GETLK && cmd != F_OFD_GETLK)
		return set_lock(f, cmd, &fl);
	long err = get_lock(f, cmd, &fl);
	if (err)
		return err;
	return copy_to_user(ufl, &fl, sizeof(fl)) ? -EFAULT : 0;
}

/* --- flock ---------------------------------------------------------------------------------- */

static struct file_lock *own_flock(struct lock_space *s, const struct file *f)
{
	struct list_node *n;
	list_for_each(n, &s->locks) {
		struct file_lock *l = list_entry(n, struct file_lock, node);
		if (l->flavour == FL_FLOCK && l->owner == f)
			return l;
	}
	return NULL;
}

/* Changing a held lock's type is not atomic (as in Linux): the old lock
 * goes first, so a waiter may get in between. */
static int change_whole_file_lock(struct file *f, short type, bool wait)
{
	struct lock_space *s = space_of(f, type != F_UNLCK);
	if (!s)
		return type == F_UNLCK ? 0 : -ENOLCK;
	struct file_lock *held = own_flock(s, f);
	if (held && held->type == type)
		return 0;
	if (held) {
		lock_free(held);
		wake_up_all(&s->waiters);
	}
	if (type == F_UNLCK)
		return 0;
	struct file_lock want = { .type = type, .start = 0, .end = OFFSET_MAX };
	describe_owner(&want, f, FL_FLOCK);
	int err = wait_until_free(s, &want, wait);
	if (err)
		return err;
	struct file_lock *lock = room_for(1) ? lock_new(&want) : NULL;
	if (!lock)
		return -ENOLCK;
	lock_insert(s, lock);
	return 0;
}

static int set_whole_file_lock(struct file *f, short type, bool wait)
{
	int err = change_whole_file_lock(f, type, wait);
	space_release_if_unused(f);
	return err;
}

long sys_flock(int fd, int operation)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	switch (operation & ~LOCK_NB) {
	case LOCK_SH:
		return set_whole_file_lock(f, F_RDLCK, !(operation & LOCK_NB));
	case LOCK_EX:
		return set_whole_file_lock(f, F_WRLCK, !(operation & LOCK_NB));
	case LOCK_UN:
		return set_whole_file_lock(f, F_UNLCK, false);
	default:
		return -EINVAL;
	}
}

/* --- locks that end with a descriptor or a file -------------------------------------------- */

static void remove_owned(struct file *f, const void *owner, bool file_owned)
{
	struct lock_space *s = space_of(f, false);
	if (!s)
		return;
	bool removed = false;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &s->locks) {
		struct file_lock *l = list_entry(n, struct file_lock, node);
		if (l->owner == owner && (l->flavour != FL_POSIX) == file_owned) {
			lock_free(l);
			removed = true;
		}
	}
	if (removed)
		wake_up_all(&s->waiters);
	space_release_if_unused(f);
}

void locks_remove_posix(struct file *f, const struct fd_table *owner)
{
	remove_owned(f, owner, false);
}

void locks_file_released(struct file *f)
{
	remove_owned(f, f, true);
	if (!f->inode && f->locks) {
		wait_queue_detach_all(&f->locks->waiters);
		kfree(f->locks);
		f->locks = NULL;
	}
}

void locks_inode_freed(struct inode *i)
{
	kfree(i->locks); /* its files are all closed: no lock and no waiter is left */
	i->locks = NULL;
}

/* --- /proc/locks ---------------------------------------------------------------------------- */

void locks_print(struct proc_text *t)
{
	static const char *const flavours[] = { [FL_POSIX] = "POSIX ", [FL_OFD] = "OFDLCK", [FL_FLOCK] = "FLOCK " };
	int id = 0;
	struct list_node *n;
	list_for_each(n, &all_locks) {
		struct file_lock *l = list_entry(n, struct file_lock, all);
		proc_printf(t, "%d: %s ADVISORY  %s %d 00:%02x:%lu %ld ", ++id, flavours[l->flavour],
			    l->type == F_WRLCK ? "WRITE" : "READ", l->pid, l->dev, l->ino, l->start);
		if (l->end == OFFSET_MAX)
			proc_printf(t, "EOF\n");
		else
			proc_printf(t, "%ld\n", l->end);
	}
}
