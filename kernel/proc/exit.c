/*
 * Exit, zombies, wait4, stop and continue (course section: processes).
 *
 * A task that exits gives back its memory and files at once but keeps its
 * task struct as a "zombie" holding the exit status, until its parent
 * collects it with wait4 (then the kernel stack and the struct are freed).
 * Its children are given to init (pid 1), which reaps orphans. The parent
 * learns of the exit twice: SIGCHLD, and a wake-up of its wait queue.
 *
 * The wait status is Linux's 16-bit encoding:
 *   exited with code c:     c << 8
 *   killed by signal s:     s        (| 0x80 if it "dumped core")
 *   stopped by signal s:    s << 8 | 0x7f
 *   continued:              0xffff
 */
#include "kernel/proc/exit.h"
#include "kernel/syscall.h"
#include "libc/include/string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/power.h"
#include "kernel/fs/file.h"
#include "kernel/ipc/futex.h"
#include "kernel/time/ktimer.h"
#include "kernel/printk.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/time/posix_timer.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "kernel/debug/kmemleak.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

_Static_assert(sizeof(struct rusage_abi) == 144, "struct rusage is 144 bytes");

/* The first process ended: so does the machine. tools/run-elf reads the
 * line below from the kernel log to learn the program's exit status. */
static __noreturn void init_exited(int status)
{
	int code;
	kmemleak_scan_to_log(); /* what the run left behind, for tools/test.sh */
	if ((status & 0x7f) == 0) {
		code = (status >> 8) & 0xff;
		printk("sysgate: init exited with status %d\n", code);
	} else {
		code = 128 + (status & 0x7f);
		printk("sysgate: init killed by signal %d (%s)\n", status & 0x7f, signal_name(status & 0x7f));
	}
	machine_qemu_exit(code);
	printk("sysgate: init has exited; the system is halted\n");
	machine_halt();
}

static int chld_code(int status)
{
	if ((status & 0x7f) == 0)
		return CLD_EXITED;
	return (status & WCOREFLAG) ? CLD_DUMPED : CLD_KILLED;
}

static void notify_parent(struct task *child, int code, int status_value)
{
	struct task *p = child->parent;
	if (!p)
		return;
	ksiginfo_t info = { 0 };
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.fields.chld.si_pid = child->pid;
	info.fields.chld.si_status = status_value;
	info.fields.chld.si_utime = (long)child->user_ticks;
	info.fields.chld.si_stime = (long)child->system_ticks;
	bool nocldstop = p->sig.action[SIGCHLD].flags & SA_NOCLDSTOP;
	if (!(nocldstop && (code == CLD_STOPPED || code == CLD_CONTINUED)))
		send_signal(p, SIGCHLD, &info);
	wake_up_all(&p->child_wait);
}

static void reparent_children(struct task *t)
{
	list_for_each_safe(n, tmp, &t->children) {
		struct task *c = list_entry(n, struct task, sibling);
		list_remove(&c->sibling);
		c->parent = init_task;
		list_push_back(&init_task->children, &c->sibling);
		if (c->state == TASK_ZOMBIE)
			wake_up_all(&init_task->child_wait);
	}
}

/* Does the parent want no zombies (SIGCHLD ignored, or SA_NOCLDWAIT)? */
static bool parent_autoreaps(struct task *p)
{
	struct kernel_sigaction *a = &p->sig.action[SIGCHLD];
	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

void do_exit(int status)
{
	struct task *t = current;
	if (t == init_task)
		init_exited(status);

	/* CLONE_CHILD_CLEARTID / set_tid_address: tell whoever shares our
	 * memory (a thread library) that we are gone. Like Linux, only when
	 * the memory is shared: a lone process's memory goes away with it. */
	if (t->clear_child_tid && t->mm && t->mm->users > 1) {
		int zero = 0;
		if (copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
			futex_wake_address((uint64_t)t->clear_child_tid, 1);
	}
	futex_release_robust_list(t); /* before the memory goes */
	posix_timers_delete_all(t);
	if (t->alarm) {
		ktimer_cancel(t->alarm);
		kfree(t->alarm);
		t->alarm = NULL;
	}
	fd_table_put(t->files);
	t->files = NULL;
	wait_queue_detach_all(&t->signal_wait); /* epoll sets elsewhere may watch our signalfd */
	if (t->cwd)
		inode_put(t->cwd);
	t->cwd = NULL;
	switch_address_space(kernel_pml4); /* we are about to free the page tables in use */
	mm_put(t->mm);
	t->mm = NULL;
	vfork_release(t);

	reparent_children(t);
	t->exit_status = status;
	t->state = TASK_ZOMBIE;
	struct task *p = t->parent;
	if (p && parent_autoreaps(p)) {
		/* Nobody will wait: no zombie, the pid is gone at once, and the
		 * parent's next wait4 sees no such child. */
		task_free_when_switched_away(t);
		wake_up_all(&p->child_wait); /* its wait4 may now find no child: ECHILD */
	} else {
		notify_parent(t, chld_code(status), (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff);
	}
	schedule();
	panic("a zombie was scheduled");
}

long sys_exit(int status)
{
	do_exit(W_EXITCODE(status));
}

long sys_exit_group(int status)
{
	do_exit(W_EXITCODE(status));
}

void task_stop(struct task *t, int sig)
{
	t->state = TASK_STOPPED;
	t->exit_status = W_STOPCODE(sig);
	t->report_event = CLD_STOPPED;
	notify_parent(t, CLD_STOPPED, sig);
	while (t->state == TASK_STOPPED)
		schedule();
}

void task_continue(struct task *t, bool tell_parent)
{
	uint64_t f = irq_save();
	if (t->state == TASK_STOPPED) {
		t->state = TASK_RUNNING;
		t->report_event = tell_parent ? CLD_CONTINUED : 0;
		sched_enqueue(t);
		irq_restore(f);
		if (tell_parent)
			notify_parent(t, CLD_CONTINUED, SIGCONT);
		return;
	}
	irq_restore(f);
}

void task_wake_for_signal(struct task *t)
{
	task_wake(t); /* every sleep in sysgate is interruptible */
}

/* --- wait4 and waitid --------------------------------------------------------------------- */

/* Which children a wait is for: waitid's idtype and id. wait4's pid
 * argument is turned into one of these (see sys_wait4). */
struct wait_target {
	int type; /* P_ALL, P_PID or P_PGID */
	pid_t id;
};

static bool child_matches(const struct task *c, struct wait_target who)
{
	switch (who.type) {
	case P_PID:
		return c->pid == who.id;
	case P_PGID:
		return c->pgid == who.id;
	default:
		return true;
	}
}

void rusage_fill(struct rusage_abi *ru, uint64_t user_ticks, uint64_t system_ticks)
{
	memset(ru, 0, sizeof(*ru));
	uint64_t us_per_tick = 1000000 / TIMER_HZ;
	ru->ru_utime.tv_sec = (long)(user_ticks * us_per_tick / 1000000);
	ru->ru_utime.tv_usec = (long)(user_ticks * us_per_tick % 1000000);
	ru->ru_stime.tv_sec = (long)(system_ticks * us_per_tick / 1000000);
	ru->ru_stime.tv_usec = (long)(system_ticks * us_per_tick % 1000000);
}

static void fill_rusage(struct rusage_abi *ru, const struct task *c)
{
	rusage_fill(ru, c->user_ticks, c->system_ticks);
}

/* Look for a child with something to report: an exit (if WEXITED), a stop
 * (WSTOPPED, which is WUNTRACED) or a continue (WCONTINUED). Returns its pid
 * (and fills *status, in wait4's encoding, and *ru), 0 if matching children
 * exist but none has news, or -ECHILD if there is no matching child at all.
 * With WNOWAIT the news stays, and the next wait finds it again. */
static pid_t find_waitable(struct wait_target who, int options, int *status, struct rusage_abi *ru)
{
	struct task *self = current;
	bool any = false, keep = options & WNOWAIT;
	list_for_each_safe(n, tmp, &self->children) {
		struct task *c = list_entry(n, struct task, sibling);
		if (!child_matches(c, who))
			continue;
		if (c->state == TASK_ZOMBIE && !(options & WEXITED))
			continue; /* it will never stop or continue again: as if absent (Linux) */
		any = true;
		if (c->state == TASK_ZOMBIE) {
			pid_t cpid = c->pid;
			*status = c->exit_status;
			fill_rusage(ru, c);
			if (keep)
				return cpid;
			self->children_user_ticks += c->user_ticks + c->children_user_ticks;
			self->children_system_ticks += c->system_ticks + c->children_system_ticks;
			task_free(c);
			return cpid;
		}
		if ((options & WSTOPPED) && c->report_event == CLD_STOPPED) {
			*status = c->exit_status;
		} else if ((options & WCONTINUED) && c->report_event == CLD_CONTINUED) {
			*status = W_CONTINUED;
		} else {
			continue;
		}
		if (!keep)
			c->report_event = 0;
		fill_rusage(ru, c);
		return c->pid;
	}
	return any ? 0 : -ECHILD;
}

/* Sleep until find_waitable has an answer (or at once with WNOHANG). */
static pid_t wait_for_child(struct wait_target who, int options, int *status, struct rusage_abi *ru)
{
	pid_t found;
	int err = wait_event_interruptible(&current->child_wait,
					   (found = find_waitable(who, options, status, ru)) != 0 ||
						   (options & WNOHANG));
	return err ? err : found;
}

long sys_wait4(pid_t pid, int __user *wstatus, int options, struct rusage __user *rusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH; /* -INT_MIN cannot be negated: Linux says ESRCH */
	struct wait_target who = pid > 0     ? (struct wait_target){ P_PID, pid }
				 : pid == -1 ? (struct wait_target){ P_ALL, 0 }
				 : pid == 0  ? (struct wait_target){ P_PGID, current->pgid }
					     : (struct wait_target){ P_PGID, -pid };
	int status = 0;
	struct rusage_abi ru;
	pid_t found = wait_for_child(who, options | WEXITED, &status, &ru);
	if (found <= 0)
		return found; /* -ECHILD, -ERESTARTSYS, or 0 with WNOHANG */
	if (wstatus && copy_to_user(wstatus, &status, sizeof(status)))
		return -EFAULT;
	if (rusage && copy_to_user(rusage, &ru, sizeof(ru)))
		return -EFAULT;
	return found;
}

/* waitid tells in a siginfo what wait4 packs into an int. */
static void status_to_siginfo(pid_t pid, int status, ksiginfo_t *info)
{
	info->si_signo = SIGCHLD;
	info->fields.chld.si_pid = pid;
	if (status == W_CONTINUED) {
		info->si_code = CLD_CONTINUED;
		info->fields.chld.si_status = SIGCONT;
	} else if ((status & 0xff) == 0x7f) {
		info->si_code = CLD_STOPPED;
		info->fields.chld.si_status = (status >> 8) & 0xff;
	} else {
		info->si_code = chld_code(status);
		info->fields.chld.si_status = info->si_code == CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f;
	}
}

/*
 * waitid: wait4's newer form. It says which children by idtype (P_ALL,
 * P_PID, P_PGID), which news by WEXITED, WSTOPPED and WCONTINUED (at
 * least one), can leave the news in place (WNOWAIT), and reports in a
 * siginfo_t -- all zeros, and 0 returned, when WNOHANG finds nothing.
 */
long sys_waitid(int idtype, pid_t id, ksiginfo_t __user *infop, int options, struct rusage __user *rusage)
{
	if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	struct wait_target who = { idtype, id };
	if (idtype == P_PGID && id == 0)
		who.id = current->pgid;
	if ((idtype == P_PID && id <= 0) || (idtype == P_PGID && id < 0) ||
	    (idtype != P_ALL && idtype != P_PID && idtype != P_PGID))
		return -EINVAL;
	int status = 0;
	struct rusage_abi ru = { 0 };
	pid_t found = wait_for_child(who, options, &status, &ru);
	if (found < 0)
		return found;
	ksiginfo_t info = { 0 };
	if (found)
		status_to_siginfo(found, status, &info);
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (rusage && copy_to_user(rusage, &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}
