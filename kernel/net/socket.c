/*
 * Sockets as files: the generic socket calls (course section: sockets).
 *
 * A socket is an open file whose private data is a struct socket. What the
 * calls mean depends on the address family -- AF_UNIX carries bytes and
 * messages between programs on this machine, AF_NETLINK carries messages
 * between the kernel and programs -- so this file does only what every
 * family shares: it turns a descriptor into a socket (ENOTSOCK for any
 * other file), copies addresses in and out with Linux's length rules, and
 * calls the family's operation. Because a socket is a file, read, write,
 * close, fcntl(O_NONBLOCK), poll, epoll and O_ASYNC work on it with no
 * code of their own: they reach the family through the file operations
 * at the bottom.
 */
#include "kernel/net/socket.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "libc/include/abi/ioctl.h"
#include "libc/include/abi/stat.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

static const struct file_ops socket_file_ops;

void socket_init(struct socket *s, const struct proto_ops *ops, int type, int protocol)
{
	s->ops = ops;
	s->type = type;
	s->protocol = protocol;
	s->sndbuf = SOCK_DEFAULT_BUF;
	s->rcvbuf = SOCK_DEFAULT_BUF;
	s->sndtimeo_ns = SOCK_WAIT_FOREVER;
	s->rcvtimeo_ns = SOCK_WAIT_FOREVER;
	wait_queue_init(&s->wait);
}

struct socket *sockfd_get(int fd, int *err)
{
	struct file *f = fd_get(fd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops != &socket_file_ops) {
		*err = -ENOTSOCK;
		return NULL;
	}
	file_get(f); /* the call may sleep while another thread closes fd */
	return f->private;
}

struct socket *socket_of_file(struct file *f)
{
	return f->ops == &socket_file_ops ? f->private : NULL;
}

bool socket_nonblocking(const struct socket *s, int msg_flags)
{
	return (msg_flags & MSG_DONTWAIT) || (s->file && (s->file->flags & O_NONBLOCK));
}

uint64_t socket_deadline(uint64_t timeo_ns, bool nonblock)
{
	if (nonblock)
		return 0;
	if (timeo_ns == SOCK_WAIT_FOREVER)
		return SOCK_WAIT_FOREVER;
	return poll_deadline_ns(timeo_ns);
}

int socket_wait_sleep(struct wait_queue *wq, uint64_t deadline, struct poll_wait_set *set)
{
	(void)wq;
	int err = deadline == 0 ? -ETIMEDOUT : poll_wait_sleep(set, deadline);
	poll_wait_free(set);
	if (err == -ETIMEDOUT)
		return -EAGAIN;
	return err;
}

void socket_sigpipe(int msg_flags)
{
	if (msg_flags & MSG_NOSIGNAL)
		return;
	ksiginfo_t info = { .si_signo = SIGPIPE, .si_code = SI_USER };
	info.fields.kill.si_pid = current->pid;
	send_signal_thread(current, SIGPIPE, &info);
}

/* --- the file side ------------------------------------------------------------------------------ */

static ssize_t socket_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct socket *s = f->private;
	struct iovec iov = { buf, n };
	struct msg_io m = { .iov = &iov, .iovlen = 1, .len = n };
	return s->ops->recvmsg ? s->ops->recvmsg(s, &m, 0) : -EOPNOTSUPP;
}

static ssize_t socket_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct socket *s = f->private;
	struct iovec iov = { (void *)buf, n };
	struct msg_io m = { .iov = &iov, .iovlen = 1, .len = n };
	return s->ops->sendmsg ? s->ops->sendmsg(s, &m, 0) : -EOPNOTSUPP;
}

static uint32_t socket_poll(struct file *f, struct poll_table *pt)
{
	struct socket *s = f->private;
	return s->ops->poll(s, pt);
}

static long socket_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct socket *s = f->private;
	return s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -ENOTTY;
}

static void socket_release(struct file *f)
{
	struct socket *s = f->private;
	s->file = NULL;
	s->ops->release(s);
}

static const struct file_ops socket_file_ops = {
	.read = socket_read,
	.write = socket_write,
	.poll = socket_poll,
	.ioctl = socket_ioctl,
	.release = socket_release,
	.anon_mode = S_IFSOCK | 0777,
};

int socket_install(struct socket *s, int flags)
{
	struct file *f = file_alloc(&socket_file_ops, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0), s);
	if (!f) {
		s->ops->release(s);
		return -ENOMEM;
	}
	s->file = f;
	int fd = fd_install(f, 0, flags & SOCK_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* --- creating sockets --------------------------------------------------------------------------- */

static int socket_create(int domain, int type, int protocol, struct socket **out)
{
	if (domain < 0 || domain >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	switch (domain) {
	case AF_UNIX:
		return unix_create(type, protocol, out);
	case AF_NETLINK:
		return netlink_create(type, protocol, out);
	default:
		return -EAFNOSUPPORT;
	}
}

long sys_socket(int domain, int type, int protocol)
{
	int flags = type & ~SOCK_TYPE_MASK;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	struct socket *s;
	int err = socket_create(domain, type & SOCK_TYPE_MASK, protocol, &s);
	return err ? err : socket_install(s, flags);
}

long sys_socketpair(int domain, int type, int protocol, int __user sv[2])
{
	int flags = type & ~SOCK_TYPE_MASK;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	struct socket *a, *b;
	int err = socket_create(domain, type & SOCK_TYPE_MASK, protocol, &a);
	if (err)
		return err;
	err = socket_create(domain, type & SOCK_TYPE_MASK, protocol, &b);
	if (err) {
		a->ops->release(a);
		return err;
	}
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (err) {
		a->ops->release(a);
		b->ops->release(b);
		return err;
	}
	int fd[2];
	fd[0] = socket_install(a, flags);
	if (fd[0] < 0) {
		b->ops->release(b);
		return fd[0];
	}
	fd[1] = socket_install(b, flags);
	if (fd[1] < 0) {
		fd_close(fd[0]);
		return fd[1];
	}
	if (copy_to_user(sv, fd, sizeof(fd))) {
		fd_close(fd[0]);
		fd_close(fd[1]);
		return -EFAULT;
	}
	return 0;
}

/* --- addresses in and out ---------------------------------------------------------------------- */

/* Linux's move_addr_to_kernel: a length over 128 bytes (or "negative") is
 * EINVAL before the address is even read. */
static int addr_from_user(const void __user *uaddr, socklen_t len, struct sockaddr_storage *kaddr)
{
	if (len > sizeof(*kaddr))
		return -EINVAL;
	memset(kaddr, 0, sizeof(*kaddr));
	if (len == 0)
		return 0;
	return copy_from_user(kaddr, uaddr, len) ? -EFAULT : 0;
}

/* Copy at most *ulen bytes of the address out, and write its whole length
 * back into *ulen (so a caller sees it was cut). */
static int addr_to_user(const struct sockaddr_storage *kaddr, int klen, void __user *uaddr,
			socklen_t __user *ulen)
{
	socklen_t room;
	if (copy_from_user(&room, ulen, sizeof(room)))
		return -EFAULT;
	if ((int)room < 0)
		return -EINVAL;
	size_t n = MIN((size_t)room, (size_t)klen);
	if (n && copy_to_user(uaddr, kaddr, n))
		return -EFAULT;
	socklen_t whole = (socklen_t)klen;
	return copy_to_user(ulen, &whole, sizeof(whole)) ? -EFAULT : 0;
}

long sys_bind(int fd, const struct sockaddr __user *uaddr, socklen_t addrlen)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	struct sockaddr_storage addr;
	err = addr_from_user(uaddr, addrlen, &addr);
	if (!err)
		err = s->ops->bind ? s->ops->bind(s, &addr, (int)addrlen) : -EOPNOTSUPP;
	file_put(s->file);
	return err;
}

long sys_connect(int fd, const struct sockaddr __user *uaddr, socklen_t addrlen)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	struct sockaddr_storage addr;
	err = addr_from_user(uaddr, addrlen, &addr);
	if (!err)
		err = s->ops->connect ? s->ops->connect(s, &addr, (int)addrlen, socket_nonblocking(s, 0))
				      : -EOPNOTSUPP;
	file_put(s->file);
	return err;
}

long sys_listen(int fd, int backlog)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN; /* a negative backlog too, as Linux reads it unsigned */
	err = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	file_put(s->file);
	return err;
}

long sys_accept4(int fd, struct sockaddr __user *uaddr, socklen_t __user *ulen, int flags)
{
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	struct socket *conn = NULL;
	err = s->ops->accept ? s->ops->accept(s, &conn, socket_nonblocking(s, 0)) : -EOPNOTSUPP;
	file_put(s->file);
	if (err)
		return err;
	if (uaddr) {
		struct sockaddr_storage addr;
		int len = conn->ops->getname(conn, &addr, true);
		err = len < 0 ? -ECONNABORTED : addr_to_user(&addr, len, uaddr, ulen);
		if (err) {
			conn->ops->release(conn); /* the connection is lost, as on Linux */
			return err;
		}
	}
	return socket_install(conn, flags);
}

long sys_accept(int fd, struct sockaddr __user *uaddr, socklen_t __user *ulen)
{
	return sys_accept4(fd, uaddr, ulen, 0);
}

static long get_name(int fd, struct sockaddr __user *uaddr, socklen_t __user *ulen, bool peer)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	struct sockaddr_storage addr;
	memset(&addr, 0, sizeof(addr));
	int len = s->ops->getname ? s->ops->getname(s, &addr, peer) : -EOPNOTSUPP;
	err = len < 0 ? len : addr_to_user(&addr, len, uaddr, ulen);
	file_put(s->file);
	return err;
}

long sys_getsockname(int fd, struct sockaddr __user *uaddr, socklen_t __user *ulen)
{
	return get_name(fd, uaddr, ulen, false);
}

long sys_getpeername(int fd, struct sockaddr __user *uaddr, socklen_t __user *ulen)
{
	return get_name(fd, uaddr, ulen, true);
}

long sys_shutdown(int fd, int how)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	err = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	file_put(s->file);
	return err;
}
