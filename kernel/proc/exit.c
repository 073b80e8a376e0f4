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
#include "kernel/net/cn_proc.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/prctl.h"
#include "kernel/syscall.h"
#include "libc/include/string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/power.h"
#include "kernel/fs/file.h"
#include "kernel/ipc/futex.h"
#include "kernel/time/itimer.h"
#include "kernel/time/ktimer.h"
#include "kernel/printk.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/time/posix_timer.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "kernel/trace/ptrace.h"
#include "kernel/fs/vfs.h"
#include "kernel/debug/kmemleak.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "kernel/tracing/hooks.h"

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

void notify_parent(struct task *child, int code, int status_value)
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
	bool nocldstop = p->sighand->action[SIGCHLD].flags & SA_NOCLDSTOP;
	bool is_exit = code != CLD_STOPPED && code != CLD_CONTINUED;
	/* At exit, the signal clone chose (exit_signal; 0: none). Legacy
	 * clone takes any number in its low byte; one that is no signal is
	 * simply not sent, as Linux's do_notify_parent does. */
	int sig = is_exit ? child->exit_signal : SIGCHLD;
	info.si_signo = sig;
	if (sig > 0 && sig <= NSIG_KERNEL && !(nocldstop && !is_exit))
		send_signal(p, sig, &info);
	wake_up_all(&p->child_wait);
}

static void reparent_children(struct task *t)
{
	struct task *reaper = orphan_reaper(t);
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &t->children) {
		struct task *c = list_entry(n, struct task, sibling);
		list_remove(&c->sibling);
		c->parent = reaper;
		c->exit_signal = SIGCHLD; /* a clone child's own exit signal would be the reaper's surprise (Linux) */
		list_push_back(&reaper->children, &c->sibling);
		if (c->state == TASK_ZOMBIE)
			wake_up_all(&reaper->child_wait);
		else if (c->prctl.pdeathsig)
			send_signal(c, c->prctl.pdeathsig, NULL); /* PR_SET_PDEATHSIG */
	}
}

/* Does the parent want no zombies (SIGCHLD ignored, or SA_NOCLDWAIT)? */
static bool parent_autoreaps(struct task *p)
{
	struct kernel_sigaction *a = &p->sighand->action[SIGCHLD];
	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* The last thread of t's process is gone (t is its leader, a zombie
 * now): the process's exit is what the parent hears of. */
static void process_exited(struct task *t)
{
	struct thread_group *g = t->group;
	int status = g->exiting ? g->exit_status : t->exit_status;
	if (t == init_task)
		init_exited(status);
	t->exit_status = status;
	reparent_children(t);
	struct task *p = t->parent;
	if (p && t->exit_signal == SIGCHLD && parent_autoreaps(p)) {
		/* Nobody will wait: no zombie, the pid is gone at once, and the
		 * parent's next wait4 sees no such child. */
		if (t == current)
			task_free_when_switched_away(t);
		else
			task_free(t);
		wake_up_all(&p->child_wait); /* its wait4 may now find no child: ECHILD */
	} else {
		notify_parent(t, chld_code(status), (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff);
	}
}

void do_exit(int status)
{
	struct task *t = current;
	struct thread_group *g = t->group;
	if (g->exiting && !g->exec_task)
		status = g->exit_status; /* exit_group: every thread ends with its status */
	ptrace_task_exit(t, status); /* ptrace: PTRACE_EVENT_EXIT, the tracer's news, our tracees */

	/* CLONE_CHILD_CLEARTID / set_tid_address: tell whoever shares our
	 * memory (a thread library) that we are gone. Like Linux, only when
	 * the memory is shared: a lone process's memory goes away with it. */
	if (t->clear_child_tid && t->mm && t->mm->users > 1) {
		int zero = 0;
		if (copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
			futex_wake_address((uint64_t)t->clear_child_tid, 1);
	}
	futex_release_robust_list(t); /* before the memory goes */
	if (g->live == 1) { /* the process's last thread: its timers go with it */
		posix_timers_delete_all(t);
		itimer_process_exit(t);
	} else {
		posix_timers_thread_exit(t);
	}
	fd_table_put(t->files);
	t->files = NULL;
	wait_queue_detach_all(&t->signal_wait); /* epoll sets elsewhere may watch our signalfd */
	fs_context_put(t->fs);
	t->fs = NULL;
	switch_address_space(kernel_pml4); /* we are about to free the page tables in use */
	mm_put(t->mm);
	t->mm = NULL;
	vfork_release(t);

	tracehook_exit(t);
	t->exit_status = status;
	cn_proc_exit(t);
	t->state = TASK_ZOMBIE;
	g->live--;
	wake_up_all(&g->thread_exit); /* an exec in another thread may wait for us */
	if (t != g->leader) {
		/* A thread that is not the leader: nobody waits for it. If it
		 * was the last one, the leader, a zombie already, is reported. */
		g->gone_user_ticks += t->user_ticks;
		g->gone_system_ticks += t->system_ticks;
		task_free_when_switched_away(t);
		if (g->live == 0) {
			g->leader->exit_status = status; /* Linux 6: the last thread's status */
			process_exited(g->leader);
		}
	} else if (g->live == 0) {
		process_exited(t);
	}
	/* else: the leader stays an unreported zombie until its last thread exits. */
	schedule();
	panic("a zombie was scheduled");
}

/* exit ends the calling thread only; exit_group, the whole process. */
long sys_exit(int status)
{
	do_exit(W_EXITCODE(status));
}

long sys_exit_group(int status)
{
	do_group_exit(W_EXITCODE(status));
}

/* t stops; the parent hears of it (as of its process: the leader) only
 * when report is true -- once for the group. */
void task_stop(struct task *t, int sig, bool report)
{
	if (unlikely(t->ptrace) && ptrace_group_stop(t, sig)) /* ptrace: the tracer hears instead */
		return;
	t->state = TASK_STOPPED;
	if (report) {
		struct task *leader = t->group->leader;
		leader->exit_status = W_STOPCODE(sig);
		leader->report_event = CLD_STOPPED;
		notify_parent(leader, CLD_STOPPED, sig);
	}
	while (t->state == TASK_STOPPED)
		schedule();
}

bool task_continue(struct task *t)
{
	uint64_t f = irq_save();
	bool was_stopped = t->state == TASK_STOPPED;
	if (was_stopped) {
		t->state = TASK_RUNNING;
		sched_enqueue(t);
	}
	irq_restore(f);
	return was_stopped;
}

void task_wake_for_signal(struct task *t)
{
	task_wake(t); /* every sleep in sysgate is interruptible */
	ptrace_wake_for_kill(t); /* ptrace: SIGKILL ends a ptrace-stop too */
}

/* --- wait4 and waitid --------------------------------------------------------------------- */

/* Which children a wait is for: waitid's idtype and id. wait4's pid
 * argument is turned into one of these (see sys_wait4). */
struct wait_target {
	int type; /* P_ALL, P_PID or P_PGID */
	pid_t id;
};

static bool child_matches(const struct task *c, struct wait_target who, int options)
{
	/* A "clone child" tells its end with another signal than SIGCHLD (or
	 * none): only __WCLONE waits for those, only for those; __WALL for all. */
	bool clone_child = c->exit_signal != SIGCHLD;
	if (!(options & __WALL) && clone_child != !!(options & __WCLONE))
		return false;
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
	uint64_t user, sys;
	thread_group_cpu_ticks(c, &user, &sys);
	rusage_fill(ru, user, sys);
}

/* Look for a child with something to report: an exit (if WEXITED), a stop
 * (WSTOPPED, which is WUNTRACED) or a continue (WCONTINUED). Returns its pid
 * (and fills *status, in wait4's encoding, and *ru), 0 if matching children
 * exist but none has news, or -ECHILD if there is no matching child at all.
 * With WNOWAIT the news stays, and the next wait finds it again. */
static pid_t find_waitable(struct wait_target who, int options, int *status, struct rusage_abi *ru)
{
	struct task *self = current->group->leader; /* children of any thread are the process's */
	/* ptrace: our tracees' stops and exits (kernel/trace/ptrace_stop.c). */
	pid_t traced = ptrace_wait_news(current, who.type, who.id, options, status);
	if (traced > 0) {
		rusage_fill(ru, 0, 0);
		return traced;
	}
	bool any = traced == 0, keep = options & WNOWAIT;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &self->children) {
		struct task *c = list_entry(n, struct task, sibling);
		if (!child_matches(c, who, options))
			continue;
		if (c->state == TASK_ZOMBIE && c->group->live > 0) {
			any = true; /* its leader exited, other threads run: not dead yet */
			continue;
		}
		if (c->state == TASK_ZOMBIE && !(options & WEXITED))
			continue; /* it will never stop or continue again: as if absent (Linux) */
		any = true;
		if (c->state == TASK_ZOMBIE) {
			pid_t cpid = c->pid;
			*status = c->exit_status;
			fill_rusage(ru, c);
			if (keep)
				return cpid;
			uint64_t user, sys;
			thread_group_cpu_ticks(c, &user, &sys);
			self->children_user_ticks += user + c->children_user_ticks;
			self->children_system_ticks += sys + c->children_system_ticks;
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
	int err = wait_event_interruptible(&current->group->leader->child_wait,
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
