/*
 * Software timers on a timer wheel (course section: time).
 *
 * The hardware gives one periodic interrupt (drivers/timer.c), TIMER_HZ
 * times a second. Everything that must happen "at time T" -- a sleeping
 * task's wake-up, alarm(), timerfd and POSIX timer expirations, poll
 * timeouts -- is a struct ktimer. With thousands of them (one process may
 * own 1,024 POSIX timers), a list sorted by deadline costs O(n) for every
 * insertion, and a periodic timer is re-inserted on each expiry, inside the
 * tick with interrupts off: 1,024 timers at 1 ms made the machine livelock.
 *
 * So, as Linux did for years, the timers hang on a hierarchical wheel, a
 * clock face of buckets:
 *
 *   level 0: 256 buckets, one per tick (the next 256 ms);
 *   level 1:  64 buckets of 256 ticks each (the next 16 s);
 *   level 2..4: 64 buckets each, each level 64 times coarser (~49 days).
 *
 * Inserting a timer is arithmetic on its expiry tick: O(1). Each tick the
 * wheel turns one bucket of level 0 and takes all its timers, which are due.
 * When level 0 has gone round (every 256 ticks) the next bucket of level 1 is
 * "cascaded": its timers are spread over level 0 by their exact tick, and so
 * on up the levels. Each timer is cascaded at most once per level, so the
 * cost per timer stays constant however many there are.
 *
 * Expiry work is also bounded per tick: at most MAX_RUN_PER_TICK callbacks
 * run in one interrupt; the rest stay due, first in line at the next tick.
 *
 * Ticks and nanoseconds: a timer for deadline d waits in the bucket of tick
 * ceil(d / TICK_NS), and is taken out when the clock has passed d, so it is
 * never early and, beyond the tick it lands in, never late.
 */
#include "kernel/time/ktimer.h"
#include "arch/x86_64/cpu.h"
#include "libc/include/abi/time.h"

#define TICK_NS (NSEC_PER_SEC / TIMER_HZ)
#define LEVEL0_BITS 8
#define LEVEL_BITS 6
#define LEVELS 5 /* level 0, then 4 coarser ones: 8 + 4 * 6 = 32 bits of ticks */
#define LEVEL0_SIZE (1u << LEVEL0_BITS)
#define LEVEL_SIZE (1u << LEVEL_BITS)
#define WHEEL_SPAN (1ull << (LEVEL0_BITS + (LEVELS - 1) * LEVEL_BITS)) /* ticks */
#define MAX_RUN_PER_TICK 256

static struct list_node level0[LEVEL0_SIZE];
static struct list_node upper[LEVELS - 1][LEVEL_SIZE];
static struct list_node due = LIST_INIT(due); /* taken from the wheel, not yet run */
static uint64_t wheel_tick; /* the next tick whose bucket has not been taken */
static bool wheel_ready;

static void wheel_init(void)
{
	for (unsigned i = 0; i < LEVEL0_SIZE; i++)
		list_init(&level0[i]);
	for (unsigned l = 0; l < LEVELS - 1; l++)
		for (unsigned i = 0; i < LEVEL_SIZE; i++)
			list_init(&upper[l][i]);
	wheel_tick = clock_monotonic_ns() / TICK_NS;
	wheel_ready = true;
}

/* The first bit of tick numbers that picks a bucket on upper level l (0-based). */
static unsigned level_shift(unsigned l)
{
	return LEVEL0_BITS + l * LEVEL_BITS;
}

/* Hang t in the bucket its expiry tick belongs to, seen from wheel_tick. */
static void wheel_add(struct ktimer *t)
{
	uint64_t expires = t->expires_tick;
	if (expires < wheel_tick)
		expires = wheel_tick; /* already due: the very next bucket */
	uint64_t delta = expires - wheel_tick;
	if (delta < LEVEL0_SIZE) {
		list_push_back(&level0[expires % LEVEL0_SIZE], &t->node);
		return;
	}
	if (delta >= WHEEL_SPAN)
		expires = wheel_tick + WHEEL_SPAN - 1; /* beyond the wheel: re-placed as it comes nearer */
	unsigned l = 0;
	while (l < LEVELS - 2 && delta >= (1ull << level_shift(l + 1)))
		l++;
	list_push_back(&upper[l][(expires >> level_shift(l)) % LEVEL_SIZE], &t->node);
}

/* Append every node of `from` to `to`, in O(1); `from` is left empty. */
static void move_all(struct list_node *from, struct list_node *to)
{
	if (list_empty(from))
		return;
	struct list_node *first = from->next, *last = from->prev;
	first->prev = to->prev;
	to->prev->next = first;
	last->next = to;
	to->prev = last;
	list_init(from);
}

/* Move every timer of one bucket to where it belongs now. */
static void cascade(struct list_node *bucket)
{
	struct list_node moving = LIST_INIT(moving);
	move_all(bucket, &moving);
	while (!list_empty(&moving)) {
		struct ktimer *t = list_first(&moving, struct ktimer, node);
		list_remove(&t->node);
		wheel_add(t);
	}
}

/* Take the bucket of wheel_tick (all due), turn the wheel by one tick,
 * and cascade the upper levels when the lower one has gone round. */
static void turn_one_tick(void)
{
	move_all(&level0[wheel_tick % LEVEL0_SIZE], &due);
	wheel_tick++;
	for (unsigned l = 0; l < LEVELS - 1; l++) {
		if (wheel_tick % (1ull << level_shift(l)))
			break;
		cascade(&upper[l][(wheel_tick >> level_shift(l)) % LEVEL_SIZE]);
	}
}

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
	if (!wheel_ready)
		wheel_init();
	if (t->armed)
		list_remove(&t->node);
	t->deadline_ns = deadline_ns;
	t->expires_tick = deadline_ns / TICK_NS + (deadline_ns % TICK_NS != 0);
	t->armed = true;
	wheel_add(t);
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

/* The bucket of the tick now in progress holds timers due within it: those
 * whose deadline has passed go now, not one tick later. */
static void take_passed(uint64_t now_ns)
{
	struct list_node *bucket = &level0[wheel_tick % LEVEL0_SIZE];
	struct list_node *n, *next;
	list_for_each_safe(n, next, bucket) {
		struct ktimer *t = list_entry(n, struct ktimer, node);
		if (t->deadline_ns <= now_ns) {
			list_remove(&t->node);
			list_push_back(&due, &t->node);
		}
	}
}

void ktimer_run_expired(uint64_t now_ns)
{
	if (!wheel_ready)
		return;
	uint64_t now_tick = now_ns / TICK_NS;
	while (wheel_tick <= now_tick)
		turn_one_tick();
	take_passed(now_ns);
	for (int run = 0; run < MAX_RUN_PER_TICK && !list_empty(&due); run++) {
		struct ktimer *t = list_first(&due, struct ktimer, node);
		list_remove(&t->node);
		t->armed = false;
		t->fn(t); /* may re-arm itself (periodic timers): into the wheel, not `due` */
	}
}

static int cancel_in(struct list_node *bucket, uint64_t start, uint64_t end)
{
	int cancelled = 0;
	struct list_node *n, *next;
	list_for_each_safe(n, next, bucket) {
		struct ktimer *t = list_entry(n, struct ktimer, node);
		uint64_t fn = (uint64_t)t->fn, self = (uint64_t)t;
		if ((fn >= start && fn < end) || (self >= start && self < end)) {
			list_remove(&t->node);
			t->armed = false;
			cancelled++;
		}
	}
	return cancelled;
}

int ktimer_cancel_range(uint64_t start, uint64_t end)
{
	int cancelled = 0;
	uint64_t f = irq_save();
	if (wheel_ready) {
		cancelled += cancel_in(&due, start, end);
		for (unsigned i = 0; i < LEVEL0_SIZE; i++)
			cancelled += cancel_in(&level0[i], start, end);
		for (unsigned l = 0; l < LEVELS - 1; l++)
			for (unsigned i = 0; i < LEVEL_SIZE; i++)
				cancelled += cancel_in(&upper[l][i], start, end);
	}
	irq_restore(f);
	return cancelled;
}
