/*
 * Sending and receiving: sendto, recvfrom, sendmsg, recvmsg and their
 * batched forms (course section: sockets).
 *
 * Every way of sending is one call into the family, with a struct msg_io
 * that describes the user's buffers (an array of iovecs), the address and
 * the control messages ("ancillary data": the files and credentials that
 * AF_UNIX can carry beside the bytes). read and write on a socket are the
 * same calls with one buffer and no flags (kernel/net/socket.c).
 *
 * The user's struct msghdr is copied in once; the family moves bytes with
 * msg_from_user/msg_to_user, which walk the iovecs, and adds control
 * messages with msg_put_cmsg, which follows Linux's rules for a control
 * buffer that is too small (MSG_CTRUNC).
 */
#include "kernel/net/socket.h"
#include "drivers/timer.h"
#include "kernel/syscall.h"
#include "libc/include/abi/time.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define CONTROL_MAX (128 * 1024) /* net.core.optmem_max: a larger control buffer is ENOBUFS */
#define MAX_RW_COUNT 0x7ffff000u /* the most one call moves, as Linux's read/write */

/* --- the cursor over the user's buffers --------------------------------------------------------- */

size_t msg_left(const struct msg_io *m)
{
	size_t left = 0;
	for (size_t i = m->cur_iov; i < m->iovlen; i++)
		left += m->iov[i].iov_len - (i == m->cur_iov ? m->cur_off : 0);
	return left;
}

static int msg_copy(struct msg_io *m, void *kbuf, size_t n, bool to_user)
{
	char *k = kbuf;
	while (n > 0 && m->cur_iov < m->iovlen) {
		struct iovec *v = &m->iov[m->cur_iov];
		size_t chunk = MIN(n, v->iov_len - m->cur_off);
		char __user *u = (char __user *)v->iov_base + m->cur_off;
		if (chunk && (to_user ? copy_to_user(u, k, chunk) : copy_from_user(k, u, chunk)))
			return -EFAULT;
		k += chunk;
		n -= chunk;
		m->cur_off += chunk;
		if (m->cur_off == v->iov_len) {
			m->cur_iov++;
			m->cur_off = 0;
		}
	}
	return 0;
}

int msg_from_user(struct msg_io *m, void *dst, size_t n)
{
	return msg_copy(m, dst, n, false);
}

int msg_to_user(struct msg_io *m, const void *src, size_t n)
{
	return msg_copy(m, (void *)src, n, true);
}

long msg_put_cmsg(struct msg_io *m, int level, int type, const void *data, size_t len)
{
	size_t room = m->ucontrollen - m->control_used;
	if (!m->ucontrol || room < sizeof(struct cmsghdr)) {
		m->out_flags |= MSG_CTRUNC;
		return 0;
	}
	size_t cmlen = CMSG_LEN(len);
	if (room < cmlen) {
		m->out_flags |= MSG_CTRUNC;
		cmlen = room;
	}
	struct cmsghdr h = { .cmsg_len = cmlen, .cmsg_level = level, .cmsg_type = type };
	char __user *at = (char __user *)m->ucontrol + m->control_used;
	size_t data_len = cmlen - sizeof(h);
	if (copy_to_user(at, &h, sizeof(h)) || copy_to_user(at + sizeof(h), data, data_len))
		return -EFAULT;
	m->control_used += MIN(CMSG_SPACE(len), room);
	return (long)data_len;
}

/* --- copying a msghdr in ------------------------------------------------------------------------- */

/* The iovec array of a call: at most UIO_MAXIOV entries (else EMSGSIZE),
 * each a range of user memory (else EFAULT), the total cut at MAX_RW_COUNT. */
static int iov_from_user(struct msg_io *m, const struct iovec __user *uiov, size_t n)
{
	if (n > UIO_MAXIOV)
		return -EMSGSIZE;
	m->iovlen = n;
	m->len = 0;
	if (n == 0)
		return 0;
	m->iov = kmalloc(n * sizeof(struct iovec));
	if (!m->iov)
		return -ENOMEM;
	if (copy_from_user(m->iov, uiov, n * sizeof(struct iovec)))
		return -EFAULT;
	for (size_t i = 0; i < n; i++) {
		if ((ssize_t)m->iov[i].iov_len < 0)
			return -EINVAL;
		if (!access_ok(m->iov[i].iov_base, m->iov[i].iov_len))
			return -EFAULT;
		size_t room = MAX_RW_COUNT - m->len;
		if (m->iov[i].iov_len > room)
			m->iov[i].iov_len = room;
		m->len += m->iov[i].iov_len;
	}
	return 0;
}

static void msg_io_free(struct msg_io *m)
{
	kfree(m->iov);
	kfree(m->control);
}

/* sendmsg's or recvmsg's header: the iovecs, the address, the control
 * buffer (copied for send; only its place remembered for receive). */
static int msghdr_from_user(const struct msghdr __user *umsg, struct msg_io *m, struct msghdr *h, bool send)
{
	memset(m, 0, sizeof(*m));
	if (copy_from_user(h, umsg, sizeof(*h)))
		return -EFAULT;
	if ((int)h->msg_namelen < 0)
		return -EINVAL;
	if (!h->msg_name)
		h->msg_namelen = 0;
	if (h->msg_namelen > sizeof(struct sockaddr_storage))
		h->msg_namelen = sizeof(struct sockaddr_storage);
	int err = iov_from_user(m, h->msg_iov, h->msg_iovlen);
	if (err)
		return err;
	if (!send) {
		m->ucontrol = h->msg_control;
		m->ucontrollen = h->msg_control ? h->msg_controllen : 0;
		return 0;
	}
	if (h->msg_namelen) {
		if (copy_from_user(&m->name, h->msg_name, h->msg_namelen))
			return -EFAULT;
		m->namelen = (int)h->msg_namelen;
	}
	if (h->msg_controllen) {
		if (h->msg_controllen > CONTROL_MAX)
			return -ENOBUFS;
		m->control = kmalloc(h->msg_controllen);
		if (!m->control)
			return -ENOMEM;
		if (copy_from_user(m->control, h->msg_control, h->msg_controllen))
			return -EFAULT;
		m->controllen = h->msg_controllen;
	}
	return 0;
}

/* --- the calls ------------------------------------------------------------------------------------ */

static ssize_t do_send(struct socket *s, struct msg_io *m, int flags)
{
	if (!s->ops->sendmsg)
		return -EOPNOTSUPP;
	return s->ops->sendmsg(s, m, flags);
}

long sys_sendto(int fd, const void __user *buf, size_t len, int flags, const struct sockaddr __user *addr,
		socklen_t addrlen)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	len = MIN(len, (size_t)MAX_RW_COUNT);
	struct iovec iov = { (void *)buf, len };
	struct msg_io m = { .iov = &iov, .iovlen = 1, .len = len };
	long r = 0;
	if (!access_ok(buf, len))
		r = -EFAULT;
	else if (addr && addrlen) {
		if (addrlen > sizeof(m.name))
			r = -EINVAL;
		else if (copy_from_user(&m.name, addr, addrlen))
			r = -EFAULT;
		m.namelen = (int)addrlen;
	}
	if (!r)
		r = do_send(s, &m, flags);
	file_put(s->file);
	return r;
}

/* Where a receive puts the source address: copy_to_user'd into uaddr, at
 * most *ulen bytes, and the whole length written to *ulen. */
static int name_to_user(const struct msg_io *m, void __user *uaddr, socklen_t __user *ulen)
{
	socklen_t room;
	if (copy_from_user(&room, ulen, sizeof(room)))
		return -EFAULT;
	if ((int)room < 0)
		return -EINVAL;
	size_t n = MIN((size_t)room, (size_t)m->namelen);
	if (n && copy_to_user(uaddr, &m->name, n))
		return -EFAULT;
	socklen_t whole = (socklen_t)m->namelen;
	return copy_to_user(ulen, &whole, sizeof(whole)) ? -EFAULT : 0;
}

long sys_recvfrom(int fd, void __user *buf, size_t len, int flags, struct sockaddr __user *addr,
		  socklen_t __user *addrlen)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	len = MIN(len, (size_t)MAX_RW_COUNT);
	struct iovec iov = { buf, len };
	struct msg_io m = { .iov = &iov, .iovlen = 1, .len = len };
	long r = !access_ok(buf, len) ? -EFAULT : s->ops->recvmsg ? s->ops->recvmsg(s, &m, flags) : -EOPNOTSUPP;
	if (r >= 0 && addr && addrlen) {
		err = name_to_user(&m, addr, addrlen);
		if (err)
			r = err;
	}
	file_put(s->file);
	return r;
}

static long send_one(struct socket *s, const struct msghdr __user *umsg, int flags)
{
	struct msg_io m;
	struct msghdr h;
	long r = msghdr_from_user(umsg, &m, &h, true);
	if (!r)
		r = do_send(s, &m, flags);
	msg_io_free(&m);
	return r;
}

static long recv_one(struct socket *s, struct msghdr __user *umsg, int flags)
{
	struct msg_io m;
	struct msghdr h;
	long r = msghdr_from_user(umsg, &m, &h, false);
	if (!r) {
		m.out_flags = flags & MSG_CMSG_CLOEXEC;
		r = s->ops->recvmsg ? s->ops->recvmsg(s, &m, flags) : -EOPNOTSUPP;
	}
	if (r >= 0) {
		size_t used = m.control_used;
		int out_flags = m.out_flags;
		if (h.msg_name && name_to_user(&m, h.msg_name, user_field(umsg, struct msghdr, msg_namelen)))
			r = -EFAULT;
		else if (!h.msg_name) {
			socklen_t zero = 0;
			if (copy_to_user(user_field(umsg, struct msghdr, msg_namelen), &zero, sizeof(zero)))
				r = -EFAULT;
		}
		if (copy_to_user(user_field(umsg, struct msghdr, msg_controllen), &used, sizeof(used)) ||
		    copy_to_user(user_field(umsg, struct msghdr, msg_flags), &out_flags, sizeof(out_flags)))
			r = -EFAULT;
	}
	msg_io_free(&m);
	return r;
}

long sys_sendmsg(int fd, const struct msghdr __user *umsg, int flags)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	long r = send_one(s, umsg, flags);
	file_put(s->file);
	return r;
}

long sys_recvmsg(int fd, struct msghdr __user *umsg, int flags)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	long r = recv_one(s, umsg, flags);
	file_put(s->file);
	return r;
}

/* sendmmsg and recvmmsg: several messages in one call. The count done is
 * the answer; an error is returned only if not even the first went. */
static long batch(int fd, struct mmsghdr __user *vec, unsigned vlen, int flags, bool send, uint64_t deadline)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	long done = 0, r = 0;
	while ((unsigned)done < vlen) {
		/* The done-th entry's address, computed as bytes: vec comes from
		 * the program and may be misaligned (user_field, mm/uaccess.h). */
		char __user *entry = (char __user *)vec + done * sizeof(struct mmsghdr);
		struct msghdr __user *hdr = user_field(entry, struct mmsghdr, msg_hdr);
		r = send ? send_one(s, hdr, flags) : recv_one(s, hdr, flags);
		if (r < 0)
			break;
		unsigned n = (unsigned)r;
		if (copy_to_user(user_field(entry, struct mmsghdr, msg_len), &n, sizeof(n))) {
			r = -EFAULT;
			break;
		}
		done++;
		if (!send && (flags & MSG_WAITFORONE))
			flags |= MSG_DONTWAIT;
		if (!send && deadline != SOCK_WAIT_FOREVER && clock_monotonic_ns() >= deadline)
			break;
	}
	file_put(s->file);
	return done ? done : r;
}

long sys_sendmmsg(int fd, struct mmsghdr __user *msgvec, unsigned int vlen, int flags)
{
	return batch(fd, msgvec, vlen, flags, true, SOCK_WAIT_FOREVER);
}

long sys_recvmmsg(int fd, struct mmsghdr __user *msgvec, unsigned int vlen, int flags, struct timespec __user *timeout)
{
	uint64_t deadline = SOCK_WAIT_FOREVER;
	if (timeout) {
		int err = poll_timeout_from_user(timeout, &deadline);
		if (err)
			return err;
	}
	return batch(fd, msgvec, vlen, flags, false, deadline);
}
