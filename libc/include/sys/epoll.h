/*
 * C library: waiting on many descriptors (course section: the C library on
 * raw syscalls).
 *
 * epoll keeps, inside the kernel, the set of descriptors a program watches;
 * epoll_wait returns the ones that are ready. struct epoll_event is packed on
 * x86_64 (12 bytes, no padding after events), as Linux defines it.
 */
#ifndef LIBC_SYS_EPOLL_H
#define LIBC_SYS_EPOLL_H

#include <stdint.h>
#include <signal.h>

#include "abi/events.h"

int epoll_create(int size);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
int epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout, const sigset_t *sigmask);

#endif
