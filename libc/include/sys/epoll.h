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

#define EPOLL_CLOEXEC 02000000

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLLIN 0x001		/* readable */
#define EPOLLPRI 0x002
#define EPOLLOUT 0x004		/* writable */
#define EPOLLERR 0x008
#define EPOLLHUP 0x010		/* the other end closed */
#define EPOLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)	/* edge-triggered */

typedef union epoll_data {
	void *ptr;
	int fd;
	uint32_t u32;
	uint64_t u64;
} epoll_data_t;

struct epoll_event {
	uint32_t events;	/* EPOLLIN | ... */
	epoll_data_t data;	/* returned unchanged by epoll_wait */
} __attribute__((packed));

#endif
