/*
 * The signal syscalls (course section: signals).
 *
 * rt_sigaction installs what to do with a signal, rt_sigprocmask chooses
 * which signals wait (are blocked), kill and friends send them, and
 * sigsuspend/pause/rt_sigtimedwait wait for them. The rules that keep a
 * program from hurting itself or others: SIGKILL and SIGSTOP can be neither
 * caught, blocked nor ignored; signal numbers run from 1 to 64; the kernel's
 * signal set is 8 bytes, and any other sigsetsize is EINVAL.
 */
#include "kernel/cred/cred.h"
#include "kernel/proc/exit.h"
#include "kernel/time/ktimer.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/time.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define UNCATCHABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG_KERNEL;
}

/* The sa_flags bits Linux knows; it clears the others, so that a program
 * can set a bit and read back whether this kernel supports it. */
#define SA_KNOWN_FLAGS                                                                                    \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_EXPOSE_TAGBITS | SA_ONSTACK | SA_RESTART | SA_NODEFER | \
	 SA_RESETHAND | SA_RESTORER)

long sys_rt_sigaction(int sig, const struct kernel_sigaction __user *act, struct kernel_sigaction __user *oact,
		      size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	struct kernel_sigaction new_act;
	if (act && copy_from_user(&new_act, act, sizeof(new_act)))
		return -EFAULT;
	if (!valid_signal(sig) || (act && (SIGBIT(sig) & UNCATCHABLE)))
		return -EINVAL;
	struct task *t = current;
	struct kernel_sigaction old = t->sighand->action[sig];
	if (act && (old.flags & SA_IMMUTABLE))
		return -EINVAL; /* a forced fatal signal is on its way: its action stays */
	old.flags &= ~(unsigned long)SA_IMMUTABLE;
	if (act) {
		new_act.mask &= ~UNCATCHABLE;
		new_act.flags &= SA_KNOWN_FLAGS;
		t->sighand->action[sig] = new_act;
		if (signal_ignored(t, sig))
			sigpending_flush(t, SIGBIT(sig)); /* POSIX: pending ones are dropped */
	}
	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const kernel_sigset_t __user *set, kernel_sigset_t __user *oset,
			size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	struct task *t = current;
	kernel_sigset_t old = t->sig.blocked, s;
	if (set) {
		if (copy_from_user(&s, set, sizeof(s)))
			return -EFAULT;
		s &= ~UNCATCHABLE;
		switch (how) {
		case SIG_BLOCK:
			t->sig.blocked |= s;
			break;
		case SIG_UNBLOCK:
			t->sig.blocked &= ~s;
			break;
		case SIG_SETMASK:
			t->sig.blocked = s;
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(kernel_sigset_t __user *set, size_t sigsetsize)
{
	if (sigsetsize > sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t p = sigpending_all(current) & current->sig.blocked;
	return copy_to_user(set, &p, sigsetsize) ? -EFAULT : 0;
}

/* Sleep until a signal needs attention. */
static void wait_for_signal(void)
{
	while (!current_signal_pending()) {
		current->state = TASK_SLEEPING;
		if (current_signal_pending())
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
}

long sys_pause(void)
{
	wait_for_signal();
	return -ERESTARTNOHAND;
}

long sys_rt_sigsuspend(const kernel_sigset_t __user *mask, size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t m;
	if (copy_from_user(&m, mask, sizeof(m)))
		return -EFAULT;
	struct task *t = current;
	/* The handler's frame will record the mask from before sigsuspend, so
	 * that returning from the handler restores it (kernel/signal/signal_frame.c). */
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_saved_mask = true;
	t->sig.blocked = m & ~UNCATCHABLE;
	wait_for_signal();
	return -ERESTARTNOHAND;
}

/* --- sending ------------------------------------------------------------------ */

static void fill_kill_info(ksiginfo_t *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->fields.kill.si_pid = task_tgid(current);
	info->fields.kill.si_uid = current_cred()->uid;
}

/* Linux's order of checks: first find the target (ESRCH), then look at the
 * signal number (EINVAL), so kill(no such pid, 2000) is ESRCH. */
static int signal_with_info(struct task *t, enum signal_target to, int sig, const ksiginfo_t *info)
{
	if (!t || t->pid <= 0)
		return -ESRCH;
	if (sig < 0 || sig > NSIG_KERNEL)
		return -EINVAL;
	if (!may_signal(t, sig))
		return -EPERM;
	if (sig == 0)
		return 0; /* only asks "does it exist?"; a zombie exists until reaped */
	/* A zombie takes nothing, but a leader that exited before its
	 * threads stands for them: send_signal passes it on. */
	return to == TO_THREAD ? send_signal_thread(t, sig, info) : send_signal(t, sig, info);
}

/* kill and tkill: the siginfo says only who sent it. */
static int signal_one(struct task *t, int sig, int code)
{
	ksiginfo_t info;
	fill_kill_info(&info, sig, code);
	return signal_with_info(t, code == SI_TKILL ? TO_THREAD : TO_PROCESS, sig, &info);
}

/* kill(-pgid) and kill(0): every process of the group. */
static int signal_group(pid_t pgid, int sig)
{
	int result = -ESRCH;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->pid > 0 && t->pgid == pgid && t == t->group->leader) /* once per process */
			result = signal_one(t, sig, SI_USER);
	}
	return result;
}

/* kill(-1): every process but init and the caller (Linux's rule). */
static int signal_everyone(int sig)
{
	int result = -ESRCH;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->pid > 0 && t->group != init_task->group && t->group != current->group && t == t->group->leader)
			result = signal_one(t, sig, SI_USER);
	}
	return result;
}

long sys_kill(pid_t pid, int sig)
{
	if (pid > 0)
		return signal_one(task_find(pid), sig, SI_USER);
	if (pid == 0)
		return signal_group(current->pgid, sig);
	if (pid == -1)
		return signal_everyone(sig);
	if (pid == INT32_MIN)
		return -ESRCH; /* -INT_MIN cannot be negated */
	return signal_group(-pid, sig);
}

long sys_tkill(pid_t tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return signal_one(task_find(tid), sig, SI_TKILL);
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct task *t = task_find(tid);
	if (t && task_tgid(t) != tgid)
		t = NULL; /* a thread of another process: as if absent */
	return signal_one(t, sig, SI_TKILL);
}

/*
 * rt_sigqueueinfo and rt_tgsigqueueinfo: send a signal with a siginfo the
 * sender wrote, which is how sigqueue passes a value to the receiver's
 * SA_SIGINFO handler. A program may not forge the kernel's own codes or
 * kill's to anyone else (si_code >= 0 or SI_TKILL: EPERM); it may say what
 * it likes to itself. As on Linux, the siginfo is read before anything is
 * checked, and its si_signo is replaced by sig.
 */
static bool forges_a_sender(const ksiginfo_t *info, pid_t target)
{
	return (info->si_code >= 0 || info->si_code == SI_TKILL) && target != current->pid;
}

long sys_rt_sigqueueinfo(pid_t pid, int sig, const ksiginfo_t __user *uinfo)
{
	ksiginfo_t info;
	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	info.si_signo = sig;
	if (forges_a_sender(&info, pid))
		return -EPERM;
	return signal_with_info(pid > 0 ? task_find(pid) : NULL, TO_PROCESS, sig, &info);
}

long sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, const ksiginfo_t __user *uinfo)
{
	ksiginfo_t info;
	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	info.si_signo = sig;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (forges_a_sender(&info, tid))
		return -EPERM;
	struct task *t = task_find(tid);
	if (t && task_tgid(t) != tgid)
		t = NULL; /* a thread of another process: as if absent */
	return signal_with_info(t, TO_THREAD, sig, &info);
}

/* --- the alternate signal stack ---------------------------------------------------- */

long sys_sigaltstack(const stack_t __user *uss, stack_t __user *uoss)
{
	struct task *t = current;
	uint64_t sp = task_regs(t)->rsp;
	stack_t old, ss;
	altstack_get(t, sp, &old);
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		int err = altstack_set(t, &ss, sp);
		if (err)
			return err;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* --- waiting for a signal synchronously ---------------------------------------------------- */

static void wake_timed_out(struct ktimer *timer)
{
	task_wake(timer->data);
}

long sys_rt_sigtimedwait(const kernel_sigset_t __user *uset, ksiginfo_t __user *uinfo,
			 const struct timespec __user *utimeout, size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t set;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~UNCATCHABLE;
	uint64_t deadline = UINT64_MAX;
	if (utimeout) {
		uint64_t ns;
		int err = timespec_from_user(utimeout, &ns);
		if (err)
			return err;
		deadline = clock_monotonic_ns() + ns;
	}
	struct task *t = current;
	struct ktimer timer;
	ktimer_init(&timer, wake_timed_out, t);
	if (deadline != UINT64_MAX)
		ktimer_start(&timer, deadline);
	ksiginfo_t info;
	int sig;
	/* The awaited signals are usually blocked, so send_signal does not
	 * wake us as it wakes a task for a signal it must act on. But it wakes
	 * the task's signal_wait queue for every signal: sleep there, and look
	 * at the pending set on every wake-up (a signal, or the timeout). */
	struct waiter w;
	waiter_init(&w, NULL, NULL);
	for (;;) {
		prepare_to_wait(&t->signal_wait, &w);
		if ((sig = sigpending_take(t, set, &info)) || signal_work_pending(t) || clock_monotonic_ns() >= deadline)
			break;
		schedule();
	}
	finish_wait(&w);
	ktimer_cancel(&timer);
	if (!sig)
		return signal_work_pending(t) ? -EINTR : -EAGAIN;
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

/* --- resource usage -------------------------------------------------------------------------- */

/* times: CPU time in clock ticks of USER_HZ (100 a second: what
 * sysconf(_SC_CLK_TCK) says), ours and our reaped children's. Returns the
 * ticks since boot, a count only good for differences. */
#define USER_HZ 100

struct tms_abi {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

static long user_hz_ticks(uint64_t ticks)
{
	return (long)(ticks / (TIMER_HZ / USER_HZ));
}

long sys_times(struct tms_abi __user *buf)
{
	struct task *t = current->group->leader; /* the process's times: all its threads' */
	uint64_t user, sys;
	thread_group_cpu_ticks(t, &user, &sys);
	struct tms_abi tms = { user_hz_ticks(user), user_hz_ticks(sys),
			       user_hz_ticks(t->children_user_ticks), user_hz_ticks(t->children_system_ticks) };
	if (buf && copy_to_user(buf, &tms, sizeof(tms)))
		return -EFAULT;
	return (long)(clock_monotonic_ns() / (NSEC_PER_SEC / USER_HZ));
}

long sys_getrusage(int who, struct rusage __user *usage)
{
	struct task *t = current;
	uint64_t user, sys;
	if (who == 0) { /* RUSAGE_SELF: every thread of the process */
		thread_group_cpu_ticks(t, &user, &sys);
	} else if (who == 1) { /* RUSAGE_THREAD: this one */
		user = t->user_ticks;
		sys = t->system_ticks;
	} else if (who == -1) { /* RUSAGE_CHILDREN: the reaped ones */
		user = t->group->leader->children_user_ticks;
		sys = t->group->leader->children_system_ticks;
	} else {
		return -EINVAL;
	}
	struct rusage_abi ru;
	rusage_fill(&ru, user, sys);
	return copy_to_user(usage, &ru, sizeof(ru)) ? -EFAULT : 0;
}
