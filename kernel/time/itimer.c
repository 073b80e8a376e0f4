/*
 * Interval timers: setitimer, getitimer and alarm (course section: signals;
 * time).
 *
 * Each process has three, each a first expiry (it_value) and an optional
 * period (it_interval), and each sends a signal when it runs out:
 *
 *     ITIMER_REAL     wall-clock time        SIGALRM
 *     ITIMER_VIRTUAL  CPU time in user mode  SIGVTALRM
 *     ITIMER_PROF     CPU time, user+kernel  SIGPROF   (what gprof samples with)
 *
 * The real timer is a kernel timer (kernel/time/ktimer.c) that fires at a
 * moment; alarm(n) is this same timer set to n seconds with no period.
 * The two CPU timers cannot fire at a moment -- nobody knows when a
 * process will have used 10 ms -- so the timer tick takes one tick's worth
 * from them whenever it lands in the process. Timers are not inherited
 * by fork and survive exec, as in Linux. The real timer is the process's
 * (its struct thread_group), whichever thread set it: it outlives that
 * thread and goes with the process's last thread.
 */
#include "kernel/time/itimer.h"
#include "kernel/time/ktimer.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/time.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define US_PER_SEC 1000000ull
#define US_PER_TICK (US_PER_SEC / TIMER_HZ)

/* --- the real timer ------------------------------------------------------------------- */

static void real_fired(struct ktimer *timer)
{
	struct thread_group *g = timer->data;
	ksiginfo_t info = { .si_signo = SIGALRM, .si_code = SI_KERNEL };
	send_signal(g->leader, SIGALRM, &info); /* to the process: any thread that takes it */
	if (g->alarm_interval_ns)
		ktimer_start(timer, timer->deadline_ns + g->alarm_interval_ns);
}

/* Nanoseconds until the real timer fires; 0 if it is not armed. */
static uint64_t real_left_ns(const struct task *t)
{
	const struct thread_group *g = t->group;
	if (!g->alarm || !g->alarm->armed)
		return 0;
	uint64_t now = clock_monotonic_ns();
	return g->alarm->deadline_ns > now ? g->alarm->deadline_ns - now : 1;
}

static int real_set(struct task *t, uint64_t value_ns, uint64_t interval_ns)
{
	struct thread_group *g = t->group;
	if (g->alarm)
		ktimer_cancel(g->alarm);
	g->alarm_interval_ns = interval_ns;
	if (!value_ns)
		return 0;
	if (!g->alarm) {
		g->alarm = kmalloc(sizeof(*g->alarm));
		if (!g->alarm)
			return -ENOMEM;
		ktimer_init(g->alarm, real_fired, g);
	}
	ktimer_start(g->alarm, clock_monotonic_ns() + value_ns);
	return 0;
}

void itimer_process_exit(struct task *t)
{
	struct thread_group *g = t->group;
	if (!g->alarm)
		return;
	ktimer_cancel(g->alarm);
	kfree(g->alarm);
	g->alarm = NULL;
}

long sys_alarm(unsigned int seconds)
{
	uint64_t left = real_left_ns(current);
	int err = real_set(current, (uint64_t)seconds * NSEC_PER_SEC, 0);
	if (err)
		return err;
	/* Rounded to the nearest second, and a pending alarm never says 0. */
	long s = (long)((left + NSEC_PER_SEC / 2) / NSEC_PER_SEC);
	return left && !s ? 1 : s;
}

/* --- the CPU-time timers -------------------------------------------------------------- */

static void cpu_timer_tick(struct task *t, int which, int sig)
{
	struct cpu_itimer *it = &t->cpu_itimer[which - ITIMER_VIRTUAL];
	if (!it->left_us)
		return;
	if (it->left_us > US_PER_TICK) {
		it->left_us -= US_PER_TICK;
		return;
	}
	it->left_us = it->interval_us;
	send_signal(t, sig, NULL);
}

void itimer_tick(struct task *t, bool from_user)
{
	if (from_user)
		cpu_timer_tick(t, ITIMER_VIRTUAL, SIGVTALRM);
	cpu_timer_tick(t, ITIMER_PROF, SIGPROF);
}

/* --- setitimer and getitimer ---------------------------------------------------------- */

static uint64_t timeval_us(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * US_PER_SEC + (uint64_t)tv->tv_usec;
}

static struct timeval us_timeval(uint64_t us)
{
	return (struct timeval){ (long)(us / US_PER_SEC), (long)(us % US_PER_SEC) };
}

static bool timeval_valid(const struct timeval *tv)
{
	/* A second's limit keeps the microseconds well below overflow, too. */
	return tv->tv_sec >= 0 && tv->tv_sec <= (long)(UINT64_MAX / NSEC_PER_SEC / 2) && tv->tv_usec >= 0 &&
	       tv->tv_usec < (long)US_PER_SEC;
}

static struct itimerval itimer_get(const struct task *t, int which)
{
	if (which == ITIMER_REAL) {
		uint64_t left_ns = real_left_ns(t);
		/* Round up: a timer that has not fired has some time left. */
		return (struct itimerval){ us_timeval(t->group->alarm_interval_ns / 1000), us_timeval((left_ns + 999) / 1000) };
	}
	const struct cpu_itimer *it = &t->cpu_itimer[which - ITIMER_VIRTUAL];
	return (struct itimerval){ us_timeval(it->interval_us), us_timeval(it->left_us) };
}

/* Timer values are kept in whole ticks for the CPU timers, rounded up, as
 * Linux rounds them up to its clock's resolution. */
static uint64_t round_to_tick(uint64_t us)
{
	return (us + US_PER_TICK - 1) / US_PER_TICK * US_PER_TICK;
}

static int itimer_set(struct task *t, int which, const struct itimerval *v)
{
	uint64_t value = timeval_us(&v->it_value), interval = timeval_us(&v->it_interval);
	if (which == ITIMER_REAL)
		return real_set(t, value * 1000, value ? interval * 1000 : 0);
	struct cpu_itimer *it = &t->cpu_itimer[which - ITIMER_VIRTUAL];
	it->left_us = round_to_tick(value);
	it->interval_us = value ? round_to_tick(interval) : 0;
	return 0;
}

long sys_getitimer(int which, struct itimerval __user *curr)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	struct itimerval v = itimer_get(current, which);
	return copy_to_user(curr, &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_setitimer(int which, const struct itimerval __user *new_value, struct itimerval __user *old_value)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	struct itimerval v = { 0 }; /* Linux takes a NULL new value as "disarm" */
	if (new_value && copy_from_user(&v, new_value, sizeof(v)))
		return -EFAULT;
	if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval))
		return -EINVAL;
	struct itimerval old = itimer_get(current, which);
	int err = itimer_set(current, which, &v);
	if (err)
		return err;
	return old_value && copy_to_user(old_value, &old, sizeof(old)) ? -EFAULT : 0;
}
