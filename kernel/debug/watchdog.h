/* The soft-lockup watchdog (course section: kernel debugging techniques). */
#ifndef KERNEL_DEBUG_WATCHDOG_H
#define KERNEL_DEBUG_WATCHDOG_H

#include "arch/x86_64/regs.h"

/* Called by the timer interrupt with what it interrupted. */
void watchdog_tick(const struct regs *r, bool from_user);
/* A long loop in kernel mode that gives way (schedule()) at its own pace
 * is not stuck: it says so, as Linux's touch_softlockup_watchdog(). */
void watchdog_touch(void);
extern int watchdog_thresh;
extern unsigned long softlockup_count;

#endif
