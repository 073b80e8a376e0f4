/* Sockets: the generic layer every address family plugs into (course
 * section: sockets). */
#ifndef KERNEL_NET_SOCKET_H
#define KERNEL_NET_SOCKET_H

#include "kernel/events/poll.h"
#include "kernel/fs/file.h"
#include "kernel/types.h"
#include "libc/include/abi/socket.h"
#include "libc/include/abi/uio.h"

struct socket;

/*
 * One sendmsg or recvmsg call as the kernel sees it: the iovecs and the
 * address copied in, a cursor over the user's buffers, and where control
 * messages go out (kernel/net/socket_msg.c).
 */
struct msg_io {
	struct iovec *iov;      /* kernel copy of the user's array (user bases) */
	size_t iovlen;
	size_t len;             /* the bytes all the iovecs hold */
	size_t cur_iov, cur_off;
	/* send: the destination (namelen 0: none); recv: the source, filled in
	 * by the family (namelen stays 0 if it has none to give). */
	struct sockaddr_storage name;
	int namelen;
	/* send: the control messages, copied in. */
	void *control;
	size_t controllen;
	/* recv: where control messages go, and how much of it they used. */
	void __user *ucontrol;
	size_t ucontrollen, control_used;
	int out_flags;          /* recv: MSG_TRUNC, MSG_CTRUNC for the caller */
};

/* Copy n bytes between the call's user buffers (at the cursor) and kernel
 * memory, moving the cursor: 0 or -EFAULT. */
int msg_from_user(struct msg_io *m, void *dst, size_t n);
int msg_to_user(struct msg_io *m, const void *src, size_t n);
size_t msg_left(const struct msg_io *m);
/* Append one control message for recvmsg. If it does not fit whole, as much
 * as fits (for SCM_RIGHTS: whole descriptors) and MSG_CTRUNC; returns the
 * data bytes written, or -EFAULT. */
long msg_put_cmsg(struct msg_io *m, int level, int type, const void *data, size_t len);

/* What an address family does. Any may be NULL: then EOPNOTSUPP. */
struct proto_ops {
	int family;
	int (*bind)(struct socket *s, const void *addr, int addrlen);
	int (*connect)(struct socket *s, const void *addr, int addrlen, bool nonblock);
	int (*listen)(struct socket *s, int backlog);
	/* The next connection, as a new socket without a file yet. */
	int (*accept)(struct socket *s, struct socket **newsock, bool nonblock);
	/* Write our (peer false) or the peer's address; returns its length or -errno. */
	int (*getname)(struct socket *s, struct sockaddr_storage *addr, bool peer);
	ssize_t (*sendmsg)(struct socket *s, struct msg_io *m, int flags);
	ssize_t (*recvmsg)(struct socket *s, struct msg_io *m, int flags);
	uint32_t (*poll)(struct socket *s, struct poll_table *pt);
	int (*shutdown)(struct socket *s, int how);
	/* Options at the family's own level (SOL_NETLINK...), or SOL_SOCKET ones the
	 * generic layer does not know (SO_PEERCRED): -ENOPROTOOPT if not ours. */
	int (*setsockopt)(struct socket *s, int level, int name, const void *val, int len);
	int (*getsockopt)(struct socket *s, int level, int name, void *val, int *len);
	int (*socketpair)(struct socket *a, struct socket *b);
	long (*ioctl)(struct socket *s, unsigned cmd, unsigned long arg);
	/* The file is closing: the family drops the socket (and frees it when
	 * nothing else refers to it). */
	void (*release)(struct socket *s);
};

/* The part of every socket the generic layer owns; a family embeds it. */
struct socket {
	const struct proto_ops *ops;
	struct file *file;      /* NULL while it waits in a listener's queue */
	int type;               /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW */
	int protocol;
	int sndbuf, rcvbuf;     /* bytes, as SO_SNDBUF/SO_RCVBUF report them */
	uint64_t sndtimeo_ns, rcvtimeo_ns; /* SOCK_WAIT_FOREVER, or how long a call may block */
	bool passcred;          /* SO_PASSCRED */
	unsigned flag_opts;     /* yes/no options kept only to report them (SO_REUSEADDR...): bit = option */
	int err;                /* a pending error for SO_ERROR and the next call */
	struct wait_queue wait; /* readers, writers, pollers and connectors sleep here */
};

#define SOCK_WAIT_FOREVER UINT64_MAX
#define SOCK_DEFAULT_BUF 212992 /* net.core.wmem_default and rmem_default */
#define SOCK_MAX_BUF 212992     /* net.core.wmem_max and rmem_max */
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304

/* A new socket's generic fields, before the family's own. */
void socket_init(struct socket *s, const struct proto_ops *ops, int type, int protocol);
/* The socket behind a descriptor (with a reference on its file the caller
 * drops by file_put(s->file)): -EBADF, -ENOTSOCK. */
struct socket *sockfd_get(int fd, int *err);
/* A file for s, installed as a descriptor: the fd, or -errno (then s is
 * released). */
int socket_install(struct socket *s, int flags);
/* The socket an open file is, or NULL. */
struct socket *socket_of_file(struct file *f);
bool socket_nonblocking(const struct socket *s, int msg_flags);
/* A deadline for a call that may block; 0 means do not wait at all. */
uint64_t socket_deadline(uint64_t timeo_ns, bool nonblock);
/* SIGPIPE for the caller, unless MSG_NOSIGNAL. */
void socket_sigpipe(int msg_flags);

/*
 * Sleep on wq until cond, or the deadline (from socket_deadline). 0 once
 * cond holds; -EAGAIN at the deadline (at once if deadline is 0); for a
 * signal -ERESTARTSYS without a timeout (SA_RESTART restarts the call),
 * -EINTR with one, as Linux answers.
 */
int socket_wait_sleep(struct wait_queue *wq, uint64_t deadline, struct poll_wait_set *set);
#define socket_wait_event(wq, deadline, cond)                                        \
	({                                                                           \
		int __r = 0;                                                         \
		if (cond) {                                                          \
			/* the fast path: no waiting to set up */                    \
		} else if ((deadline) == SOCK_WAIT_FOREVER) {                        \
			__r = wait_event_interruptible((wq), (cond));                \
		} else {                                                             \
			for (;;) {                                                   \
				struct poll_wait_set __set;                          \
				poll_wait_init(&__set);                              \
				poll_wait(poll_wait_table(&__set), (wq));            \
				if (cond) {                                          \
					poll_wait_free(&__set);                      \
					break;                                       \
				}                                                    \
				__r = socket_wait_sleep((wq), (deadline), &__set);   \
				if (__r)                                             \
					break;                                       \
			}                                                            \
		}                                                                    \
		__r;                                                                 \
	})

/* The families (kernel/net/af_unix*.c, kernel/net/netlink*.c). */
int unix_create(int type, int protocol, struct socket **out);
int netlink_create(int type, int protocol, struct socket **out);

#endif
