/*
 * C library: the event system's hand-written wrappers (course section: the
 * integrated event system; eventfd communication).
 *
 * kernel/syscalls.tbl generates most wrappers. These are the ones whose C
 * interface is not the kernel's:
 *   - eventfd(initval, flags) and signalfd(fd, mask, flags) call the newer
 *     syscalls with the flags argument (eventfd2, signalfd4); the old ones
 *     (eventfd, signalfd) are still in the table for old binaries;
 *   - ppoll, epoll_pwait and signalfd pass the size of the signal set as an
 *     extra argument (8 bytes: 64 signals), like every rt_sig* call;
 *   - poll takes POSIX's nfds_t (unsigned long), the kernel an unsigned int;
 *   - ppoll and pselect give the kernel a copy of the timeout, because
 *     Linux writes the time left back into it and POSIX says the caller's
 *     struct is const (select's is not: Linux programs rely on the update);
 *   - pselect6 takes its signal mask as a pointer to {mask, size}.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "syscall_headers.h"

int eventfd(unsigned int initval, int flags)
{
	return (int)__syscall_ret(__syscall2(__NR_eventfd2, initval, flags));
}

int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}

int signalfd(int fd, const sigset_t *mask, int flags)
{
	return (int)__syscall_ret(__syscall4(__NR_signalfd4, fd, (long)mask, sizeof(sigset_t), flags));
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return (int)__syscall_ret(__syscall3(__NR_poll, (long)fds, (long)nfds, timeout));
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask)
{
	struct timespec copy, *tp = 0;
	if (timeout) {
		copy = *timeout;
		tp = &copy;
	}
	return (int)__syscall_ret(__syscall5(__NR_ppoll, (long)fds, (long)nfds, (long)tp, (long)sigmask,
					     sizeof(sigset_t)));
}

int epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout, const sigset_t *sigmask)
{
	return (int)__syscall_ret(__syscall6(__NR_epoll_pwait, epfd, (long)events, maxevents, timeout,
					     (long)sigmask, sizeof(sigset_t)));
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)
{
	return (int)__syscall_ret(__syscall5(__NR_select, nfds, (long)readfds, (long)writefds, (long)exceptfds,
					     (long)timeout));
}

int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
	    const sigset_t *sigmask)
{
	struct timespec copy, *tp = 0;
	struct {
		const sigset_t *set;
		unsigned long size;
	} mask = { sigmask, sizeof(sigset_t) };
	if (timeout) {
		copy = *timeout;
		tp = &copy;
	}
	return (int)__syscall_ret(__syscall6(__NR_pselect6, nfds, (long)readfds, (long)writefds, (long)exceptfds,
					     (long)tp, (long)&mask));
}
