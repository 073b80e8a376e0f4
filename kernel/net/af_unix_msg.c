/*
 * AF_UNIX messages: sending, queueing and receiving (course section: sockets).
 *
 * Every send becomes one or more struct unix_msg appended to the receiving
 * socket's queue. The sender pays for each message out of its send buffer
 * (SO_SNDBUF) until the receiver takes it, so a fast writer and a slow
 * reader meet a limit: the writer sleeps, or gets EAGAIN when it must not
 * block, and is woken when the reader frees room -- the same flow control
 * a pipe has, counted in bytes of kernel memory.
 *
 * The kinds differ only in how a receive treats the queue:
 *   - stream: the bytes of consecutive messages run together; a read takes
 *     what is there (with MSG_WAITALL: until it has all it asked for);
 *   - datagram and seqpacket: one receive takes one whole message, and a
 *     buffer too small cuts it (MSG_TRUNC).
 */
#include "kernel/net/af_unix.h"
#include "kernel/proc/task.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define STREAM_CHUNK_MAX (64 * 1024) /* the largest piece one stream message holds */

/* --- messages ---------------------------------------------------------------------------------- */

static struct unix_msg *msg_alloc(struct unix_sock *sender, size_t len)
{
	struct unix_msg *msg = kmalloc(sizeof(*msg) + len);
	if (!msg)
		return NULL;
	memset(msg, 0, sizeof(*msg));
	list_init(&msg->node);
	unix_hold(sender);
	msg->sender = sender;
	msg->len = len;
	msg->charge = len + UNIX_MSG_OVERHEAD;
	sender->wmem += msg->charge;
	if (sender->addr) {
		sender->addr->refs++;
		msg->from = sender->addr;
	}
	msg->cred = unix_current_cred(false);
	return msg;
}

static void msg_destroy(struct unix_msg *msg)
{
	unix_scm_release_fds(msg);
	struct unix_sock *s = msg->sender;
	/* Wake the sender only if it was short of room (a writer waits for
	 * wmem < sndbuf, poll for a quarter of it): a sender asleep in its own
	 * read is not disturbed by every message the other side takes. */
	bool was_full = s->wmem * 4 > (size_t)s->sock.sndbuf;
	s->wmem -= msg->charge;
	if (was_full)
		wake_up(&s->sock.wait, POLLOUT | POLLWRNORM);
	unix_put(s);
	unix_addr_put(msg->from);
	kfree(msg);
}

/* Messages waiting to be destroyed: destroying one may close a socket
 * whose queue holds more (files passed inside files), so they line up
 * here and one loop destroys them all. */
static struct list_node graveyard = LIST_INIT(graveyard);
static bool burying;

void unix_msg_free(struct unix_msg *msg)
{
	list_push_back(&graveyard, &msg->node);
	if (burying)
		return;
	burying = true;
	while (!list_empty(&graveyard)) {
		struct unix_msg *first = list_first(&graveyard, struct unix_msg, node);
		list_remove(&first->node);
		msg_destroy(first);
	}
	burying = false;
}

static void enqueue(struct unix_sock *to, struct unix_msg *msg)
{
	list_push_back(&to->recvq, &msg->node);
	to->recvq_bytes += msg->len;
	to->recvq_len++;
	wake_up(&to->sock.wait, POLLIN | POLLRDNORM);
}

/* Take msg off u's queue and free it (which wakes its sender). A datagram
 * sender waiting for room in u's queue sleeps on u's wait queue: wake it. */
static void dequeue_free(struct unix_sock *u, struct unix_msg *msg)
{
	list_remove(&msg->node);
	u->recvq_bytes -= msg->len - msg->off;
	u->recvq_len--;
	if (u->sock.type != SOCK_STREAM)
		wake_up(&u->sock.wait, POLLOUT | POLLWRNORM);
	unix_msg_free(msg);
}

void unix_purge_queue(struct unix_sock *u)
{
	while (!list_empty(&u->recvq))
		dequeue_free(u, list_first(&u->recvq, struct unix_msg, node));
}

/* --- sending ------------------------------------------------------------------------------------ */

static ssize_t broken_pipe(size_t sent, int flags)
{
	if (sent)
		return (ssize_t)sent;
	socket_sigpipe(flags);
	return -EPIPE;
}

static bool peer_gone(const struct unix_sock *p)
{
	return p->dead || (p->shutdown & RCV_SHUTDOWN);
}

static ssize_t stream_send(struct unix_sock *u, struct msg_io *m, int flags)
{
	if (m->namelen)
		return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	if (u->state != UNIX_CONNECTED || !u->peer)
		return -ENOTCONN;
	uint64_t deadline = socket_deadline(u->sock.sndtimeo_ns, socket_nonblocking(&u->sock, flags));
	size_t sent = 0;
	size_t chunk_max = MIN((size_t)u->sock.sndbuf / 2 - 64, (size_t)STREAM_CHUNK_MAX);
	while (sent < m->len) {
		struct unix_sock *p = u->peer;
		if ((u->shutdown & SEND_SHUTDOWN) || peer_gone(p))
			return broken_pipe(sent, flags);
		int err = socket_wait_event(&u->sock.wait, deadline,
					    u->wmem < (size_t)u->sock.sndbuf || peer_gone(p) || (u->shutdown & SEND_SHUTDOWN));
		if (err)
			return sent ? (ssize_t)sent : err;
		if ((u->shutdown & SEND_SHUTDOWN) || peer_gone(p))
			return broken_pipe(sent, flags);
		size_t chunk = MIN(m->len - sent, chunk_max);
		struct unix_msg *msg = msg_alloc(u, chunk);
		if (!msg)
			return sent ? (ssize_t)sent : -ENOMEM;
		err = msg_from_user(m, msg->data, chunk);
		if (!err && sent == 0)
			err = unix_scm_attach(m, msg); /* files and credentials travel with the first piece */
		if (err) {
			unix_msg_free(msg);
			return sent ? (ssize_t)sent : err;
		}
		enqueue(p, msg);
		sent += chunk;
	}
	return (ssize_t)sent;
}

/* Whom a datagram goes to: the address given, or the connected peer. */
static int dgram_target(struct unix_sock *u, struct msg_io *m, struct unix_sock **out)
{
	if (u->sock.type == SOCK_SEQPACKET) {
		if (u->state != UNIX_CONNECTED || !u->peer)
			return -ENOTCONN;
	} else if (m->namelen) {
		return unix_find(&m->name, m->namelen, SOCK_DGRAM, out);
	} else if (!u->peer) {
		return -ENOTCONN;
	}
	unix_hold(u->peer);
	*out = u->peer;
	return 0;
}

/* Why p refuses a datagram from u now, or 0. */
static int dgram_refused(struct unix_sock *u, struct unix_sock *p)
{
	if (p->dead) {
		if (u->sock.type == SOCK_SEQPACKET)
			return -EPIPE;
		if (u->peer == p) { /* our connected peer is gone: forget it */
			u->peer = NULL;
			u->state = UNIX_UNCONNECTED;
			unix_put(p);
		}
		return -ECONNREFUSED;
	}
	if (p->peer && p->peer != u)
		return -EPERM; /* p is connected to someone else */
	if (p->shutdown & RCV_SHUTDOWN)
		return -EPIPE;
	return 0;
}

static bool dgram_room(const struct unix_sock *u, const struct unix_sock *p)
{
	return u->wmem < (size_t)u->sock.sndbuf && (p->peer == u || p->recvq_len <= UNIX_DGRAM_QLEN);
}

static ssize_t dgram_send(struct unix_sock *u, struct msg_io *m, int flags)
{
	if (u->sock.passcred && !u->addr) {
		int err = unix_autobind(u);
		if (err)
			return err;
	}
	struct unix_sock *p;
	int err = dgram_target(u, m, &p);
	if (err)
		return err;
	if (m->len > (size_t)u->sock.sndbuf - 32) {
		unix_put(p);
		return -EMSGSIZE;
	}
	uint64_t deadline = socket_deadline(u->sock.sndtimeo_ns, socket_nonblocking(&u->sock, flags));
	for (;;) {
		err = dgram_refused(u, p);
		if (err || dgram_room(u, p))
			break;
		err = socket_wait_event(&p->sock.wait, deadline, p->dead || dgram_room(u, p) || (p->shutdown & RCV_SHUTDOWN));
		if (err)
			break;
	}
	struct unix_msg *msg = err ? NULL : msg_alloc(u, m->len);
	if (!err && !msg)
		err = -ENOMEM;
	if (!err)
		err = msg_from_user(m, msg->data, m->len);
	if (!err)
		err = unix_scm_attach(m, msg);
	if (err) {
		if (msg)
			unix_msg_free(msg);
		unix_put(p);
		return err;
	}
	enqueue(p, msg);
	unix_put(p);
	return (ssize_t)m->len;
}

ssize_t unix_sendmsg(struct socket *s, struct msg_io *m, int flags)
{
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	struct unix_sock *u = unix_sk(s);
	return s->type == SOCK_STREAM ? stream_send(u, m, flags) : dgram_send(u, m, flags);
}

/* --- receiving ---------------------------------------------------------------------------------- */

static void source_name(struct msg_io *m, const struct unix_msg *msg)
{
	if (!msg->from)
		return;
	memcpy(&m->name, &msg->from->sun, (size_t)msg->from->len);
	m->namelen = msg->from->len;
}

static int take_error(struct socket *s)
{
	int err = s->err;
	s->err = 0;
	return err;
}

static ssize_t dgram_recv(struct unix_sock *u, struct msg_io *m, int flags)
{
	struct socket *s = &u->sock;
	if (s->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED)
		return -ENOTCONN;
	uint64_t deadline = socket_deadline(s->rcvtimeo_ns, socket_nonblocking(s, flags));
	int err = socket_wait_event(&s->wait, deadline, !list_empty(&u->recvq) || s->err || (u->shutdown & RCV_SHUTDOWN));
	if (err)
		return err;
	if (s->err)
		return take_error(s);
	if (list_empty(&u->recvq))
		return 0; /* shut down: end of file */
	struct unix_msg *msg = list_first(&u->recvq, struct unix_msg, node);
	size_t n = MIN(m->len, msg->len);
	if (msg_to_user(m, msg->data, n))
		return -EFAULT;
	if (msg->len > n)
		m->out_flags |= MSG_TRUNC;
	source_name(m, msg);
	bool peek = flags & MSG_PEEK;
	err = unix_scm_deliver(u, m, msg, flags, true);
	if (err)
		return err;
	size_t whole = msg->len;
	if (!peek)
		dequeue_free(u, msg);
	return (ssize_t)((flags & MSG_TRUNC) ? whole : n);
}

static bool same_cred(const struct ucred *a, const struct ucred *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

/* The stream receive loop: take bytes from consecutive messages, but keep
 * the files of a message with the bytes they came with (stop before one
 * that has files, and after it), and, with SO_PASSCRED, stop where the
 * sender changes. */
static ssize_t stream_recv(struct unix_sock *u, struct msg_io *m, int flags)
{
	struct socket *s = &u->sock;
	if (u->state != UNIX_CONNECTED)
		return -EINVAL;
	if (m->len == 0)
		return 0;
	bool peek = flags & MSG_PEEK;
	size_t target = (flags & MSG_WAITALL) && !peek ? m->len : 1;
	uint64_t deadline = socket_deadline(s->rcvtimeo_ns, socket_nonblocking(s, flags));
	size_t copied = 0, peek_skip = 0;
	struct unix_msg *msg = NULL;
	struct ucred first_cred;
	while (copied < m->len) {
		struct list_node *next = msg && peek ? msg->node.next : u->recvq.next;
		if (next == &u->recvq) {
			if (copied >= target)
				break;
			if (s->err)
				return copied ? (ssize_t)copied : take_error(s);
			if (u->shutdown & RCV_SHUTDOWN)
				break;
			int err = socket_wait_event(&s->wait, deadline, u->recvq.next != &u->recvq || s->err ||
									   (u->shutdown & RCV_SHUTDOWN));
			if (err)
				return copied ? (ssize_t)copied : err;
			msg = NULL; /* a peek starts over at the head: the queue may have changed */
			peek_skip = copied;
			continue;
		}
		struct unix_msg *cur = list_entry(next, struct unix_msg, node);
		if (copied && (cur->nfds || (s->passcred && !same_cred(&first_cred, &cur->cred))))
			break;
		size_t avail = cur->len - cur->off;
		size_t skip = MIN(peek_skip, avail);
		peek_skip -= skip;
		size_t n = MIN(m->len - copied, avail - skip);
		if (n && msg_to_user(m, cur->data + cur->off + skip, n))
			return copied ? (ssize_t)copied : -EFAULT;
		if (copied == 0 && skip == 0) {
			first_cred = cur->cred;
			source_name(m, cur);
		}
		copied += n;
		bool had_fds = cur->nfds > 0;
		int err = unix_scm_deliver(u, m, cur, flags, copied == n);
		if (err)
			return copied ? (ssize_t)copied : err;
		if (!peek) {
			cur->off += n;
			u->recvq_bytes -= n;
			if (cur->off == cur->len)
				dequeue_free(u, cur);
		}
		msg = cur;
		if (had_fds)
			break;
	}
	return (ssize_t)copied;
}

ssize_t unix_recvmsg(struct socket *s, struct msg_io *m, int flags)
{
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	struct unix_sock *u = unix_sk(s);
	return s->type == SOCK_STREAM ? stream_recv(u, m, flags) : dgram_recv(u, m, flags);
}
