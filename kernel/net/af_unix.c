/*
 * AF_UNIX sockets: names, connections and their ends (course section:
 * sockets).
 *
 * A Unix socket joins two programs on one machine. Three kinds:
 *   - SOCK_STREAM: a connection carrying bytes, like a pipe in both directions;
 *   - SOCK_SEQPACKET: a connection carrying messages whose borders are kept;
 *   - SOCK_DGRAM: messages sent to a name, with no connection needed.
 * A server binds a name -- a path, which makes a socket file in the
 * filesystem, or an "abstract" name starting with a NUL byte, which lives
 * only in the kernel -- and listens; a client connects to the name; each
 * connection waits in the listener's queue (at most `backlog` of them)
 * until accept() hands it out as a new socket. socketpair() makes two
 * connected ends at once.
 *
 * This file has the ends' life: creating, naming, connecting, accepting,
 * shutting down, closing. The messages themselves are in af_unix_msg.c,
 * the files and credentials they carry in af_unix_scm.c.
 */
#include "kernel/net/af_unix.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/ioctl.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define SUN_PATH_OFFSET 2 /* offsetof(struct sockaddr_un, sun_path) */

struct list_node unix_all_sockets = LIST_INIT(unix_all_sockets);
static const struct proto_ops unix_ops;

/* --- life of a socket ------------------------------------------------------------------------- */

void unix_hold(struct unix_sock *u)
{
	u->refs++;
}

void unix_addr_put(struct unix_addr *a)
{
	if (a && --a->refs == 0)
		kfree(a);
}

void unix_put(struct unix_sock *u)
{
	if (--u->refs > 0)
		return;
	list_remove(&u->all);
	unix_addr_put(u->addr);
	/* An epoll item watching a datagram peer hooked onto this queue too. */
	wait_queue_detach_all(&u->sock.wait);
	kfree(u);
}

struct ucred unix_current_cred(bool effective)
{
	struct ucred c = { current->pid, 0, 0 };
	c.uid = (uint32_t)(effective ? sys_geteuid() : sys_getuid());
	c.gid = (uint32_t)(effective ? sys_getegid() : sys_getgid());
	return c;
}

static struct unix_sock *unix_alloc(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	socket_init(&u->sock, &unix_ops, type, 0);
	u->refs = 1;
	list_init(&u->recvq);
	list_init(&u->acceptq);
	list_init(&u->accept_node);
	list_push_back(&unix_all_sockets, &u->all);
	/* Linux reports "nobody" until there is a peer. */
	u->peercred = (struct ucred){ 0, 65534, 65534 };
	return u;
}

int unix_create(int type, int protocol, struct socket **out)
{
	if (protocol != 0 && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;
	if (type == SOCK_RAW)
		type = SOCK_DGRAM; /* Linux's old alias */
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	struct unix_sock *u = unix_alloc(type);
	if (!u)
		return -ENOMEM;
	*out = &u->sock;
	return 0;
}

static bool connection_based(const struct unix_sock *u)
{
	return u->sock.type != SOCK_DGRAM;
}

/* The other end learns we are gone: a connection reads end of file, and
 * ECONNRESET if we left data unread. */
static void tell_peer_closed(struct unix_sock *u, bool unread)
{
	struct unix_sock *p = u->peer;
	if (!p)
		return;
	if (connection_based(u) && p->peer == u) {
		p->shutdown = SHUTDOWN_MASK;
		if (unread)
			p->sock.err = -ECONNRESET;
	}
	wake_up_all(&p->sock.wait);
	u->peer = NULL;
	unix_put(p);
}

static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	u->dead = true;
	u->state = UNIX_UNCONNECTED;
	u->shutdown = SHUTDOWN_MASK;
	if (u->inode) {
		u->inode->dev_data = NULL; /* the socket file stays, but refuses connections */
		inode_put(u->inode);
		u->inode = NULL;
	}
	while (!list_empty(&u->acceptq)) { /* connections never accepted */
		struct unix_sock *c = list_first(&u->acceptq, struct unix_sock, accept_node);
		list_remove(&c->accept_node);
		u->acceptq_len--;
		unix_release_sock(c, true);
	}
	tell_peer_closed(u, embryo || !list_empty(&u->recvq));
	wake_up_all(&u->sock.wait);
	unix_purge_queue(u);
	unix_put(u);
}

static void unix_release(struct socket *s)
{
	struct unix_sock *u = unix_sk(s);
	unix_release_sock(u, false);
	if (unix_total_inflight > 0)
		unix_gc(); /* closing a socket may leave a cycle reachable only from messages */
}

/* --- names ------------------------------------------------------------------------------------ */

/* Linux's checks on a sockaddr_un: the family, and a length between the
 * family alone and the whole structure. */
static int check_addr(const void *addr, int len)
{
	const struct sockaddr_un *sun = addr;
	if (len <= SUN_PATH_OFFSET || len > (int)sizeof(struct sockaddr_un))
		return -EINVAL;
	if (sun->sun_family != AF_UNIX)
		return -EINVAL;
	return 0;
}

/* A path name from an address: the bytes up to a NUL or the length given. */
static void addr_path(const void *addr, int len, char path[UNIX_PATH_MAX + 1])
{
	const struct sockaddr_un *sun = addr;
	size_t n = (size_t)len - SUN_PATH_OFFSET;
	memcpy(path, sun->sun_path, n);
	path[n] = 0;
}

static struct unix_sock *find_abstract(const void *addr, int len, int type)
{
	struct list_node *n;
	list_for_each(n, &unix_all_sockets) {
		struct unix_sock *u = list_entry(n, struct unix_sock, all);
		/* Linux keeps one abstract namespace per socket type. */
		if (u->addr && !u->inode && !u->dead && u->sock.type == type && u->addr->len == len &&
		    !memcmp(&u->addr->sun, addr, (size_t)len))
			return u;
	}
	return NULL;
}

int unix_find(const void *addr, int len, int type, struct unix_sock **out)
{
	int err = check_addr(addr, len);
	if (err)
		return err;
	const struct sockaddr_un *sun = addr;
	struct unix_sock *u;
	if (sun->sun_path[0] == 0) {
		u = find_abstract(addr, len, type);
		if (!u)
			return -ECONNREFUSED;
	} else {
		char path[UNIX_PATH_MAX + 1];
		struct inode *i;
		addr_path(addr, len, path);
		err = path_lookup(NULL, path, &i);
		if (err)
			return err;
		u = (i->mode & S_IFMT) == S_IFSOCK ? i->dev_data : NULL;
		inode_put(i);
		if (!u)
			return -ECONNREFUSED;
		if (u->sock.type != type)
			return -EPROTOTYPE;
	}
	unix_hold(u);
	*out = u;
	return 0;
}

static struct unix_addr *addr_new(const void *addr, int len)
{
	struct unix_addr *a = kzalloc(sizeof(*a));
	if (!a)
		return NULL;
	a->refs = 1;
	a->len = len;
	memcpy(&a->sun, addr, (size_t)len);
	return a;
}

int unix_autobind(struct unix_sock *u)
{
	static unsigned next;
	if (u->addr)
		return 0;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const int len = SUN_PATH_OFFSET + 6; /* "\0" and five hex digits */
	for (unsigned tries = 0; tries < 0x100000; tries++) {
		unsigned n = next++ & 0xfffff;
		for (int d = 0; d < 5; d++)
			sun.sun_path[5 - d] = "0123456789abcdef"[(n >> (4 * d)) & 15];
		if (!find_abstract(&sun, len, u->sock.type)) {
			u->addr = addr_new(&sun, len);
			return u->addr ? 0 : -ENOMEM;
		}
	}
	return -ENOSPC;
}

static int bind_path(struct unix_sock *u, const void *addr, int len)
{
	char path[UNIX_PATH_MAX + 1];
	addr_path(addr, len, path);
	struct inode *dir, *i;
	char last[NAME_MAX + 1];
	int err = path_parent(NULL, path, &dir, last);
	if (err)
		return err;
	if (u->addr) { /* Linux makes the name first: a used one is EADDRINUSE even now */
		err = dir_lookup(dir, last) ? -EADDRINUSE : -EINVAL;
		inode_put(dir);
		return err;
	}
	err = dir_create(dir, last, S_IFSOCK | (0777 & ~current->fs->umask), &i);
	inode_put(dir);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;
	struct unix_addr *a = addr_new(addr, SUN_PATH_OFFSET + (int)strlen(path) + 1);
	if (!a)
		return -ENOMEM;
	inode_get(i);
	i->dev_data = u;
	u->inode = i;
	u->addr = a;
	return 0;
}

static int unix_bind(struct socket *s, const void *addr, int len)
{
	struct unix_sock *u = unix_sk(s);
	const struct sockaddr_un *sun = addr;
	if (len == SUN_PATH_OFFSET && sun->sun_family == AF_UNIX)
		return u->addr ? -EINVAL : unix_autobind(u);
	int err = check_addr(addr, len);
	if (err)
		return err;
	if (sun->sun_path[0])
		return bind_path(u, addr, len);
	if (u->addr)
		return -EINVAL;
	if (find_abstract(addr, len, s->type))
		return -EADDRINUSE;
	u->addr = addr_new(addr, len);
	return u->addr ? 0 : -ENOMEM;
}

static int unix_getname(struct socket *s, struct sockaddr_storage *out, bool peer)
{
	struct unix_sock *u = unix_sk(s);
	if (peer) {
		if (!u->peer || (connection_based(u) && u->state != UNIX_CONNECTED))
			return -ENOTCONN;
		u = u->peer;
	}
	memset(out, 0, sizeof(*out));
	if (!u->addr) {
		out->ss_family = AF_UNIX;
		return SUN_PATH_OFFSET;
	}
	memcpy(out, &u->addr->sun, (size_t)u->addr->len);
	return u->addr->len;
}

/* --- connections ------------------------------------------------------------------------------- */

static int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = unix_sk(s);
	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (!u->addr || u->state == UNIX_CONNECTED)
		return -EINVAL;
	u->backlog = backlog;
	u->state = UNIX_LISTENING;
	u->peercred = unix_current_cred(true); /* what connecting clients will see */
	wake_up_all(&s->wait);
	return 0;
}

static void join(struct unix_sock *a, struct unix_sock *b)
{
	unix_hold(b);
	a->peer = b;
	a->state = UNIX_CONNECTED;
}

/* Connect a stream or seqpacket socket: a new socket for the server side
 * waits in the listener's queue, already joined to us. */
static int connect_stream(struct unix_sock *u, const void *addr, int len, bool nonblock)
{
	if (u->state == UNIX_CONNECTED)
		return -EISCONN;
	if (u->state == UNIX_LISTENING)
		return -EINVAL;
	uint64_t deadline = socket_deadline(u->sock.sndtimeo_ns, nonblock);
	struct unix_sock *l;
	for (;;) {
		int err = unix_find(addr, len, u->sock.type, &l);
		if (err)
			return err;
		if (l->state != UNIX_LISTENING || l->dead) {
			unix_put(l);
			return -ECONNREFUSED;
		}
		if (l->acceptq_len <= l->backlog)
			break;
		err = socket_wait_event(&l->sock.wait, deadline, l->dead || l->acceptq_len <= l->backlog);
		unix_put(l);
		if (err)
			return err;
		if (u->state == UNIX_CONNECTED)
			return -EISCONN; /* another thread connected it meanwhile */
	}
	struct unix_sock *server = unix_alloc(u->sock.type);
	if (!server) {
		unix_put(l);
		return -ENOMEM;
	}
	if (l->addr) {
		l->addr->refs++;
		server->addr = l->addr;
	}
	server->peercred = unix_current_cred(true);
	u->peercred = l->peercred;
	join(server, u);
	join(u, server);
	list_push_back(&l->acceptq, &server->accept_node);
	l->acceptq_len++;
	wake_up(&l->sock.wait, POLLIN | POLLRDNORM);
	unix_put(l);
	return 0;
}

/* A datagram socket's connect only picks the default destination (and
 * AF_UNSPEC forgets it). */
static int connect_dgram(struct unix_sock *u, const void *addr, int len)
{
	const struct sockaddr *sa = addr;
	if (len >= (int)sizeof(sa_family_t) && sa->sa_family == AF_UNSPEC) {
		if (u->peer) {
			unix_put(u->peer);
			u->peer = NULL;
		}
		u->state = UNIX_UNCONNECTED;
		return 0;
	}
	struct unix_sock *p;
	int err = unix_find(addr, len, SOCK_DGRAM, &p);
	if (err)
		return err;
	if (u->peer)
		unix_put(u->peer);
	u->peer = p; /* the reference unix_find took */
	u->state = UNIX_CONNECTED;
	return 0;
}

static int unix_connect(struct socket *s, const void *addr, int len, bool nonblock)
{
	struct unix_sock *u = unix_sk(s);
	if (s->passcred && !u->addr) {
		int err = unix_autobind(u);
		if (err)
			return err;
	}
	if (s->type == SOCK_DGRAM)
		return connect_dgram(u, addr, len);
	int err = check_addr(addr, len);
	return err ? err : connect_stream(u, addr, len, nonblock);
}

static int unix_accept(struct socket *s, struct socket **newsock, bool nonblock)
{
	struct unix_sock *u = unix_sk(s);
	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->state != UNIX_LISTENING)
		return -EINVAL;
	uint64_t deadline = socket_deadline(s->rcvtimeo_ns, nonblock);
	int err = socket_wait_event(&s->wait, deadline, !list_empty(&u->acceptq) || u->state != UNIX_LISTENING);
	if (err)
		return err;
	if (list_empty(&u->acceptq))
		return -EINVAL;
	struct unix_sock *c = list_first(&u->acceptq, struct unix_sock, accept_node);
	list_remove(&c->accept_node);
	list_init(&c->accept_node);
	u->acceptq_len--;
	wake_up(&s->wait, POLLOUT); /* a connector waiting for room in the backlog */
	*newsock = &c->sock;
	return 0;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = unix_sk(a), *ub = unix_sk(b);
	join(ua, ub);
	join(ub, ua);
	ua->peercred = ub->peercred = unix_current_cred(true);
	return 0;
}

static int unix_shutdown(struct socket *s, int how)
{
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	struct unix_sock *u = unix_sk(s);
	unsigned mode = (unsigned)how + 1; /* SHUT_RD -> RCV, SHUT_WR -> SEND, SHUT_RDWR -> both */
	u->shutdown |= mode;
	wake_up_all(&s->wait);
	struct unix_sock *p = u->peer;
	if (p && connection_based(u)) {
		/* What we no longer send, the peer no longer receives. */
		unsigned mirrored = ((mode & RCV_SHUTDOWN) ? SEND_SHUTDOWN : 0) | ((mode & SEND_SHUTDOWN) ? RCV_SHUTDOWN : 0);
		p->shutdown |= mirrored;
		wake_up_all(&p->sock.wait);
	}
	return 0;
}

/* --- readiness --------------------------------------------------------------------------------- */

static bool unix_writable(const struct unix_sock *u)
{
	return u->state != UNIX_LISTENING && u->wmem * 4 <= (size_t)u->sock.sndbuf;
}

static uint32_t unix_poll(struct socket *s, struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(s);
	poll_wait(pt, &s->wait);
	struct unix_sock *p = u->peer;
	bool peer_full = false;
	if (s->type == SOCK_DGRAM && p && p->peer != u) {
		poll_wait(pt, &p->sock.wait); /* room in a full receiver wakes us there */
		peer_full = p->recvq_len > UNIX_DGRAM_QLEN;
	}
	uint32_t ev = 0;
	if (s->err)
		ev |= POLLERR;
	if (u->shutdown & RCV_SHUTDOWN)
		ev |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->shutdown == SHUTDOWN_MASK)
		ev |= POLLHUP;
	if (!list_empty(&u->recvq) || !list_empty(&u->acceptq))
		ev |= POLLIN | POLLRDNORM;
	if (connection_based(u) && u->state == UNIX_UNCONNECTED)
		ev |= POLLHUP;
	if (unix_writable(u) && !peer_full)
		ev |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return ev;
}

/* FIONREAD (SIOCINQ): the bytes a read would take now (a datagram's size). */
static long unix_ioctl(struct socket *s, unsigned cmd, unsigned long arg)
{
	struct unix_sock *u = unix_sk(s);
	if (cmd != FIONREAD)
		return -ENOTTY;
	if (u->state == UNIX_LISTENING)
		return -EINVAL;
	int n = 0;
	if (s->type == SOCK_STREAM)
		n = (int)u->recvq_bytes;
	else if (!list_empty(&u->recvq))
		n = (int)list_first(&u->recvq, struct unix_msg, node)->len;
	return copy_to_user((void __user *)arg, &n, sizeof(n)) ? -EFAULT : 0;
}

static int unix_getsockopt(struct socket *s, int level, int name, void *val, int *len)
{
	struct unix_sock *u = unix_sk(s);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name == SO_PEERCRED) {
		memcpy(val, &u->peercred, sizeof(u->peercred));
		*len = sizeof(u->peercred);
		return 0;
	}
	if (name == SO_ACCEPTCONN) {
		int v = u->state == UNIX_LISTENING;
		memcpy(val, &v, sizeof(v));
		*len = sizeof(v);
		return 0;
	}
	return -ENOPROTOOPT;
}

static const struct proto_ops unix_ops = {
	.family = AF_UNIX,
	.bind = unix_bind,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.getname = unix_getname,
	.sendmsg = unix_sendmsg,
	.recvmsg = unix_recvmsg,
	.poll = unix_poll,
	.shutdown = unix_shutdown,
	.getsockopt = unix_getsockopt,
	.socketpair = unix_socketpair,
	.ioctl = unix_ioctl,
	.release = unix_release,
};
