/*
 * C library: signalfd (course section: signals; the integrated event system).
 *
 * Block some signals with sigprocmask, then read them from a descriptor as
 * struct signalfd_siginfo records (128 bytes each) instead of catching them
 * in a handler. fd -1 makes a new signalfd; an existing one gets a new mask.
 */
#ifndef LIBC_SYS_SIGNALFD_H
#define LIBC_SYS_SIGNALFD_H

#include <signal.h>

#include "abi/events.h"

/* signalfd4(fd, mask, sizeof(sigset_t), flags): SFD_NONBLOCK, SFD_CLOEXEC. */
int signalfd(int fd, const sigset_t *mask, int flags);

#endif
