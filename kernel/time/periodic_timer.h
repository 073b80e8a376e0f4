/* A timer with a first expiry and a period, on a clock: what timerfd and
 * POSIX timers (timer_create) have in common (course section: time). */
#ifndef KERNEL_PERIODIC_TIMER_H
#define KERNEL_PERIODIC_TIMER_H

#include "kernel/time/ktimer.h"
#include "libc/include/abi/time.h"

struct periodic_timer {
	struct ktimer timer;  /* its deadline is on CLOCK_MONOTONIC */
	clockid_t clock;      /* what an absolute it_value is a time of */
	uint64_t interval_ns; /* 0: one-shot */
	bool paused;          /* expired and left off the wheel until resumed: see periodic_pause */
};

void periodic_init(struct periodic_timer *p, clockid_t clock, ktimer_fn fn, void *data);
/* For the timer's function (in the timer interrupt): how many periods have
 * ended -- at least 1, more if the tick came late -- after re-arming it for
 * the next one. */
uint64_t periodic_expired(struct periodic_timer *p);
/* Like periodic_expired, but not re-armed: the timer keeps running on
 * paper (periodic_get sees its next period) without costing a tick until
 * periodic_resume. A POSIX timer whose signal is pending waits so. */
uint64_t periodic_pause(struct periodic_timer *p);
/* Back on the wheel at its next period; returns how many periods ended
 * while it was paused (the overrun). 0 and nothing done if not paused. */
uint64_t periodic_resume(struct periodic_timer *p);
/* The time left (0 when disarmed) and the period, as *_gettime report them. */
struct itimerspec periodic_get(const struct periodic_timer *p);
/* Arm as *_settime asks (an it_value of 0 disarms); with `absolute`,
 * it_value is a time on the timer's clock. `its` must be valid. */
void periodic_set(struct periodic_timer *p, const struct itimerspec *its, bool absolute);
/* Both fields: tv_sec >= 0 and 0 <= tv_nsec < 1e9. */
bool itimerspec_valid(const struct itimerspec *its);
/* Nanoseconds of a timespec, saturated (a time centuries ahead never wraps round), and back. */
uint64_t timespec_to_ns(const struct timespec *ts);
struct timespec ns_to_timespec(uint64_t ns);
void periodic_cancel(struct periodic_timer *p);

#endif
