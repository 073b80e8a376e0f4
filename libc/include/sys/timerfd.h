/*
 * C library: timerfd (course section: the integrated event system).
 *
 * A timer behind a descriptor: arm it with timerfd_settime (relative, or an
 * absolute time with TFD_TIMER_ABSTIME; one-shot, or periodic with a
 * non-zero it_interval), then read(2) 8 bytes to learn how many times it
 * expired since the last read -- or wait for it in poll or epoll.
 */
#ifndef LIBC_SYS_TIMERFD_H
#define LIBC_SYS_TIMERFD_H

#include <time.h>

#include "abi/events.h"

int timerfd_create(clockid_t clockid, int flags);
int timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value);
int timerfd_gettime(int fd, struct itimerspec *curr_value);

#endif
