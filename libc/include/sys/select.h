/*
 * C library: select (course section: the integrated event system).
 *
 * select waits until one of several descriptors is ready, like poll, but
 * names them with bitmaps: an fd_set has a bit for each descriptor below
 * FD_SETSIZE. Fill the sets with FD_ZERO and FD_SET; on return only the
 * bits of the ready descriptors are still set (test them with FD_ISSET),
 * and the result counts them. The timeout (NULL: for ever) is updated with
 * the time left, as Linux does. pselect takes a struct timespec and a signal
 * mask to install while it waits.
 */
#ifndef LIBC_SYS_SELECT_H
#define LIBC_SYS_SELECT_H

#include <signal.h>
#include <sys/time.h>
#include <time.h>

#define FD_SETSIZE 1024
#define NFDBITS (8 * (int)sizeof(unsigned long))

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;

#define FD_ZERO(s) __builtin_memset((s), 0, sizeof(fd_set))
#define FD_SET(fd, s) ((s)->fds_bits[(fd) / NFDBITS] |= 1UL << ((fd) % NFDBITS))
#define FD_CLR(fd, s) ((s)->fds_bits[(fd) / NFDBITS] &= ~(1UL << ((fd) % NFDBITS)))
#define FD_ISSET(fd, s) (((s)->fds_bits[(fd) / NFDBITS] >> ((fd) % NFDBITS)) & 1)

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
	    const sigset_t *sigmask);

#endif
