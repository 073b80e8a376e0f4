/*
 * Helpers shared by the AF_UNIX tests, unix.c and unix2.c (course section:
 * sockets): addresses, and sending and receiving descriptors.
 */
#ifndef UNIX_UTIL_H
#define UNIX_UTIL_H

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

static inline socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(2 + strlen(path) + 1);
}

static inline socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(2 + 1 + strlen(name));
}

static inline long send_fds(int sock, const int *fds, int n, size_t cmsg_len_lie)
{
	static union {
		char buf[CMSG_SPACE(sizeof(int) * 300)];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = { "F", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = cmsg_len_lie ? cmsg_len_lie : CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	return sendmsg(sock, &mh, 0);
}

/* Receive one byte and up to `room` fds; returns how many came, -1 on error. */
static inline int recv_fds(int sock, int *fds, int room, int *flags)
{
	static union {
		char buf[CMSG_SPACE(sizeof(int) * 300)];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = room ? CMSG_SPACE(sizeof(int) * (size_t)room) : 0 };
	if (recvmsg(sock, &mh, 0) < 0)
		return -1;
	*flags = mh.msg_flags;
	int n = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)n);
		}
	return n;
}

#endif
