/*
 * prctl: a process's settings about itself (course section: processes).
 *
 *   PR_SET_NAME / PR_GET_NAME        the 16-byte name ps shows (comm)
 *   PR_SET_PDEATHSIG / GET           a signal to receive when the parent dies
 *   PR_SET_DUMPABLE / GET            may it be core-dumped or ptraced by its
 *                                    owner (cleared by a set-user-ID exec)
 *   PR_SET_KEEPCAPS / GET            keep capabilities when leaving uid 0
 *   PR_SET_SECCOMP / GET             confine the process's syscalls
 *                                    (kernel/seccomp/)
 *   PR_SET_NO_NEW_PRIVS / GET        exec never grants more privilege again:
 *                                    set-user-ID bits are ignored (for good)
 *   PR_SET_CHILD_SUBREAPER / GET     orphaned descendants come to this
 *                                    process instead of init (a service
 *                                    manager's way to keep its daemons)
 */
#include "kernel/cred/cred.h"
#include "kernel/net/cn_proc.h"
#include "kernel/proc/prctl.h"
#include "kernel/proc/task.h"
#include "kernel/seccomp/seccomp.h"
#include "kernel/syscall.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/prctl.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

struct task *orphan_reaper(struct task *dying)
{
	for (struct task *a = dying->parent; a && a != init_task; a = a->parent)
		if (a->prctl.subreaper && a->state != TASK_ZOMBIE)
			return a;
	return init_task;
}

static long put_int(unsigned long addr, int v)
{
	return copy_to_user((void __user *)addr, &v, sizeof(v)) ? -EFAULT : 0;
}

/* keep_caps and no_new_privs live in the cred: change them as ids change. */
static long set_cred_flag(bool no_new_privs, bool value)
{
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (no_new_privs)
		new->no_new_privs = true; /* once set, never cleared */
	else
		new->keep_caps = value;
	cred_commit(new);
	return 0;
}

static long set_name(unsigned long addr)
{
	char name[TASK_NAME_LEN];
	memset(name, 0, sizeof(name));
	long n = strncpy_from_user(name, (const char __user *)addr, sizeof(name));
	if (n == -EFAULT)
		return -EFAULT;
	name[TASK_NAME_LEN - 1] = 0; /* longer names are cut, as Linux does */
	memcpy(current->name, name, sizeof(name));
	cn_proc_comm(current); /* PROC_EVENT_COMM for the process-events connector */
	return 0;
}

long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)
{
	struct task *t = current;
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > NSIG_KERNEL)
			return -EINVAL;
		t->prctl.pdeathsig = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_int(arg2, t->prctl.pdeathsig);
	case PR_GET_DUMPABLE:
		return t->prctl.not_dumpable ? 0 : 1;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		t->prctl.not_dumpable = arg2 == 0;
		return 0;
	case PR_GET_KEEPCAPS:
		return current_cred()->keep_caps;
	case PR_SET_KEEPCAPS:
		return arg2 > 1 ? -EINVAL : set_cred_flag(false, arg2 == 1);
	case PR_SET_NAME:
		return set_name(arg2);
	case PR_GET_NAME:
		return copy_to_user((void __user *)arg2, t->name, TASK_NAME_LEN) ? -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:
		t->prctl.subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(arg2, t->prctl.subreaper);
	case PR_GET_SECCOMP:
		return seccomp_prctl_get();
	case PR_SET_SECCOMP:
		return seccomp_prctl_set(arg2, (void __user *)arg3);
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		return set_cred_flag(true, true);
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return current_cred()->no_new_privs;
	default:
		return -EINVAL;
	}
}
