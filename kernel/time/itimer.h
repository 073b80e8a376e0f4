/* Interval timers: setitimer, getitimer, alarm (course section: signals; time). */
#ifndef KERNEL_ITIMER_H
#define KERNEL_ITIMER_H

#include "kernel/types.h"

struct task;

/* Count one timer tick of t's CPU time against its ITIMER_VIRTUAL (user
 * mode only) and ITIMER_PROF timers; called from the timer interrupt. */
void itimer_tick(struct task *t, bool from_user);

#endif
