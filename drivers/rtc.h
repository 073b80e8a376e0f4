/* The CMOS real-time clock (course section: time). */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include "kernel/types.h"

#define NSEC_PER_SEC_K 1000000000ull

/* Seconds since 1970-01-01 00:00 UTC, read from the RTC. */
uint64_t rtc_read_epoch_seconds(void);
/* Days since 1970-01-01 of a Gregorian date. Pure: host-tested. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
