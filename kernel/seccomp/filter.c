/*
 * seccomp filters: loading, stacking, sharing (course section: seccomp).
 *
 * SECCOMP_SET_MODE_FILTER copies the user's struct sock_fprog and its
 * instructions into the kernel, checks them (filter_check.c) and puts the
 * filter on top of the task's stack of filters. A filter can be added but
 * never removed: a program that confined itself stays confined, and so do
 * its children (fork copies the pointer, exec keeps it). So the filters of
 * a process tree form a tree themselves -- each filter points at the older
 * one below it -- and are shared by reference count: a task holds its
 * newest filter, a filter holds the one below. The last put frees.
 *
 * Because a filter runs on every syscall, the total of the instructions a
 * syscall may run is bounded (32768, with 4 more counted per filter, each
 * counted as Linux's eBPF translation of it), as Linux bounds it: past
 * that, ENOMEM.
 *
 * SECCOMP_FILTER_FLAG_TSYNC gives the new stack to every thread of the
 * process, if each one's stack is an older part of ours (else the call
 * fails with the id of the thread that differs).
 */
#include "kernel/seccomp/seccomp.h"
#include "kernel/cred/cred.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

/* Linux's rule: only a task that can gain no privilege by exec (it set
 * no_new_privs), or one privileged already, may install a filter -- else a
 * filter could trick a set-user-ID program into misbehaving as root. */
static bool may_install_filter(void)
{
	return current_cred()->no_new_privs || capable(CAP_SYS_ADMIN);
}

struct seccomp_filter *seccomp_filter_from_user(const void __user *uprog, long *err)
{
	struct sock_fprog prog;
	if (copy_from_user(&prog, uprog, sizeof(prog))) {
		*err = -EFAULT;
		return NULL;
	}
	*err = -EINVAL;
	if (prog.len == 0 || prog.len > BPF_MAXINSNS)
		return NULL;
	*err = -EACCES;
	if (!may_install_filter())
		return NULL;
	*err = -EINVAL;
	if (!prog.filter)
		return NULL;
	*err = -ENOMEM;
	struct seccomp_filter *f = kzalloc(sizeof(*f) + prog.len * sizeof(struct sock_filter));
	if (!f)
		return NULL;
	f->refs = 1;
	f->len = prog.len;
	*err = -EFAULT;
	if (!copy_from_user(f->insns, (const void __user *)prog.filter, prog.len * sizeof(struct sock_filter)))
		*err = seccomp_check_filter(f->insns, f->len);
	if (*err) {
		kfree(f);
		return NULL;
	}
	f->cost = seccomp_filter_cost(f->insns, f->len);
	return f;
}

void seccomp_filter_put(struct seccomp_filter *f)
{
	/* Each filter holds the one below it: free down the chain while the
	 * counts reach zero. A loop, not recursion: the chain may be long. */
	while (f && --f->refs == 0) {
		struct seccomp_filter *below = f->prev;
		kfree(f);
		f = below;
	}
}

static bool is_ancestor(const struct seccomp_filter *older, const struct seccomp_filter *newer)
{
	if (!older)
		return true; /* no filter at all is below everything */
	for (; newer; newer = newer->prev)
		if (newer == older)
			return true;
	return false;
}

/* The thread at n of our group's list, if it is another live one (TSYNC
 * leaves alone the caller and the threads that have exited). */
static struct task *other_live_thread(struct list_node *n)
{
	struct task *t = list_entry(n, struct task, group_node);
	bool alive = t->state != TASK_ZOMBIE && t->state != TASK_DEAD;
	return t != current && alive ? t : NULL;
}

/* TSYNC: 0 if every other thread can take our stack, or the thread id of
 * one that cannot (its filters are not an older part of ours). */
static pid_t threads_unsyncable(const struct seccomp_filter *ours)
{
	struct list_node *n;
	list_for_each(n, &current->group->threads) {
		struct task *t = other_live_thread(n);
		if (!t)
			continue;
		if (t->seccomp.mode == SECCOMP_MODE_DISABLED ||
		    (t->seccomp.mode == SECCOMP_MODE_FILTER && is_ancestor(t->seccomp.filter, ours)))
			continue;
		return t->pid;
	}
	return 0;
}

/* Every other thread gets our stack, and no_new_privs if we have it. */
static void sync_threads(void)
{
	struct task *self = current;
	struct list_node *n;
	list_for_each(n, &self->group->threads) {
		struct task *t = other_live_thread(n);
		if (!t)
			continue;
		self->seccomp.filter->refs++;
		seccomp_filter_put(t->seccomp.filter);
		t->seccomp.filter = self->seccomp.filter;
		t->seccomp.filter_count = self->seccomp.filter_count;
		if (self->cred->no_new_privs && !t->cred->no_new_privs) {
			struct cred *c = cred_copy(t->cred, -1);
			if (c) { /* (no memory: the filter, which matters, is in place anyway) */
				c->no_new_privs = true;
				cred_put(t->cred);
				t->cred = c;
			}
		}
		seccomp_assign_mode(t, SECCOMP_MODE_FILTER);
	}
}

static unsigned path_length(const struct seccomp_filter *f)
{
	unsigned total = 0;
	for (; f; f = f->prev)
		total += f->cost + SECCOMP_FILTER_PENALTY;
	return total;
}

long seccomp_attach_filter(struct seccomp_filter *f, unsigned long flags)
{
	struct task *t = current;
	if (!seccomp_may_assign_mode(SECCOMP_MODE_FILTER))
		return -EINVAL;
	if (f->cost + path_length(t->seccomp.filter) > SECCOMP_MAX_INSNS_PER_PATH)
		return -ENOMEM;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
		pid_t other = threads_unsyncable(t->seccomp.filter);
		if (other)
			return (flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) ? -ESRCH : other;
	}
	f->log = (flags & SECCOMP_FILTER_FLAG_LOG) != 0;
	f->prev = t->seccomp.filter; /* our reference to the old top moves to f */
	seccomp_cache_prepare(f);
	t->seccomp.filter = f;
	t->seccomp.filter_count++;
	seccomp_assign_mode(t, SECCOMP_MODE_FILTER);
	if (flags & SECCOMP_FILTER_FLAG_TSYNC)
		sync_threads();
	return 0;
}

void seccomp_fork(struct task *child, const struct task *parent)
{
	child->seccomp = parent->seccomp;
	if (child->seccomp.filter)
		child->seccomp.filter->refs++;
	if (child->seccomp.mode != SECCOMP_MODE_DISABLED)
		child->syscall_work |= SYSCALL_WORK_SECCOMP;
}

void seccomp_release(struct task *t)
{
	seccomp_filter_put(t->seccomp.filter);
	t->seccomp.filter = NULL;
}
