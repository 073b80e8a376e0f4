/*
 * POSIX timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete (course section: signals; time).
 *
 * alarm and setitimer give a process one timer per kind; timer_create gives
 * it as many as it likes, each on a clock of its choice, each announcing
 * itself with the signal and value it was given (struct sigevent): the
 * signal's siginfo says SI_TIMER, which timer (si_timerid) and the value
 * (si_value). A real-time signal carries the value to the handler -- this
 * is what real-time signals were made for.
 *
 * A timer never has more than one signal pending. If it expires again
 * before that signal is taken, the expiry is counted in the pending
 * signal's si_overrun instead (kernel/signal/signal_pending.c), so a process that
 * was busy learns how many periods it missed; timer_getoverrun repeats the
 * count of the signal last taken.
 *
 * Timers belong to the process (its struct thread_group), not to the
 * thread that made them: one survives its maker's exit, and any thread can
 * set or delete it. fork does not copy them; exec and the process's exit
 * (its last thread's) delete them. Ids count up from 0, as Linux gives
 * them. SIGEV_THREAD_ID names the thread that takes the signal: any
 * thread of the process (glibc's SIGEV_THREAD names its helper thread).
 *
 * Timers on the CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID: every thread's
 * time; CLOCK_THREAD_CPUTIME_ID: the creating thread's) run down as that
 * CPU time is used, not as the wall clock goes: the scheduler's tick
 * subtracts its period from each armed one (posix_cpu_timers_tick), so
 * they cost nothing while the process sleeps. A thread's clock stops with
 * the thread, and so do its timers.
 */
#include "kernel/time/posix_timer.h"
#include "arch/x86_64/cpu.h"
#include "kernel/time/periodic_timer.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define MAX_POSIX_TIMERS 1024 /* per process; Linux's bound is RLIMIT_SIGPENDING */
#define TIMER_ABSTIME 1

struct posix_timer {
	struct list_node node; /* on the process's posix_timers */
	int id;
	struct thread_group *group; /* the process it belongs to */
	struct task *thread;        /* SIGEV_THREAD_ID's thread; NULL once it has exited */
	int notify;            /* SIGEV_SIGNAL (or _THREAD), SIGEV_NONE, SIGEV_THREAD_ID */
	int signo;
	union sigval value;
	struct periodic_timer clock; /* the wall clocks' timers */
	int overrun_last;      /* the si_overrun of the signal last taken */
	/* The CPU-time clocks' timers: what is left, the period, and the
	 * place on the process's list of armed ones (the tick walks it). */
	clockid_t cpu_clock;   /* CLOCK_*_CPUTIME_ID, or 0 for a wall clock */
	struct task *cpu_thread; /* CLOCK_THREAD_CPUTIME_ID's thread; NULL once it exited */
	uint64_t cpu_left_ns, cpu_interval_ns;
	struct list_node cpu_node;
	bool cpu_armed;
};

#define TICK_NS (NSEC_PER_SEC / TIMER_HZ)

static bool on_cpu_clock(const struct posix_timer *pt)
{
	return pt->cpu_clock != 0;
}

/* --- expiry, in the timer interrupt ------------------------------------------------------- */

/* As Linux does, a periodic timer whose signal is pending, or that has no
 * signal (SIGEV_NONE), is not re-armed: it pauses (periodic_pause) and
 * goes back on the wheel when its signal is taken, which adds the periods
 * it missed meanwhile to that signal's si_overrun. So a process cannot
 * make the timer interrupt do more work than it takes signals: 1,024
 * timers at 1 ms whose signals are blocked cost nothing after their
 * first expiry. */
/* Who takes the timer's signal now; NULL when nobody (SIGEV_NONE, or its thread is gone). */
static struct task *timer_target(const struct posix_timer *pt)
{
	/* The leader is read now: an exec in another thread may have changed it. */
	struct task *to = pt->notify == SIGEV_THREAD_ID ? pt->thread : pt->group->leader;
	return pt->notify == SIGEV_NONE ? NULL : to;
}

/* Queue the timer's signal, carrying the expiries missed before this one; an errno if not queued. */
static int send_timer_signal(struct posix_timer *pt, struct task *to, uint64_t missed)
{
	ksiginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = pt->signo;
	info.si_code = SI_TIMER;
	info.fields.timer.si_tid = pt->id;
	info.fields.timer.si_overrun = missed - 1 > INT32_MAX ? INT32_MAX : (int)(missed - 1);
	info.fields.timer.si_value = pt->value;
	return pt->notify == SIGEV_THREAD_ID ? send_signal_thread(to, pt->signo, &info)
					    : send_signal(to, pt->signo, &info);
}

static void posix_timer_fired(struct ktimer *k)
{
	struct posix_timer *pt = k->data;
	struct task *to = timer_target(pt);
	if (!to) { /* as Linux drops it */
		periodic_pause(&pt->clock);
		return;
	}
	if (sigpending_timer_overrun(to, pt->signo, pt->id, 1)) {
		periodic_pause(&pt->clock); /* re-set while its signal was pending */
		return;
	}
	if (signal_ignored(to, pt->signo) && !(to->sig.blocked & SIGBIT(pt->signo))) {
		periodic_expired(&pt->clock); /* dropped on sending: nothing will resume it */
		return;
	}
	if (send_timer_signal(pt, to, periodic_pause(&pt->clock)))
		periodic_resume(&pt->clock); /* not queued: keep counting periods */
}

/* --- the CPU-time clocks' timers, run down by the tick ---------------------------------------- */

static void cpu_timer_disarm(struct posix_timer *pt)
{
	if (pt->cpu_armed)
		list_remove(&pt->cpu_node);
	pt->cpu_armed = false;
}

static void cpu_timer_expired(struct posix_timer *pt)
{
	struct task *to = timer_target(pt);
	if (to && !sigpending_timer_overrun(to, pt->signo, pt->id, 1))
		send_timer_signal(pt, to, 1);
	if (pt->cpu_interval_ns)
		pt->cpu_left_ns = pt->cpu_interval_ns;
	else
		cpu_timer_disarm(pt);
}

void posix_cpu_timers_tick(struct task *t)
{
	struct thread_group *g = t->group;
	if (list_empty(&g->cpu_timers))
		return;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &g->cpu_timers) {
		struct posix_timer *pt = list_entry(n, struct posix_timer, cpu_node);
		if (pt->cpu_clock == CLOCK_THREAD_CPUTIME_ID && pt->cpu_thread != t)
			continue; /* another thread's CPU time */
		if (pt->cpu_left_ns > TICK_NS)
			pt->cpu_left_ns -= TICK_NS;
		else
			cpu_timer_expired(pt);
	}
}

/* The clock a CPU timer counts, now (for TIMER_ABSTIME). */
static uint64_t cpu_clock_now(const struct posix_timer *pt)
{
	if (pt->cpu_clock == CLOCK_THREAD_CPUTIME_ID)
		return pt->cpu_thread ? (pt->cpu_thread->user_ticks + pt->cpu_thread->system_ticks) * TICK_NS : 0;
	uint64_t user, sys;
	thread_group_cpu_ticks(pt->group->leader, &user, &sys);
	return (user + sys) * TICK_NS;
}

static struct itimerspec cpu_timer_get(const struct posix_timer *pt)
{
	struct itimerspec its = { ns_to_timespec(pt->cpu_interval_ns), ns_to_timespec(0) };
	if (pt->cpu_armed)
		its.it_value = ns_to_timespec(pt->cpu_left_ns);
	return its;
}

static void cpu_timer_set(struct posix_timer *pt, const struct itimerspec *its, bool absolute)
{
	uint64_t value = timespec_to_ns(&its->it_value), now = absolute ? cpu_clock_now(pt) : 0;
	uint64_t f = irq_save(); /* the tick walks the list */
	cpu_timer_disarm(pt);
	pt->cpu_interval_ns = timespec_to_ns(&its->it_interval);
	if (value && (pt->cpu_clock != CLOCK_THREAD_CPUTIME_ID || pt->cpu_thread)) {
		/* An absolute time already past expires at the next tick. */
		pt->cpu_left_ns = absolute ? (value > now ? value - now : 1) : value;
		list_push_back(&pt->group->cpu_timers, &pt->cpu_node);
		pt->cpu_armed = true;
	}
	irq_restore(f);
}

/* --- finding a process's timers ------------------------------------------------------------ */

static struct posix_timer *find_timer(struct thread_group *g, int id)
{
	struct list_node *n;
	list_for_each(n, &g->posix_timers) {
		struct posix_timer *pt = list_entry(n, struct posix_timer, node);
		if (pt->id == id)
			return pt;
	}
	return NULL;
}

static int count_timers(struct thread_group *g)
{
	int n = 0;
	struct list_node *node;
	list_for_each(node, &g->posix_timers)
		n++;
	return n;
}

/* The next id after the last one given that no timer holds. */
static int next_id(struct thread_group *g)
{
	for (;;) {
		int id = g->next_timer_id;
		g->next_timer_id = id == INT32_MAX ? 0 : id + 1;
		if (!find_timer(g, id))
			return id;
	}
}

void posix_timer_delivered(struct task *t, ksiginfo_t *info)
{
	struct posix_timer *pt = find_timer(t->group, info->fields.timer.si_tid);
	if (!pt || on_cpu_clock(pt))
		return; /* a CPU timer keeps running down meanwhile: nothing to resume */
	uint64_t f = irq_save();
	uint64_t sum = (uint64_t)info->fields.timer.si_overrun + periodic_resume(&pt->clock);
	irq_restore(f);
	info->fields.timer.si_overrun = sum > INT32_MAX ? INT32_MAX : (int)sum;
	pt->overrun_last = info->fields.timer.si_overrun;
}

/* --- the syscalls --------------------------------------------------------------------------- */

/* Linux's answer for each clock: timers on the realtime, monotonic and
 * boot-time clocks; EOPNOTSUPP for the clocks that have no timers (raw,
 * coarse) or need a privilege (the alarm clocks); EINVAL otherwise. (Linux
 * also has CLOCK_TAI, and another process's CPU clock; sysgate has neither.) */
static int check_clock(clockid_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* The live thread of the caller's process whose tid is tid, or NULL. */
static struct task *thread_of_caller(pid_t tid)
{
	struct list_node *n;
	list_for_each(n, &current->group->threads) {
		struct task *th = list_entry(n, struct task, group_node);
		if (th->pid == tid && th->state != TASK_ZOMBIE && th->state != TASK_DEAD)
			return th;
	}
	return NULL;
}

static bool valid_sigevent(const struct sigevent *ev)
{
	switch (ev->sigev_notify) {
	case SIGEV_THREAD_ID:
		if (!thread_of_caller(ev->sigev_notify_thread_id))
			return false; /* Linux: only a thread of the caller's own process */
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		return ev->sigev_signo >= 1 && ev->sigev_signo <= NSIG_KERNEL;
	case SIGEV_NONE:
		return true;
	default:
		return false;
	}
}

long sys_timer_create(clockid_t clock, const struct sigevent __user *usev, int __user *uid)
{
	struct sigevent ev;
	if (usev && copy_from_user(&ev, usev, sizeof(ev)))
		return -EFAULT;
	int err = check_clock(clock);
	if (err)
		return err;
	struct thread_group *g = current->group;
	if (count_timers(g) >= MAX_POSIX_TIMERS)
		return -EAGAIN;
	int id = next_id(g);
	if (!usev) /* the default: SIGALRM, with the timer's id as the value */
		ev = (struct sigevent){ .sigev_value.sival_int = id, .sigev_signo = SIGALRM, .sigev_notify = SIGEV_SIGNAL };
	if (!valid_sigevent(&ev))
		return -EINVAL;
	if (copy_to_user(uid, &id, sizeof(id)))
		return -EFAULT;
	struct posix_timer *pt = kzalloc(sizeof(*pt));
	if (!pt)
		return -EAGAIN; /* Linux's errno for "no memory for a timer" */
	pt->id = id;
	pt->group = g;
	pt->thread = ev.sigev_notify == SIGEV_THREAD_ID ? thread_of_caller(ev.sigev_notify_thread_id) : NULL;
	pt->notify = ev.sigev_notify;
	pt->signo = ev.sigev_signo;
	pt->value = ev.sigev_value;
	if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID) {
		pt->cpu_clock = clock;
		pt->cpu_thread = clock == CLOCK_THREAD_CPUTIME_ID ? current : NULL;
	} else {
		periodic_init(&pt->clock, clock, posix_timer_fired, pt);
	}
	list_push_back(&g->posix_timers, &pt->node);
	return 0;
}

long sys_timer_settime(int id, int flags, const struct itimerspec __user *unew, struct itimerspec __user *uold)
{
	struct itimerspec new;
	if (!unew)
		return -EINVAL;
	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (!itimerspec_valid(&new))
		return -EINVAL;
	struct posix_timer *pt = find_timer(current->group, id);
	if (!pt)
		return -EINVAL;
	struct itimerspec old = on_cpu_clock(pt) ? cpu_timer_get(pt) : periodic_get(&pt->clock);
	if (on_cpu_clock(pt))
		cpu_timer_set(pt, &new, flags & TIMER_ABSTIME);
	else
		periodic_set(&pt->clock, &new, flags & TIMER_ABSTIME);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timer_gettime(int id, struct itimerspec __user *ucur)
{
	struct posix_timer *pt = find_timer(current->group, id);
	if (!pt)
		return -EINVAL;
	struct itimerspec cur = on_cpu_clock(pt) ? cpu_timer_get(pt) : periodic_get(&pt->clock);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}

long sys_timer_getoverrun(int id)
{
	struct posix_timer *pt = find_timer(current->group, id);
	return pt ? pt->overrun_last : -EINVAL;
}

static void delete_timer(struct posix_timer *pt)
{
	if (on_cpu_clock(pt)) {
		uint64_t f = irq_save();
		cpu_timer_disarm(pt);
		irq_restore(f);
	} else {
		periodic_cancel(&pt->clock); /* it can no longer fire, so it can go */
	}
	list_remove(&pt->node);
	kfree(pt);
}

long sys_timer_delete(int id)
{
	struct posix_timer *pt = find_timer(current->group, id);
	if (!pt)
		return -EINVAL;
	delete_timer(pt);
	return 0;
}

void posix_timers_delete_all(struct task *t)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &t->group->posix_timers)
		delete_timer(list_entry(n, struct posix_timer, node));
	t->group->next_timer_id = 0;
}

void posix_timers_thread_exit(struct task *t)
{
	uint64_t f = irq_save(); /* the timer interrupt reads pt->thread */
	struct list_node *n;
	list_for_each(n, &t->group->posix_timers) {
		struct posix_timer *pt = list_entry(n, struct posix_timer, node);
		if (pt->thread == t)
			pt->thread = NULL;
		if (pt->cpu_thread == t) { /* its clock stops: the timer never fires again */
			pt->cpu_thread = NULL;
			cpu_timer_disarm(pt);
		}
	}
	irq_restore(f);
}
