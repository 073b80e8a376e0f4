/* Linux socket definitions: families, types, flags, options, messages
 * (course section: sockets). Shared by the kernel and libc. */
#ifndef ABI_SOCKET_H
#define ABI_SOCKET_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;

/* Address families (the first argument of socket). */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_LOCAL AF_UNIX
#define AF_INET 2
#define AF_NETLINK 16
#define AF_MAX 46
#define PF_UNSPEC AF_UNSPEC
#define PF_UNIX AF_UNIX
#define PF_LOCAL AF_UNIX
#define PF_NETLINK AF_NETLINK

/* Socket types, and the two flags socket() and accept4() take beside them. */
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5
#define SOCK_MAX 11
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000

/* send/recv flags. */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

/* shutdown's how. */
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

#define SOMAXCONN 4096 /* listen's largest backlog (net.core.somaxconn) */

/* Socket-level options (level SOL_SOCKET). */
#define SOL_SOCKET 1
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39

/* Control messages (ancillary data) of AF_UNIX. */
#define SCM_RIGHTS 1      /* open files passed to the receiver */
#define SCM_CREDENTIALS 2 /* the sender's pid, uid, gid */
#define SCM_MAX_FD 253    /* the most files one SCM_RIGHTS message carries */

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

/* An AF_UNIX address: a path name, or (sun_path[0] == 0) an abstract name. */
#define UNIX_PATH_MAX 108
struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[UNIX_PATH_MAX];
};

struct sockaddr_storage {
	sa_family_t ss_family;
	char __ss_padding[128 - sizeof(sa_family_t) - sizeof(unsigned long)];
	unsigned long __ss_align;
};

struct iovec;

/* What sendmsg and recvmsg take: Linux's layout (lengths are size_t). */
struct msghdr {
	void *msg_name;
	socklen_t msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

struct mmsghdr {
	struct msghdr msg_hdr;
	unsigned int msg_len;
};

struct cmsghdr {
	size_t cmsg_len; /* header and data, without the padding after them */
	int cmsg_level;
	int cmsg_type;
};

struct ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};

#define CMSG_ALIGN(len) (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))
#define CMSG_SPACE(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + CMSG_ALIGN(len))
#define CMSG_LEN(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#define CMSG_DATA(c) ((unsigned char *)(c) + CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_FIRSTHDR(m)                                                                        \
	((m)->msg_controllen >= sizeof(struct cmsghdr) ? (struct cmsghdr *)(m)->msg_control \
						       : (struct cmsghdr *)0)
/* The header after c, or NULL when no whole header fits after it. */
#define CMSG_NXTHDR(m, c)                                                                          \
	((c)->cmsg_len < sizeof(struct cmsghdr) ||                                                 \
			 (size_t)((unsigned char *)(c) + CMSG_ALIGN((c)->cmsg_len) +               \
				  sizeof(struct cmsghdr) - (unsigned char *)(m)->msg_control) >    \
				 (m)->msg_controllen                                               \
		 ? (struct cmsghdr *)0                                                             \
		 : (struct cmsghdr *)((unsigned char *)(c) + CMSG_ALIGN((c)->cmsg_len)))

#endif
