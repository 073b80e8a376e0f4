/* Software timers: call a function at a time (course section: time). */
#ifndef KERNEL_KTIMER_H
#define KERNEL_KTIMER_H

#include "drivers/timer.h"
#include "kernel/list.h"
#include "kernel/types.h"

struct ktimer;
typedef void (*ktimer_fn)(struct ktimer *t);

struct ktimer {
	struct list_node node;
	uint64_t deadline_ns; /* CLOCK_MONOTONIC */
	uint64_t expires_tick; /* the tick whose wheel bucket holds it (kernel/time/ktimer.c) */
	ktimer_fn fn;         /* runs in the timer interrupt: must not sleep */
	void *data;
	bool armed;
};

void ktimer_init(struct ktimer *t, ktimer_fn fn, void *data);
void ktimer_start(struct ktimer *t, uint64_t deadline_ns);
void ktimer_cancel(struct ktimer *t);
/* Cancel every armed timer that lies, or whose function lies, in
 * [start, end): the module loader's safety net at unload. Returns how many. */
int ktimer_cancel_range(uint64_t start, uint64_t end);
/* Run the expired timers; called on every timer tick. */
void ktimer_run_expired(uint64_t now_ns);

/* A struct timespec argument as nanoseconds: -EFAULT, or -EINVAL unless
 * tv_sec >= 0 and 0 <= tv_nsec < 1e9. Centuries are cut to TIMEOUT_FOREVER,
 * which a deadline of now + it cannot overflow (kernel/time/sys_time.c). */
#define TIMEOUT_FOREVER (UINT64_MAX / 2)
struct timespec;
int timespec_from_user(const struct timespec __user *u, uint64_t *ns);

#endif
