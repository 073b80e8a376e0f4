/*
 * AF_NETLINK sockets (course section: netlink sockets).
 *
 * Netlink is how the kernel talks to programs in messages rather than in
 * syscall results: a program opens a socket of one netlink protocol (the
 * kernel's device events, NETLINK_KOBJECT_UEVENT; its connector with the
 * process events, NETLINK_CONNECTOR; routing, NETLINK_ROUTE...), joins
 * the multicast groups it wants, and reads datagrams. Each socket has a
 * port id (nl_pid: by default the process id); port 0 is the kernel, so a
 * message sent to port 0 is a request to the kernel, whose answer comes
 * back to the sender's port.
 *
 * The kernel never waits for a slow reader: when a socket's receive
 * buffer is full, the message is dropped for that socket and its next
 * recv fails once with ENOBUFS, so the program knows it missed events
 * (and should re-read the state it tracks).
 */
#include "kernel/net/netlink.h"
#include "kernel/net/socket.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/netlink.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define NL_MSG_OVERHEAD 512 /* bytes charged per queued message beside its data */

struct nl_msg {
	struct list_node node;
	uint32_t src_portid, src_groups;
	size_t len;
	char data[];
};

struct netlink_sock {
	struct socket sock;
	uint32_t portid;        /* 0 until bound */
	uint32_t groups;        /* joined multicast groups: bit g-1 for group g */
	uint32_t dst_portid, dst_groups; /* connect's default destination */
	struct list_node recvq;
	size_t rmem;            /* bytes charged for the queue */
	bool congested;         /* a message was dropped: ENOBUFS was reported */
	bool no_enobufs;        /* NETLINK_NO_ENOBUFS */
	int cn_proc_op;         /* the connector's LISTEN/IGNORE for this socket */
	struct list_node all;
};

static struct list_node all_netlink = LIST_INIT(all_netlink);
static const struct proto_ops netlink_ops;

static struct netlink_sock *nl_sk(struct socket *s)
{
	return (struct netlink_sock *)s;
}

uint32_t netlink_portid(const struct netlink_sock *nl)
{
	return nl->portid;
}

int *netlink_cn_proc_op(struct netlink_sock *nl)
{
	return &nl->cn_proc_op;
}

static bool protocol_known(int protocol)
{
	return protocol == NETLINK_ROUTE || protocol == NETLINK_CONNECTOR || protocol == NETLINK_KOBJECT_UEVENT;
}

int netlink_create(int type, int protocol, struct socket **out)
{
	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= MAX_LINKS || !protocol_known(protocol))
		return -EPROTONOSUPPORT;
	struct netlink_sock *nl = kzalloc(sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	socket_init(&nl->sock, &netlink_ops, type, protocol);
	list_init(&nl->recvq);
	list_push_back(&all_netlink, &nl->all);
	*out = &nl->sock;
	return 0;
}

static void netlink_release(struct socket *s)
{
	struct netlink_sock *nl = nl_sk(s);
	if (s->protocol == NETLINK_CONNECTOR)
		cn_proc_socket_closed(nl);
	while (!list_empty(&nl->recvq)) {
		struct nl_msg *m = list_first(&nl->recvq, struct nl_msg, node);
		list_remove(&m->node);
		kfree(m);
	}
	list_remove(&nl->all);
	wait_queue_detach_all(&s->wait);
	kfree(nl);
}

/* --- port ids --------------------------------------------------------------------------------- */

static struct netlink_sock *find_port(int protocol, uint32_t portid)
{
	struct list_node *n;
	list_for_each(n, &all_netlink) {
		struct netlink_sock *nl = list_entry(n, struct netlink_sock, all);
		if (nl->sock.protocol == protocol && nl->portid == portid)
			return nl;
	}
	return NULL;
}

/* Linux's autobind: the process id if free, else a negative number. */
static int autobind(struct netlink_sock *nl)
{
	static int32_t next_negative = -4096;
	if (nl->portid)
		return 0;
	uint32_t id = (uint32_t)current->pid;
	while (find_port(nl->sock.protocol, id))
		id = (uint32_t)next_negative--;
	nl->portid = id;
	return 0;
}

static int check_nladdr(const void *addr, int len)
{
	const struct sockaddr_nl *a = addr;
	if (len < (int)sizeof(*a))
		return -EINVAL;
	return a->nl_family == AF_NETLINK ? 0 : -EINVAL;
}

static uint32_t group_mask(int protocol, uint32_t groups)
{
	return protocol == NETLINK_KOBJECT_UEVENT ? groups & 1 : groups; /* uevents have one group */
}

static int netlink_bind(struct socket *s, const void *addr, int len)
{
	struct netlink_sock *nl = nl_sk(s);
	int err = check_nladdr(addr, len);
	if (err)
		return err;
	const struct sockaddr_nl *a = addr;
	if (nl->portid && a->nl_pid && a->nl_pid != nl->portid)
		return -EINVAL;
	if (!nl->portid && a->nl_pid) {
		if (find_port(s->protocol, a->nl_pid))
			return -EADDRINUSE;
		nl->portid = a->nl_pid;
	}
	autobind(nl);
	nl->groups = group_mask(s->protocol, a->nl_groups);
	return 0;
}

static int netlink_connect(struct socket *s, const void *addr, int len, bool nonblock)
{
	(void)nonblock;
	struct netlink_sock *nl = nl_sk(s);
	const struct sockaddr_nl *a = addr;
	if (len >= (int)sizeof(sa_family_t) && a->nl_family == AF_UNSPEC) {
		nl->dst_portid = nl->dst_groups = 0;
		return 0;
	}
	int err = check_nladdr(addr, len);
	if (err)
		return err;
	nl->dst_portid = a->nl_pid;
	nl->dst_groups = a->nl_groups;
	return autobind(nl);
}

static int netlink_getname(struct socket *s, struct sockaddr_storage *out, bool peer)
{
	struct netlink_sock *nl = nl_sk(s);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	a.nl_pid = peer ? nl->dst_portid : nl->portid;
	a.nl_groups = peer ? nl->dst_groups : nl->groups;
	memcpy(out, &a, sizeof(a));
	return sizeof(a);
}

/* --- delivery ------------------------------------------------------------------------------------ */

static void deliver(struct netlink_sock *nl, const void *data, size_t len, uint32_t src_portid, uint32_t src_groups)
{
	if (nl->rmem > (size_t)nl->sock.rcvbuf) {
		/* Full: drop it, and tell the reader once. */
		if (!nl->no_enobufs && !nl->congested) {
			nl->congested = true;
			nl->sock.err = -ENOBUFS;
			wake_up(&nl->sock.wait, POLLERR);
		}
		return;
	}
	struct nl_msg *m = kmalloc(sizeof(*m) + len);
	if (!m)
		return;
	m->src_portid = src_portid;
	m->src_groups = src_groups;
	m->len = len;
	memcpy(m->data, data, len);
	list_push_back(&nl->recvq, &m->node);
	nl->rmem += len + NL_MSG_OVERHEAD;
	wake_up(&nl->sock.wait, POLLIN | POLLRDNORM);
}

void netlink_unicast(struct netlink_sock *nl, const void *data, size_t len)
{
	deliver(nl, data, len, 0, 0);
}

bool netlink_has_listeners(int protocol, unsigned group)
{
	struct list_node *n;
	list_for_each(n, &all_netlink) {
		struct netlink_sock *nl = list_entry(n, struct netlink_sock, all);
		if (nl->sock.protocol == protocol && (nl->groups & (1u << (group - 1))))
			return true;
	}
	return false;
}

static void broadcast_from(struct netlink_sock *sender, int protocol, unsigned group, const void *data,
			   size_t len, bool (*filter)(struct netlink_sock *nl))
{
	uint32_t bit = 1u << (group - 1);
	struct list_node *n;
	list_for_each(n, &all_netlink) {
		struct netlink_sock *nl = list_entry(n, struct netlink_sock, all);
		if (nl != sender && nl->sock.protocol == protocol && (nl->groups & bit) && (!filter || filter(nl)))
			deliver(nl, data, len, sender ? sender->portid : 0, bit);
	}
}

void netlink_broadcast(int protocol, unsigned group, const void *data, size_t len,
		       bool (*filter)(struct netlink_sock *nl))
{
	if (group >= 1 && group <= 32)
		broadcast_from(NULL, protocol, group, data, len, filter);
}

/* --- sending and receiving ------------------------------------------------------------------------ */

static void kernel_input(struct netlink_sock *from, const void *data, size_t len)
{
	if (from->sock.protocol == NETLINK_ROUTE)
		netlink_route_input(from, data, len);
	else if (from->sock.protocol == NETLINK_CONNECTOR)
		cn_input(from, data, len);
	/* NETLINK_KOBJECT_UEVENT: the kernel takes no requests; dropped, as on Linux */
}

static ssize_t netlink_sendmsg(struct socket *s, struct msg_io *m, int flags)
{
	(void)flags;
	struct netlink_sock *nl = nl_sk(s);
	uint32_t dst_portid = nl->dst_portid, dst_groups = nl->dst_groups;
	if (m->namelen) {
		int err = check_nladdr(&m->name, m->namelen);
		if (err)
			return err;
		const struct sockaddr_nl *a = (const struct sockaddr_nl *)&m->name;
		dst_portid = a->nl_pid;
		dst_groups = a->nl_groups;
	}
	if ((dst_groups || dst_portid) && sys_geteuid() != 0)
		return -EPERM; /* only root may talk to other programs' sockets */
	autobind(nl);
	if (m->len > (size_t)s->sndbuf - 32)
		return -EMSGSIZE;
	char *buf = kmalloc(m->len ? m->len : 1);
	if (!buf)
		return -ENOMEM;
	if (msg_from_user(m, buf, m->len)) {
		kfree(buf);
		return -EFAULT;
	}
	if (dst_groups) { /* the lowest group named, as Linux sends to one */
		unsigned group = (unsigned)__builtin_ctz(dst_groups) + 1;
		broadcast_from(nl, s->protocol, group, buf, m->len, NULL);
	}
	long r = (long)m->len;
	if (dst_portid == 0) {
		if (!dst_groups)
			kernel_input(nl, buf, m->len);
	} else {
		struct netlink_sock *to = find_port(s->protocol, dst_portid);
		if (to)
			deliver(to, buf, m->len, nl->portid, 0);
		else
			r = -ECONNREFUSED;
	}
	kfree(buf);
	return r;
}

static ssize_t netlink_recvmsg(struct socket *s, struct msg_io *m, int flags)
{
	struct netlink_sock *nl = nl_sk(s);
	if (s->err) {
		int err = s->err;
		s->err = 0;
		return err;
	}
	uint64_t deadline = socket_deadline(s->rcvtimeo_ns, socket_nonblocking(s, flags));
	int err = socket_wait_event(&s->wait, deadline, !list_empty(&nl->recvq) || s->err);
	if (err)
		return err;
	if (list_empty(&nl->recvq)) {
		err = s->err;
		s->err = 0;
		return err;
	}
	struct nl_msg *msg = list_first(&nl->recvq, struct nl_msg, node);
	size_t n = MIN(m->len, msg->len);
	if (msg_to_user(m, msg->data, n))
		return -EFAULT;
	if (msg->len > n)
		m->out_flags |= MSG_TRUNC;
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_pid = msg->src_portid, .nl_groups = msg->src_groups };
	memcpy(&m->name, &a, sizeof(a));
	m->namelen = sizeof(a);
	size_t whole = msg->len;
	if (!(flags & MSG_PEEK)) {
		list_remove(&msg->node);
		nl->rmem -= msg->len + NL_MSG_OVERHEAD;
		kfree(msg);
		if (list_empty(&nl->recvq))
			nl->congested = false; /* drained: the next overflow is reported again */
	}
	return (ssize_t)((flags & MSG_TRUNC) ? whole : n);
}

static uint32_t netlink_poll(struct socket *s, struct poll_table *pt)
{
	struct netlink_sock *nl = nl_sk(s);
	poll_wait(pt, &s->wait);
	uint32_t ev = POLLOUT | POLLWRNORM;
	if (!list_empty(&nl->recvq))
		ev |= POLLIN | POLLRDNORM;
	if (s->err)
		ev |= POLLERR;
	return ev;
}

/* --- options ---------------------------------------------------------------------------------------- */

static int netlink_setsockopt(struct socket *s, int level, int name, const void *val, int len)
{
	struct netlink_sock *nl = nl_sk(s);
	if (level == SOL_SOCKET)
		return -ENOPROTOOPT;
	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (len < (int)sizeof(int))
		return -EINVAL;
	unsigned v;
	memcpy(&v, val, sizeof(v));
	switch (name) {
	case NETLINK_ADD_MEMBERSHIP:
	case NETLINK_DROP_MEMBERSHIP:
		if (v == 0 || v > 32)
			return -EINVAL;
		autobind(nl);
		if (name == NETLINK_ADD_MEMBERSHIP)
			nl->groups |= group_mask(s->protocol, 1u << (v - 1));
		else
			nl->groups &= ~(1u << (v - 1));
		return 0;
	case NETLINK_NO_ENOBUFS:
		nl->no_enobufs = v != 0;
		if (v) {
			nl->congested = false;
			s->err = 0;
		}
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int netlink_getsockopt(struct socket *s, int level, int name, void *val, int *len)
{
	struct netlink_sock *nl = nl_sk(s);
	if (level == SOL_SOCKET)
		return -ENOPROTOOPT;
	if (level != SOL_NETLINK || name != NETLINK_NO_ENOBUFS)
		return -ENOPROTOOPT;
	int v = nl->no_enobufs;
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static const struct proto_ops netlink_ops = {
	.family = AF_NETLINK,
	.bind = netlink_bind,
	.connect = netlink_connect,
	.getname = netlink_getname,
	.sendmsg = netlink_sendmsg,
	.recvmsg = netlink_recvmsg,
	.poll = netlink_poll,
	.setsockopt = netlink_setsockopt,
	.getsockopt = netlink_getsockopt,
	.release = netlink_release,
};
