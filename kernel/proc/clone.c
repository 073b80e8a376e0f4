/*
 * clone and clone3: which flags go together (course section: kernel
 * architecture -- what a task is).
 *
 * clone's flags choose, part by part, what a new task shares with its
 * creator (kernel/proc/fork.c does the sharing). Some choices make no
 * sense, and Linux refuses them with EINVAL:
 *   - a thread (CLONE_THREAD) must share the signal actions
 *     (CLONE_SIGHAND): a signal sent to its process is handled by whichever
 *     thread takes it, so all threads must agree on the handler;
 *   - shared actions (CLONE_SIGHAND) need a shared address space
 *     (CLONE_VM): a handler is an address in one memory;
 *   - init may not make a sibling (CLONE_PARENT): it has no parent to
 *     reap it.
 * clone3 takes the same request as a struct that may grow: `size` says
 * how much of it the caller knows. Too small is EINVAL, more than a page
 * is E2BIG, and trailing bytes the kernel does not know must be zero
 * (E2BIG), so that a newer program on an older kernel fails loudly.
 *
 * Namespaces, pidfds and cgroups are not in sysgate: those flags are EINVAL.
 */
#include "kernel/proc/clone.h"
#include "arch/x86_64/x86.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

/* What sysgate builds; the namespace flags, CLONE_PIDFD and
 * CLONE_INTO_CGROUP are not among them. */
#define CLONE_SUPPORTED                                                                                   \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PTRACE | CLONE_VFORK | CLONE_PARENT |  \
	 CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID |          \
	 CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID | CLONE_IO | CLONE_CLEAR_SIGHAND)

#define CLONE_NAMESPACES                                                                                  \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |     \
	 CLONE_NEWNET)

/* The rules both syscalls share, in Linux's order (copy_process). */
static long check_flags(uint64_t flags)
{
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_PARENT) && current->group == init_task->group)
		return -EINVAL;
	return 0;
}

long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid, int __user *child_tid,
	       unsigned long tls)
{
	/* The low byte is the exit signal; clone ignores CLONE_DETACHED, and
	 * takes only the 32 bits of flags Linux's clone reads. */
	flags &= 0xffffffffUL;
	int exit_signal = (int)(flags & CSIGNAL);
	flags &= ~(unsigned long)CSIGNAL;
	long err = check_flags(flags & ~CLONE_CLEAR_SIGHAND);
	if (err)
		return err;
	if (flags & CLONE_THREAD)
		exit_signal = 0;
	else if (flags & CLONE_PARENT)
		exit_signal = current->group->leader->exit_signal; /* a sibling tells as we do */
	struct clone_request req = {
		.flags = flags, .exit_signal = exit_signal, .stack = newsp, .tls = tls,
		.parent_tid = parent_tid, .child_tid = child_tid,
	};
	return do_clone(&req);
}

/* Read the caller's struct clone_args: it may be shorter than ours
 * (older programs: the rest is zero) or longer (newer ones: the rest
 * must be zero). */
static long clone_args_from_user(const struct clone_args __user *uargs, size_t size, struct clone_args *args)
{
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	*args = (struct clone_args){ 0 };
	size_t known = size < sizeof(*args) ? size : sizeof(*args);
	if (copy_from_user(args, uargs, known))
		return -EFAULT;
	for (size_t off = known; off < size; off++) {
		uint8_t byte;
		if (copy_from_user(&byte, (const uint8_t __user *)uargs + off, 1))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	return 0;
}

/* clone3's own rules on top of clone's (Linux's clone3_args_valid). */
static long check_clone3(const struct clone_args *a, size_t size)
{
	if (a->set_tid_size > 32 || (!a->set_tid && a->set_tid_size) || (a->set_tid && !a->set_tid_size))
		return -EINVAL;
	if ((a->flags & CLONE_INTO_CGROUP) && (size < CLONE_ARGS_SIZE_VER2 || a->cgroup > INT32_MAX))
		return -EINVAL;
	if (a->exit_signal & ~(uint64_t)CSIGNAL || a->exit_signal > NSIG_KERNEL)
		return -EINVAL;
	if (a->flags & (CLONE_DETACHED | CSIGNAL))
		return -EINVAL; /* those bits are for clone; clone3 has exit_signal */
	if ((a->flags & CLONE_SIGHAND) && (a->flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((a->flags & (CLONE_THREAD | CLONE_PARENT)) && a->exit_signal)
		return -EINVAL;
	/* The stack: both its base and its size, or neither. */
	if (!a->stack != !a->stack_size)
		return -EINVAL;
	if (a->stack && (a->stack >= USER_TOP || a->stack_size > USER_TOP - a->stack))
		return -EINVAL;
	if (a->set_tid)
		return -EINVAL; /* choosing a pid: sysgate has no pid namespaces to do it in */
	return check_flags(a->flags);
}

long sys_clone3(struct clone_args __user *uargs, size_t size)
{
	struct clone_args a;
	long err = clone_args_from_user(uargs, size, &a);
	if (!err)
		err = check_clone3(&a, size);
	if (err)
		return err;
	struct clone_request req = {
		.flags = a.flags,
		.exit_signal = (int)a.exit_signal,
		.stack = a.stack ? a.stack + a.stack_size : 0, /* x86 stacks grow down */
		.tls = a.tls,
		.parent_tid = (int __user *)a.parent_tid,
		.child_tid = (int __user *)a.child_tid,
	};
	return do_clone(&req);
}
