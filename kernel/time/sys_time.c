/*
 * Time syscalls: clocks and sleeping (course section: time).
 *
 * clock_gettime reads the TSC-based clocks of drivers/timer.c. nanosleep
 * puts the task on a timer (kernel/proc/sched.c: sleep_ns); a signal handler
 * interrupts the sleep, and Linux then writes the time left into *rem and
 * returns EINTR.
 */
#include "kernel/proc/sched.h"
#include "kernel/time/ktimer.h"
#include "drivers/timer.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/vdso/vdso.h"
#include "libc/include/abi/time.h"
#include "kernel/time/periodic_timer.h"
#include "mm/uaccess.h"

#define TIMER_ABSTIME 1

static int read_clock(clockid_t id, uint64_t *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_REALTIME_COARSE: /* the last tick's, as the vDSO reads it */
	case CLOCK_MONOTONIC_COARSE:
		*ns = vdso_coarse_ns(id == CLOCK_REALTIME_COARSE);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		*ns = clock_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID: {
		uint64_t user, sys;
		thread_group_cpu_ticks(current, &user, &sys); /* every thread's */
		*ns = (user + sys) * (NSEC_PER_SEC / TIMER_HZ);
		return 0;
	}
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = (current->user_ticks + current->system_ticks) * (NSEC_PER_SEC / TIMER_HZ);
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(clockid_t clockid, struct timespec __user *tp)
{
	uint64_t ns;
	int err = read_clock(clockid, &ns);
	if (err)
		return err;
	struct timespec ts = ns_to_timespec(ns);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_clock_getres(clockid_t clockid, struct timespec __user *res)
{
	uint64_t ns;
	int err = read_clock(clockid, &ns);
	if (err)
		return err;
	struct timespec ts = { 0, 1 };
	if (res && copy_to_user(res, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

long sys_gettimeofday(struct timeval __user *tv, void __user *tz)
{
	uint64_t ns = clock_realtime_ns();
	struct timeval t = { (long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC / 1000) };
	int zone[2] = { 0, 0 }; /* struct timezone: minutes west of UTC, DST: sysgate keeps UTC */
	if (tv && copy_to_user(tv, &t, sizeof(t)))
		return -EFAULT;
	if (tz && copy_to_user(tz, zone, sizeof(zone)))
		return -EFAULT;
	return 0;
}

static long nanosleep_restart(struct restart_block *rb);

int timespec_from_user(const struct timespec __user *u, uint64_t *ns)
{
	struct timespec ts;
	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= TIMEOUT_FOREVER / NSEC_PER_SEC)
		*ns = TIMEOUT_FOREVER;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/* Sleep until the monotonic deadline. On a signal, report the time left;
 * the signal code then turns -ERESTART_RESTARTBLOCK into EINTR (a handler
 * ran) or into restart_syscall, which comes back here with the same
 * deadline (no handler: an ignored signal, or a stop and continue). */
static long sleep_until(uint64_t deadline, struct timespec __user *rem)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t left = now < deadline ? sleep_ns(deadline - now) : 0;
	if (left == 0)
		return 0;
	if (rem) {
		struct timespec ts = ns_to_timespec(left);
		if (copy_to_user(rem, &ts, sizeof(ts)))
			return -EFAULT;
	}
	current->restart = (struct restart_block){ nanosleep_restart, deadline, rem, 0 };
	return -ERESTART_RESTARTBLOCK;
}

static long nanosleep_restart(struct restart_block *rb)
{
	return sleep_until(rb->deadline, rb->uaddr);
}

static long sleep_for(uint64_t ns, struct timespec __user *rem)
{
	uint64_t now = clock_monotonic_ns();
	return sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns, rem);
}

long sys_nanosleep(const struct timespec __user *req, struct timespec __user *rem)
{
	uint64_t ns;
	int err = timespec_from_user(req, &ns);
	if (err)
		return err;
	return sleep_for(ns, rem);
}

long sys_clock_nanosleep(clockid_t clockid, int flags, const struct timespec __user *req,
			 struct timespec __user *rem)
{
	uint64_t ns, now;
	int err = read_clock(clockid, &now);
	if (err)
		return err;
	if (clockid == CLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP; /* as Linux: a thread cannot sleep on its own CPU time */
	err = timespec_from_user(req, &ns);
	if (err)
		return err;
	if (flags & TIMER_ABSTIME)
		return sleep_for(ns > now ? ns - now : 0, NULL);
	return sleep_for(ns, rem);
}

long sys_sched_yield(void)
{
	schedule();
	return 0;
}
