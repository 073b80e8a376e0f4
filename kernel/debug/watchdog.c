/*
 * The soft-lockup watchdog (course section: kernel debugging techniques).
 *
 * sysgate's kernel is not preemptive: a task in kernel mode runs until it
 * sleeps or returns to user mode. Code that loops forever there -- a
 * module's init that never ends, a list that became a cycle -- stops every
 * other task, and nothing says why. The watchdog is the timer interrupt
 * looking at what it interrupted: the same task, in kernel mode, not the
 * idle loop, tick after tick. After 2 * watchdog_thresh seconds of that
 * (Linux's rule; /proc/sys/kernel/watchdog_thresh, 10 by default) it
 * prints, once per episode:
 *
 *   watchdog: BUG: soft lockup - CPU#0 stuck for 20s! [insmod:5]
 *
 * with the interrupted instruction and the call trace that led there.
 * Any tick that finds user mode, the idle task, or another task ends the
 * episode. The kernel goes on looping: a report, not a cure.
 *
 * (Linux's other watchdog, the hung-task detector, watches tasks in
 * uninterruptible sleep; sysgate's sleeps are all interruptible, so it has
 * nothing to watch yet.)
 */
#include "kernel/debug/taint.h"
#include "kernel/debug/watchdog.h"
#include "arch/x86_64/oops.h"
#include "drivers/timer.h"
#include "kernel/printk.h"
#include "kernel/proc/task.h"

int watchdog_thresh = 10;          /* seconds; 0 turns the watchdog off */
unsigned long softlockup_count;    /* reports since boot */

static const struct task *watched; /* the task found in kernel mode last tick */
static uint64_t stuck_ticks;
static bool reported;

static void report(const struct regs *r)
{
	char sym[128];
	softlockup_count++;
	add_taint(TAINT_SOFTLOCKUP);
	format_symbol(sym, sizeof(sym), r->rip);
	printk("watchdog: BUG: soft lockup - CPU#0 stuck for %lus! [%s:%d]\n", stuck_ticks / TIMER_HZ,
	       current->name, current->pid);
	printk("RIP: 0010:%s RSP: %016lx RFLAGS: %08lx\n", sym, r->rsp, r->rflags);
	print_backtrace(r->rip, r->rbp, r->rsp, stack_top_of(r->rsp));
}

void watchdog_touch(void)
{
	stuck_ticks = 0;
}

void watchdog_tick(const struct regs *r, bool from_user)
{
	const struct task *t = current;
	if (from_user || !t || t->pid == 0 || t != watched || watchdog_thresh <= 0) {
		watched = from_user ? NULL : t;
		stuck_ticks = 0;
		reported = false;
		return;
	}
	if (++stuck_ticks >= 2ul * watchdog_thresh * TIMER_HZ && !reported) {
		reported = true;
		report(r);
	}
}
