/*
 * C library: eventfd (course section: eventfd communication).
 *
 * An eventfd is a 64-bit counter the kernel keeps behind a descriptor:
 * write(2) adds to it, read(2) takes it (all of it, or 1 with
 * EFD_SEMAPHORE). eventfd_read and eventfd_write are the 8-byte read and
 * write, returning 0 or -1 with errno.
 */
#ifndef LIBC_SYS_EVENTFD_H
#define LIBC_SYS_EVENTFD_H

#include <stdint.h>

#include "abi/events.h"

typedef uint64_t eventfd_t;

/* eventfd2(initval, flags): flags are EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC. */
int eventfd(unsigned int initval, int flags);
int eventfd_read(int fd, eventfd_t *value);
int eventfd_write(int fd, eventfd_t value);

#endif
