/*
 * AF_UNIX control messages: passing open files (SCM_RIGHTS) and credentials
 * (SCM_CREDENTIALS), and collecting files lost in flight (course section:
 * sockets).
 *
 * sendmsg can carry, beside the bytes, a list of descriptors: the kernel
 * takes a reference on each open file and keeps it in the message; recvmsg
 * installs the files in the receiver's table under new numbers. The file
 * itself travels, not the number: the two processes then share it (its
 * offset, its flags) as after fork.
 *
 * A file in flight can be a socket, and its own queue can hold files too:
 * send socket A over B and B over A, close both, and each is kept alive
 * only by a message inside the other. No close will ever free them. The
 * collector (unix_gc) finds such sockets: those whose every reference is
 * a message in flight, and which cannot be reached from any socket that
 * someone still holds. Their queues are emptied, which drops the last
 * references, and the cycle is freed.
 */
#include "kernel/net/af_unix.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/string.h"
#include "mm/heap.h"

int unix_total_inflight;

static struct unix_sock *unix_of_file(struct file *f)
{
	struct socket *s = f ? socket_of_file(f) : NULL;
	return s && s->ops->family == AF_UNIX ? unix_sk(s) : NULL;
}

static void inflight_add(struct file *f, int delta)
{
	struct unix_sock *u = unix_of_file(f);
	if (u) {
		u->inflight += delta;
		unix_total_inflight += delta;
	}
}

/* --- sending ------------------------------------------------------------------------------------ */

static int add_fds(struct unix_msg *msg, const int *fds, size_t n)
{
	if (n == 0)
		return 0;
	size_t total = (size_t)msg->nfds + n;
	if (total > SCM_MAX_FD)
		return -EINVAL;
	struct file **arr = kmalloc(total * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	if (msg->nfds)
		memcpy(arr, msg->fds, (size_t)msg->nfds * sizeof(*arr));
	kfree(msg->fds);
	msg->fds = arr;
	for (size_t i = 0; i < n; i++) {
		struct file *f = fd_get(fds[i]);
		if (!f)
			return -EBADF;
		file_get(f);
		inflight_add(f, 1);
		msg->fds[msg->nfds++] = f;
	}
	/* The sender pays for the pointers too: no unbounded kernel memory. */
	size_t extra = n * sizeof(struct file *);
	msg->charge += extra;
	msg->sender->wmem += extra;
	return 0;
}

/* Credentials a sender claims: root may claim any live process and any
 * valid ids; anyone else only its own pid, and its real or effective ids
 * (EPERM), as Linux's scm_check_creds. */
static int check_cred(const struct ucred *c)
{
	if (c->uid == (uint32_t)-1 || c->gid == (uint32_t)-1)
		return -EINVAL;
	if (sys_geteuid() != 0) {
		bool own_uid = c->uid == (uint32_t)sys_getuid() || c->uid == (uint32_t)sys_geteuid();
		bool own_gid = c->gid == (uint32_t)sys_getgid() || c->gid == (uint32_t)sys_getegid();
		if (c->pid != current->pid || !own_uid || !own_gid)
			return -EPERM;
	}
	if (!task_find(c->pid))
		return -ESRCH;
	return 0;
}

int unix_scm_attach(struct msg_io *m, struct unix_msg *msg)
{
	size_t off = 0;
	while (m->controllen - off >= sizeof(struct cmsghdr)) {
		struct cmsghdr *c = (struct cmsghdr *)((char *)m->control + off);
		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > m->controllen - off)
			return -EINVAL;
		if (c->cmsg_level == SOL_SOCKET) {
			size_t dlen = c->cmsg_len - CMSG_LEN(0);
			int err = 0;
			if (c->cmsg_type == SCM_RIGHTS) {
				err = add_fds(msg, (const int *)CMSG_DATA(c), dlen / sizeof(int));
			} else if (c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cred;
				if (c->cmsg_len != CMSG_LEN(sizeof(cred)))
					return -EINVAL;
				memcpy(&cred, CMSG_DATA(c), sizeof(cred));
				err = check_cred(&cred);
				if (!err)
					msg->cred = cred;
			} else {
				err = -EINVAL;
			}
			if (err)
				return err;
		}
		off += CMSG_ALIGN(c->cmsg_len);
		if (off > m->controllen)
			break;
	}
	return 0;
}

void unix_scm_release_fds(struct unix_msg *msg)
{
	for (int i = 0; i < msg->nfds; i++) {
		if (msg->fds[i]) {
			inflight_add(msg->fds[i], -1);
			file_put(msg->fds[i]);
		}
	}
	kfree(msg->fds);
	msg->fds = NULL;
	msg->nfds = 0;
}

/* --- receiving ---------------------------------------------------------------------------------- */

/* Install msg's files as new descriptors, as many as the control buffer
 * has room for; the rest are closed and MSG_CTRUNC says so. */
static int deliver_fds(struct msg_io *m, struct unix_msg *msg, int flags, bool peek)
{
	size_t room = m->ucontrol ? m->ucontrollen - m->control_used : 0;
	int fdmax = room > sizeof(struct cmsghdr) ? (int)((room - sizeof(struct cmsghdr)) / sizeof(int)) : 0;
	int installed[SCM_MAX_FD];
	int n = 0;
	for (; n < MIN(fdmax, msg->nfds); n++) {
		struct file *f = msg->fds[n];
		file_get(f);
		int fd = fd_install(f, 0, flags & MSG_CMSG_CLOEXEC);
		if (fd < 0) {
			file_put(f);
			break;
		}
		installed[n] = fd;
	}
	if (n < msg->nfds || fdmax <= 0)
		m->out_flags |= MSG_CTRUNC;
	if (!peek)
		unix_scm_release_fds(msg); /* the message's references; the table has its own */
	if (n > 0) {
		long r = msg_put_cmsg(m, SOL_SOCKET, SCM_RIGHTS, installed, (size_t)n * sizeof(int));
		if (r < 0)
			return (int)r;
	}
	return 0;
}

int unix_scm_deliver(struct unix_sock *u, struct msg_io *m, struct unix_msg *msg, int flags, bool with_cred)
{
	if (u->sock.passcred && with_cred) {
		long r = msg_put_cmsg(m, SOL_SOCKET, SCM_CREDENTIALS, &msg->cred, sizeof(msg->cred));
		if (r < 0)
			return (int)r;
	}
	if (msg->nfds)
		return deliver_fds(m, msg, flags, flags & MSG_PEEK);
	return 0;
}

/* --- the collector ------------------------------------------------------------------------------- */

/* Call fn on every unix socket whose file is in a message queued at u (or
 * at a connection waiting in u's accept queue). */
static void for_each_child(struct unix_sock *u, void (*fn)(struct unix_sock *child, bool *changed), bool *changed)
{
	struct list_node *queues[2] = { &u->recvq, NULL };
	struct list_node *c;
	list_for_each(c, &u->acceptq) {
		struct unix_sock *embryo = list_entry(c, struct unix_sock, accept_node);
		queues[1] = &embryo->recvq;
		struct list_node *n;
		list_for_each(n, queues[1]) {
			struct unix_msg *msg = list_entry(n, struct unix_msg, node);
			for (int i = 0; i < msg->nfds; i++) {
				struct unix_sock *child = unix_of_file(msg->fds[i]);
				if (child && child->gc_candidate)
					fn(child, changed);
			}
		}
	}
	struct list_node *n;
	list_for_each(n, queues[0]) {
		struct unix_msg *msg = list_entry(n, struct unix_msg, node);
		for (int i = 0; i < msg->nfds; i++) {
			struct unix_sock *child = unix_of_file(msg->fds[i]);
			if (child && child->gc_candidate)
				fn(child, changed);
		}
	}
}

static void drop_internal_ref(struct unix_sock *child, bool *changed)
{
	(void)changed;
	child->gc_refs--;
}

static void mark_alive(struct unix_sock *child, bool *changed)
{
	if (!child->gc_alive) {
		child->gc_alive = true;
		*changed = true;
	}
}

void unix_gc(void)
{
	static bool running;
	if (running)
		return;
	running = true;
	/* 1. Candidates: sockets held only by messages in flight. */
	struct list_node *n;
	list_for_each(n, &unix_all_sockets) {
		struct unix_sock *u = list_entry(n, struct unix_sock, all);
		u->gc_candidate = !u->dead && u->inflight > 0 && u->sock.file && u->sock.file->refs == u->inflight;
		u->gc_refs = u->inflight;
		u->gc_alive = false;
	}
	/* 2. Take away the references candidates hold on each other: what is
	 * left comes from messages queued at sockets someone still holds. */
	bool changed = false;
	list_for_each(n, &unix_all_sockets) {
		struct unix_sock *u = list_entry(n, struct unix_sock, all);
		if (u->gc_candidate)
			for_each_child(u, drop_internal_ref, &changed);
	}
	/* 3. Those are alive, and so is everything reachable from them. */
	list_for_each(n, &unix_all_sockets) {
		struct unix_sock *u = list_entry(n, struct unix_sock, all);
		u->gc_alive = u->gc_candidate && u->gc_refs > 0;
	}
	do {
		changed = false;
		list_for_each(n, &unix_all_sockets) {
			struct unix_sock *u = list_entry(n, struct unix_sock, all);
			if (u->gc_candidate && u->gc_alive)
				for_each_child(u, mark_alive, &changed);
		}
	} while (changed);
	/* 4. The rest is garbage: empty its queues, which frees the cycle. */
	struct list_node garbage = LIST_INIT(garbage);
	list_for_each(n, &unix_all_sockets) {
		struct unix_sock *u = list_entry(n, struct unix_sock, all);
		if (u->gc_candidate && !u->gc_alive) {
			unix_hold(u);
			list_push_back(&garbage, &u->gc_node);
		}
	}
	while (!list_empty(&garbage)) {
		struct unix_sock *u = list_first(&garbage, struct unix_sock, gc_node);
		list_remove(&u->gc_node);
		struct list_node *c;
		list_for_each(c, &u->acceptq)
			unix_purge_queue(list_entry(c, struct unix_sock, accept_node));
		unix_purge_queue(u);
		unix_put(u);
	}
	running = false;
}
