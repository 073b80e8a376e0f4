/* The scheduler (course section: processes). */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/proc/task.h"

#define TIME_SLICE_TICKS 10 /* 10 ms at 1000 Hz */

void sched_init(struct task *idle);
void schedule(void);
/* Make a sleeping task runnable (no effect on others). */
void task_wake(struct task *t);
/* Put a new or continued task in the run queue. */
void sched_enqueue(struct task *t);
/* The timer's hook: account the tick, ask for a switch when the slice is used up. */
void sched_tick(bool from_user);
bool need_resched(void);
/* The idle task's loop: halt until an interrupt makes some task runnable. */
__noreturn void idle_loop(void);

/* Sleep for `ns` nanoseconds of CLOCK_MONOTONIC; returns 0, or the
 * nanoseconds left if a signal interrupted the sleep. */
uint64_t sleep_ns(uint64_t ns);

#endif
