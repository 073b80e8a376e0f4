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
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "kernel/cred/cred.h"
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

/* share_mm: vfork's child runs in the parent's own address space. */
static long do_fork(int __user *child_tid, bool clear_tid, bool share_mm)
{
	struct task *parent = current;
	struct task *child = task_alloc();
	if (!child)
		return -EAGAIN;
	if (share_mm) {
		child->mm = parent->mm;
		parent->mm->users++;
	} else {
		child->mm = mm_fork(parent->mm);
	}
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
	child->root = parent->root;
	if (child->root)
		inode_get(child->root);
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->umask = parent->umask;
	child->prctl.not_dumpable = parent->prctl.not_dumpable; /* pdeathsig and subreaper are not inherited */
	child->cred = cred_get(parent->cred); /* shared until one of them changes ids */
	child->parent = parent;
	list_push_back(&parent->children, &child->sibling);
	child->fs_base = parent->fs_base;
	child->gs_base = parent->gs_base;
	child->clear_child_tid = clear_tid ? child_tid : NULL;
	child->start_ticks = timer_ticks();
	signals_fork(child, parent);
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
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
	return do_fork(NULL, false, false);
}

/*
 * vfork: a fork that copies nothing. The child runs on the parent's own
 * memory -- its stack too -- so the parent must not run until the child is
 * done with it: it sleeps here until the child calls execve (which gives
 * the child memory of its own) or exits. That is why a vfork child may
 * only do one of those two things. Only SIGKILL ends the parent's wait
 * early, as on Linux; other signals wait until it returns.
 */
static long vfork_wait(long pid)
{
	struct task *parent = current;
	struct task *child = task_find((pid_t)pid);
	child->vfork_parent = parent;
	parent->vfork_child = child;
	struct waiter w;
	waiter_init(&w, NULL, NULL);
	while (parent->vfork_child && !(sigpending_all(parent) & SIGBIT(SIGKILL))) {
		prepare_to_wait(&parent->child_wait, &w);
		if (parent->vfork_child && !(sigpending_all(parent) & SIGBIT(SIGKILL)))
			schedule();
		finish_wait(&w);
	}
	return pid;
}

long sys_vfork(void)
{
	long pid = do_fork(NULL, false, true);
	return pid < 0 ? pid : vfork_wait(pid);
}

void vfork_release(struct task *t)
{
	if (t->vfork_parent) {
		/* The child execs or exits: give the parent back its memory. */
		t->vfork_parent->vfork_child = NULL;
		wake_up_all(&t->vfork_parent->child_wait);
		t->vfork_parent = NULL;
	}
	if (t->vfork_child) {
		/* The parent dies (SIGKILL) first: the child keeps the memory. */
		t->vfork_child->vfork_parent = NULL;
		t->vfork_child = NULL;
	}
}

long sys_clone(unsigned long flags, unsigned long newsp, int __user *parent_tid, int __user *child_tid,
	       unsigned long tls)
{
	(void)tls;
	/* Threads are not supported: only the clone calls that mean fork, and
	 * CLONE_VM|CLONE_VFORK, which means vfork (posix_spawn makes it, with
	 * a stack of its own for the child). */
	bool is_vfork = (flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK);
	if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FILES | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_VM) && !is_vfork)
		return -EINVAL;
	if ((flags & CSIGNAL) != SIGCHLD && (flags & CSIGNAL) != 0)
		return -EINVAL;
	long pid = do_fork(child_tid, flags & CLONE_CHILD_CLEARTID, is_vfork);
	if (pid < 0)
		return pid;
	struct task *child = task_find((pid_t)pid);
	if (newsp)
		task_regs(child)->rsp = newsp;
	/* The child exists now: like Linux, a bad tid pointer does not undo
	 * the clone; the write is simply not done. */
	int value = (int)pid;
	if (flags & CLONE_PARENT_SETTID)
		(void)copy_to_user(parent_tid, &value, sizeof(value));
	if (flags & CLONE_CHILD_SETTID)
		(void)vm_write(child->mm, (uint64_t)child_tid, &value, sizeof(value));
	return is_vfork ? vfork_wait(pid) : pid;
}
