/* The timer interrupt and the clocks (course section: time). */
#ifndef DRIVERS_TIMER_H
#define DRIVERS_TIMER_H

#include "kernel/types.h"

#define TIMER_HZ 1000

void timer_init(void);
/* Nanoseconds since boot (CLOCK_MONOTONIC). */
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since 1970 (CLOCK_REALTIME), from the RTC at boot. */
uint64_t clock_realtime_ns(void);
/* What the vDSO needs to compute the clocks itself: monotonic ns =
 * (rdtsc - tsc_base) * ns_per_tsc >> 32; realtime = that + realtime_base. */
void clock_parameters(uint64_t *tsc_base, uint64_t *ns_per_tsc, uint64_t *realtime_base_ns);
/* Timer interrupts since boot. */
uint64_t timer_ticks(void);
/* TSC cycles per second, measured at boot. */
uint64_t tsc_hz(void);

#endif
