/*
 * Periodic timers (course section: time).
 *
 * A first expiry (it_value) and then one every it_interval, counted so
 * that a program that slept through five periods learns it missed five.
 * timerfd counts them in the file; a POSIX timer reports them as the
 * signal's si_overrun. Both are a ktimer (kernel/time/ktimer.c) on the
 * monotonic clock: an absolute time on CLOCK_REALTIME is converted when
 * the timer is set.
 */
#include "kernel/time/periodic_timer.h"

static uint64_t add_saturated(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Nanoseconds, saturated: a timer set centuries ahead never fires, rather
 * than wrapping round to fire at once (Linux clamps the same way). */
uint64_t timespec_to_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= UINT64_MAX / NSEC_PER_SEC)
		return UINT64_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

struct timespec ns_to_timespec(uint64_t ns)
{
	return (struct timespec){ (long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC) };
}

void periodic_init(struct periodic_timer *p, clockid_t clock, ktimer_fn fn, void *data)
{
	ktimer_init(&p->timer, fn, data);
	p->clock = clock;
	p->interval_ns = 0;
	p->paused = false;
}

/* The periods that ended by now since the one that ended at deadline: at least 1. */
static uint64_t periods_ended(const struct periodic_timer *p, uint64_t now)
{
	uint64_t missed = 1;
	if (p->interval_ns && now > p->timer.deadline_ns)
		missed += (now - p->timer.deadline_ns) / p->interval_ns;
	return missed;
}

static uint64_t deadline_after(const struct periodic_timer *p, uint64_t periods)
{
	uint64_t late = periods > UINT64_MAX / p->interval_ns ? UINT64_MAX : periods * p->interval_ns;
	return add_saturated(p->timer.deadline_ns, late);
}

uint64_t periodic_pause(struct periodic_timer *p)
{
	uint64_t missed = periods_ended(p, clock_monotonic_ns());
	if (p->interval_ns) {
		/* deadline moves to the last period that ended */
		p->timer.deadline_ns = deadline_after(p, missed - 1);
		p->paused = true;
	}
	return missed;
}

uint64_t periodic_resume(struct periodic_timer *p)
{
	if (!p->paused)
		return 0;
	p->paused = false;
	uint64_t missed = periods_ended(p, clock_monotonic_ns()) - 1;
	ktimer_start(&p->timer, deadline_after(p, missed + 1));
	return missed;
}

uint64_t periodic_expired(struct periodic_timer *p)
{
	/* Count every period that ended, even if ticks came late. */
	uint64_t missed = periods_ended(p, clock_monotonic_ns());
	if (p->interval_ns)
		ktimer_start(&p->timer, deadline_after(p, missed));
	return missed;
}

struct itimerspec periodic_get(const struct periodic_timer *p)
{
	struct itimerspec cur = { ns_to_timespec(p->interval_ns), { 0, 0 } };
	uint64_t now = clock_monotonic_ns();
	if (p->timer.armed)
		cur.it_value = ns_to_timespec(p->timer.deadline_ns > now ? p->timer.deadline_ns - now : 1);
	else if (p->paused) /* the next period, as if it had been re-armed each time */
		cur.it_value = ns_to_timespec(deadline_after(p, periods_ended(p, now)) - now);
	return cur;
}

void periodic_set(struct periodic_timer *p, const struct itimerspec *its, bool absolute)
{
	ktimer_cancel(&p->timer);
	p->paused = false;
	p->interval_ns = timespec_to_ns(&its->it_interval);
	uint64_t value = timespec_to_ns(&its->it_value);
	if (!value)
		return;
	uint64_t now = clock_monotonic_ns(), deadline;
	if (absolute) {
		uint64_t clock_now = p->clock == CLOCK_REALTIME ? clock_realtime_ns() : now;
		deadline = value > clock_now ? add_saturated(now, value - clock_now) : now;
	} else {
		deadline = add_saturated(now, value);
	}
	ktimer_start(&p->timer, deadline);
}

void periodic_cancel(struct periodic_timer *p)
{
	ktimer_cancel(&p->timer);
	p->paused = false;
}

static bool timespec_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

bool itimerspec_valid(const struct itimerspec *its)
{
	return timespec_valid(&its->it_value) && timespec_valid(&its->it_interval);
}
