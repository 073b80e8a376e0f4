/* Interval timers: setitimer, getitimer, alarm (course section: signals; time). */
#ifndef KERNEL_ITIMER_H
#define KERNEL_ITIMER_H

#include "kernel/types.h"

struct task;

/* Count one timer tick of t's CPU time against its ITIMER_VIRTUAL (user
 * mode only) and ITIMER_PROF timers; called from the timer interrupt. */
void itimer_tick(struct task *t, bool from_user);
/* The process of t ends (its last thread exits): its real timer goes. */
void itimer_process_exit(struct task *t);

#endif
