/* AF_UNIX sockets: the shared definitions of af_unix*.c (course section:
 * sockets). */
#ifndef KERNEL_NET_AF_UNIX_H
#define KERNEL_NET_AF_UNIX_H

#include "kernel/list.h"
#include "kernel/net/socket.h"

#define UNIX_MSG_OVERHEAD 512 /* bytes charged per message beside its data (Linux: the skb) */
#define UNIX_DGRAM_QLEN 10    /* net.unix.max_dgram_qlen */

/* Bits of shutdown, as Linux names them: which directions are closed. */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

enum unix_state { UNIX_UNCONNECTED, UNIX_LISTENING, UNIX_CONNECTED };

/* A bound name, shared (counted) by the socket and the messages it sent. */
struct unix_addr {
	int refs;
	int len; /* as getsockname reports it */
	struct sockaddr_un sun;
};

/* One message (one send, or one piece of a stream send) in a receive queue. */
struct unix_msg {
	struct list_node node;
	struct unix_sock *sender; /* holds a reference; pays `charge` of its sndbuf */
	size_t charge;
	size_t len, off;          /* data bytes; bytes a stream reader already took */
	struct unix_addr *from;   /* the sender's name when it sent, or NULL */
	struct ucred cred;
	int nfds;                 /* SCM_RIGHTS: open files in flight, each holding a reference */
	struct file **fds;
	char data[];
};

struct unix_sock {
	struct socket sock; /* first: the generic layer's part */
	int refs;           /* the file, the peer's pointer, each message sent */
	enum unix_state state;
	bool dead;          /* its file is closed */
	unsigned shutdown;  /* RCV_SHUTDOWN | SEND_SHUTDOWN */
	struct unix_sock *peer;
	struct unix_addr *addr;
	struct inode *inode;      /* the socket file of a path name */
	struct ucred peercred;    /* SO_PEERCRED */
	struct list_node recvq;   /* struct unix_msg */
	size_t recvq_bytes;
	int recvq_len;
	size_t wmem;              /* bytes charged for our messages still queued somewhere */
	int backlog;              /* listening: the most connections waiting */
	struct list_node acceptq; /* listening: connections not accepted yet (their accept_node) */
	int acceptq_len;
	struct list_node accept_node;
	struct list_node all;     /* every unix socket: abstract names and the collector */
	int inflight;             /* its file is in this many messages (SCM_RIGHTS) */
	int gc_refs;              /* the collector's scratch count */
	bool gc_candidate, gc_alive;
	struct list_node gc_node;  /* on the collector's list of garbage */
};

static inline struct unix_sock *unix_sk(struct socket *s)
{
	return (struct unix_sock *)s;
}

extern struct list_node unix_all_sockets;
extern int unix_total_inflight; /* unix sockets' files inside messages, all counted */

void unix_hold(struct unix_sock *u);
void unix_put(struct unix_sock *u);
void unix_addr_put(struct unix_addr *a);
struct ucred unix_current_cred(bool effective);
/* Give u a name of its own (Linux's autobind: an abstract "\0XXXXX"). */
int unix_autobind(struct unix_sock *u);
/* The socket a destination address names, with a reference: -EINVAL for a
 * bad address, -ECONNREFUSED for no socket, -EPROTOTYPE for another type. */
int unix_find(const void *addr, int len, int type, struct unix_sock **out);

/* Messages (kernel/net/af_unix_msg.c). */
ssize_t unix_sendmsg(struct socket *s, struct msg_io *m, int flags);
ssize_t unix_recvmsg(struct socket *s, struct msg_io *m, int flags);
/* Free a message, putting its files and paying back its sender. Deferred
 * while another is being freed, so that a chain of sockets inside sockets
 * is freed by a loop, not by recursion. */
void unix_msg_free(struct unix_msg *msg);
void unix_purge_queue(struct unix_sock *u);

/* Control messages and files in flight (kernel/net/af_unix_scm.c). */
/* Read sendmsg's control messages into msg: the files (each with a
 * reference) and the credentials. -EINVAL, -EBADF, -ESRCH... */
int unix_scm_attach(struct msg_io *m, struct unix_msg *msg);
/* Hand msg's credentials (if u wants them, and with_cred) and files to
 * recvmsg; MSG_PEEK hands out new references and keeps the message's. */
int unix_scm_deliver(struct unix_sock *u, struct msg_io *m, struct unix_msg *msg, int flags, bool with_cred);
void unix_scm_release_fds(struct unix_msg *msg);
/* Free cycles of sockets that are reachable only from messages in flight. */
void unix_gc(void);

#endif
