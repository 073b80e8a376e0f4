/*
 * fork: making a copy of the calling process (course section: processes).
 *
 * The child gets a new pid and a copy of everything else: the address space
 * (shared copy-on-write, so the copy costs little until someone writes),
 * the descriptor table (the same open files: they share positions), the
 * current directory, signal handlers and mask, and the saved registers --
 * with rax = 0 in the child, so fork "returns twice": the child's pid in
 * the parent, 0 in the child.
 */
#include "arch/x86_64/fpu.h"
#include "drivers/timer.h"
#include "kernel/file.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/vfs.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CSIGNAL 0xff

static long do_fork(int __user *child_tid, bool clear_tid)
{
	struct task *parent = current;
	struct task *child = task_alloc();
	if (!child)
		return -EAGAIN;
	child->mm = mm_fork(parent->mm);
	child->files = fd_table_copy(parent->files);
	if (!child->mm || !child->files) {
		mm_put(child->mm);
		fd_table_put(child->files);
		task_free(child);
		return -ENOMEM;
	}
	memcpy(child->name, parent->name, sizeof(child->name));
	child->cwd = parent->cwd;
	if (child->cwd)
		inode_get(child->cwd);
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->parent = parent;
	list_push_back(&parent->children, &child->sibling);
	child->fs_base = parent->fs_base;
	child->gs_base = parent->gs_base;
	child->clear_child_tid = clear_tid ? child_tid : NULL;
	child->start_ticks = timer_ticks();
	signals_fork(child, parent);
	fpu_save(child->fpu_state); /* the parent's live FPU registers */

	/* The child returns to user mode with the parent's registers, rax = 0. */
	struct regs *r = task_regs(child);
	*r = *task_regs(parent);
	r->rax = 0;
	task_prepare_first_run(child);
	sched_enqueue(child);
	return child->pid;
}

long sys_fork(void)
{
	return do_fork(NULL, false);
}

long sys_vfork(void)
{
	/* vfork may share memory until exec; a full copy-on-write fork is a
	 * correct (if less clever) way to implement it. */
	return do_fork(NULL, false);
}

long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid, int __user *child_tid,
	       unsigned long tls)
{
	(void)tls;
	/* Threads (a shared address space) are not supported: only clone calls
	 * that mean fork, as libcs make them. */
	if (flags & (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES | CLONE_FS))
		return -EINVAL;
	if ((flags & CSIGNAL) != SIGCHLD && (flags & CSIGNAL) != 0)
		return -EINVAL;
	long pid = do_fork(child_tid, flags & CLONE_CHILD_CLEARTID);
	if (pid < 0)
		return pid;
	struct task *child = task_find((pid_t)pid);
	if (newsp)
		task_regs(child)->rsp = newsp;
	int value = (int)pid;
	if ((flags & CLONE_PARENT_SETTID) && copy_to_user(parent_tid, &value, sizeof(value)))
		return -EFAULT;
	if (flags & CLONE_CHILD_SETTID) {
		if (vm_write(child->mm, (uint64_t)child_tid, &value, sizeof(value)))
			return -EFAULT;
	}
	return pid;
}
