/*
 * C library: poll (course section: the integrated event system).
 *
 * poll waits until one of several descriptors is ready: each struct pollfd
 * names a descriptor and the events wanted (POLLIN, POLLOUT); the kernel
 * fills revents, adding POLLHUP, POLLERR and POLLNVAL unasked. The timeout
 * is in milliseconds: 0 only looks, -1 waits for ever. ppoll takes a
 * struct timespec and a signal mask to install while it waits, in one step
 * (so a signal unblocked only for the wait cannot slip in before it).
 */
#ifndef LIBC_POLL_H
#define LIBC_POLL_H

#include <signal.h>
#include <time.h>

#include "abi/poll.h"

typedef unsigned long nfds_t;

int poll(struct pollfd *fds, nfds_t nfds, int timeout);
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask);

#endif
