/*
 * tick: a timer callback (course section: loadable modules; time).
 *
 *   insmod /lib/modules/tick.ko period_ms=20
 *   cat /proc/tick          how many times the callback has run
 *   rmmod tick
 *
 * A struct ktimer means "call this function at time T" (kernel/time/ktimer.c).
 * The callback runs inside the timer interrupt, so it must be short and
 * must never sleep; to run periodically it arms itself again for the next
 * period. The exit function must cancel the timer: left armed, the next
 * timer interrupt would jump into pages that are no longer there.
 */
#include "kernel/module/module_api.h"
#include "kernel/fs/procfs.h"

MODULE_NAME("tick");
MODULE_DESCRIPTION("a periodic timer callback; /proc/tick counts its calls");

static int period_ms = 10;
module_param(period_ms, int, "milliseconds between two callbacks (1-10000)");

static struct ktimer timer;
static uint64_t ticks; /* written in the interrupt, read by /proc/tick */

static void arm(void)
{
	ktimer_start(&timer, clock_monotonic_ns() + (uint64_t)period_ms * 1000000);
}

static void tick(struct ktimer *t)
{
	(void)t;
	ticks++;
	arm(); /* from now, not from the old deadline: a slow machine skips ticks */
}

static int show(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "%lu\n", ticks);
	return 0;
}

static int tick_init(void)
{
	if (period_ms < 1 || period_ms > 10000)
		return -EINVAL;
	int err = procfs_add("tick", show);
	if (err)
		return err;
	ktimer_init(&timer, tick, NULL);
	arm();
	return 0;
}

static void tick_exit(void)
{
	ktimer_cancel(&timer);
	procfs_remove("tick");
	printk("tick: the timer ran %lu times\n", ticks);
}

module_init(tick_init);
module_exit(tick_exit);
