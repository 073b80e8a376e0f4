/*
 * seccomp(2) and prctl(PR_SET_SECCOMP): how a process confines itself
 * (course section: seccomp).
 *
 *   SECCOMP_SET_MODE_STRICT    from now on only read, write, exit and
 *                              rt_sigreturn; any other call kills the thread
 *   SECCOMP_SET_MODE_FILTER    add a classic BPF filter (filter.c) that
 *                              judges every later syscall (action.c)
 *   SECCOMP_GET_ACTION_AVAIL   does this kernel know an action?
 *   SECCOMP_GET_NOTIF_SIZES    the sizes of the user-notification structs
 *
 * A mode once set is never left: a filtered task cannot go back to no
 * filter, nor switch to strict (EINVAL). The mode lives in the task and is
 * mirrored by one bit of task->syscall_work, the word the syscall path
 * already tests: a task without seccomp pays nothing for its existence.
 */
#include "kernel/seccomp/seccomp.h"
#include "kernel/fs/procfs.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/errno.h"
#include "mm/uaccess.h"

bool seccomp_may_assign_mode(int mode)
{
	int now = current->seccomp.mode;
	return now == SECCOMP_MODE_DISABLED || now == mode;
}

void seccomp_assign_mode(struct task *t, int mode)
{
	t->seccomp.mode = mode;
	t->syscall_work |= SYSCALL_WORK_SECCOMP; /* from now on, every syscall is judged */
}

static long set_mode_strict(void)
{
	if (!seccomp_may_assign_mode(SECCOMP_MODE_STRICT))
		return -EINVAL;
	seccomp_assign_mode(current, SECCOMP_MODE_STRICT);
	return 0;
}

/* The flags sysgate knows. NEW_LISTENER (user notification) is left out,
 * and so is WAIT_KILLABLE_RECV, which needs it: see the README. */
#define FILTER_FLAGS_KNOWN                                                                          \
	(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |      \
	 SECCOMP_FILTER_FLAG_TSYNC_ESRCH)

static long set_mode_filter(unsigned flags, const void __user *uprog)
{
	if (flags & ~FILTER_FLAGS_KNOWN)
		return -EINVAL;
	long err;
	struct seccomp_filter *f = seccomp_filter_from_user(uprog, &err);
	if (!f)
		return err;
	err = seccomp_attach_filter(f, flags);
	if (err)
		seccomp_filter_put(f);
	return err;
}

static long get_action_avail(const void __user *uaction)
{
	uint32_t action;
	if (copy_from_user(&action, uaction, sizeof(action)))
		return -EFAULT;
	switch (action) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_USER_NOTIF: /* a filter may return it: without a listener, ENOSYS */
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return 0;
	}
	return -EOPNOTSUPP;
}

/* Linux's sizes of struct seccomp_notif (id, pid, flags, data) and
 * struct seccomp_notif_resp (id, val, error, flags). */
#define SECCOMP_NOTIF_SIZE (8 + 4 + 4 + sizeof(struct seccomp_data))
#define SECCOMP_NOTIF_RESP_SIZE (8 + 8 + 4 + 4)

static long get_notif_sizes(void __user *usizes)
{
	struct seccomp_notif_sizes sizes = {
		.seccomp_notif = SECCOMP_NOTIF_SIZE,
		.seccomp_notif_resp = SECCOMP_NOTIF_RESP_SIZE,
		.seccomp_data = sizeof(struct seccomp_data),
	};
	return copy_to_user(usizes, &sizes, sizeof(sizes)) ? -EFAULT : 0;
}

long sys_seccomp(unsigned int op, unsigned int flags, void __user *uargs)
{
	switch (op) {
	case SECCOMP_SET_MODE_STRICT:
		if (flags || uargs)
			return -EINVAL;
		return set_mode_strict();
	case SECCOMP_SET_MODE_FILTER:
		return set_mode_filter(flags, uargs);
	case SECCOMP_GET_ACTION_AVAIL:
		return flags ? -EINVAL : get_action_avail(uargs);
	case SECCOMP_GET_NOTIF_SIZES:
		return flags ? -EINVAL : get_notif_sizes(uargs);
	}
	return -EINVAL;
}

long seccomp_prctl_get(void)
{
	return current->seccomp.mode; /* (in strict mode prctl itself is forbidden: the task dies) */
}

/* prctl has no flags; its strict mode ignores the pointer. */
long seccomp_prctl_set(unsigned long mode, void __user *filter)
{
	if (mode == SECCOMP_MODE_STRICT)
		return sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL);
	if (mode == SECCOMP_MODE_FILTER)
		return sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, filter);
	return -EINVAL;
}

void seccomp_proc_status(struct proc_text *out, const struct task *p)
{
	proc_printf(out, "Seccomp:\t%d\nSeccomp_filters:\t%u\n", p->seccomp.mode, p->seccomp.filter_count);
}
