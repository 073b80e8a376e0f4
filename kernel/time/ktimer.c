/*
 * Software timers (course section: time).
 *
 * The hardware gives one periodic interrupt (drivers/timer.c). Everything
 * that must happen "at time T" -- a sleeping task's wake-up, alarm(),
 * timerfd expirations, poll timeouts -- is a struct ktimer on one list
 * sorted by deadline. Each tick runs the timers at the front whose
 * deadline has passed. With few timers, a sorted list is the simplest
 * structure that works; Linux uses a timer wheel for millions of them.
 */
#include "kernel/time/ktimer.h"
#include "arch/x86_64/cpu.h"

static struct list_node timers = LIST_INIT(timers);

void ktimer_init(struct ktimer *t, ktimer_fn fn, void *data)
{
	list_init(&t->node);
	t->fn = fn;
	t->data = data;
	t->armed = false;
}

void ktimer_start(struct ktimer *t, uint64_t deadline_ns)
{
	uint64_t f = irq_save();
	if (t->armed)
		list_remove(&t->node);
	t->deadline_ns = deadline_ns;
	t->armed = true;
	struct list_node *pos = &timers; /* insert before the first later timer */
	struct list_node *n;
	list_for_each(n, &timers) {
		if (list_entry(n, struct ktimer, node)->deadline_ns > deadline_ns) {
			pos = n;
			break;
		}
	}
	list_add_before(pos, &t->node);
	irq_restore(f);
}

void ktimer_cancel(struct ktimer *t)
{
	uint64_t f = irq_save();
	if (t->armed) {
		list_remove(&t->node);
		t->armed = false;
	}
	irq_restore(f);
}

void ktimer_run_expired(uint64_t now_ns)
{
	while (!list_empty(&timers)) {
		struct ktimer *t = list_first(&timers, struct ktimer, node);
		if (t->deadline_ns > now_ns)
			break;
		list_remove(&t->node);
		t->armed = false;
		t->fn(t); /* may re-arm itself (periodic timers) */
	}
}

int ktimer_cancel_range(uint64_t start, uint64_t end)
{
	int cancelled = 0;
	uint64_t f = irq_save();
	struct list_node *n, *next;
	list_for_each_safe(n, next, &timers) {
		struct ktimer *t = list_entry(n, struct ktimer, node);
		uint64_t fn = (uint64_t)t->fn, self = (uint64_t)t;
		if ((fn >= start && fn < end) || (self >= start && self < end)) {
			list_remove(&t->node);
			t->armed = false;
			cancelled++;
		}
	}
	irq_restore(f);
	return cancelled;
}
