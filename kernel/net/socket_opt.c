/*
 * Socket options: setsockopt and getsockopt (course section: sockets).
 *
 * Options have a level: SOL_SOCKET for what every socket has (buffer
 * sizes, timeouts, its type, its pending error), and a protocol's own
 * level (SOL_NETLINK) for the rest. The generic layer answers SOL_SOCKET
 * and hands everything else, and the SOL_SOCKET options only a family can
 * answer (SO_PEERCRED, SO_ACCEPTCONN), to the family. Most values are an
 * int; Linux copies a shorter result when the caller's buffer is shorter
 * and always writes back the length it copied.
 */
#include "kernel/net/socket.h"
#include "kernel/syscall.h"
#include "libc/include/abi/time.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define OPT_MAX 128 /* no option value is longer */
#define NSEC_PER_USEC 1000ull
#define USEC_PER_SEC 1000000ll

/* Options that are only remembered (sysgate has no routing, no keepalive). */
static bool remembered_flag(int name)
{
	return name == SO_REUSEADDR || name == SO_KEEPALIVE || name == SO_BROADCAST || name == SO_DEBUG ||
	       name == SO_DONTROUTE;
}

static int set_timeout(uint64_t *timeo, const void *val, int len)
{
	struct timeval tv;
	if (len < (int)sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv.tv_sec < 0)
		*timeo = 0; /* Linux: a negative time means "do not wait" */
	else if (tv.tv_sec == 0 && tv.tv_usec == 0)
		*timeo = SOCK_WAIT_FOREVER;
	else
		*timeo = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * NSEC_PER_USEC;
	return 0;
}

static int socket_level_set(struct socket *s, int name, const void *val, int len)
{
	if (name == SO_RCVTIMEO || name == SO_SNDTIMEO)
		return set_timeout(name == SO_RCVTIMEO ? &s->rcvtimeo_ns : &s->sndtimeo_ns, val, len);
	if (len < (int)sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	if (remembered_flag(name)) {
		if (v)
			s->flag_opts |= 1u << name;
		else
			s->flag_opts &= ~(1u << name);
		return 0;
	}
	switch (name) {
	case SO_SNDBUF:
		/* Linux doubles the value (for its bookkeeping) and caps it at wmem_max. */
		s->sndbuf = (int)MAX(MIN((unsigned)v, (unsigned)SOCK_MAX_BUF) * 2, (unsigned)SOCK_MIN_SNDBUF);
		wake_up(&s->wait, POLLOUT | POLLWRNORM);
		return 0;
	case SO_RCVBUF:
		s->rcvbuf = (int)MAX(MIN((unsigned)v, (unsigned)SOCK_MAX_BUF) * 2, (unsigned)SOCK_MIN_RCVBUF);
		return 0;
	case SO_PASSCRED:
		s->passcred = v != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

long sys_setsockopt(int fd, int level, int optname, const void __user *optval, socklen_t optlen)
{
	if ((int)optlen < 0)
		return -EINVAL;
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	char val[OPT_MAX];
	int len = (int)MIN(optlen, (socklen_t)OPT_MAX);
	memset(val, 0, sizeof(val));
	if (len && copy_from_user(val, optval, (size_t)len))
		err = -EFAULT;
	else if (level == SOL_SOCKET) {
		err = s->ops->setsockopt ? s->ops->setsockopt(s, level, optname, val, len) : -ENOPROTOOPT;
		if (err == -ENOPROTOOPT)
			err = socket_level_set(s, optname, val, len);
	} else
		err = s->ops->setsockopt ? s->ops->setsockopt(s, level, optname, val, len) : -EOPNOTSUPP;
	file_put(s->file);
	return err;
}

/* A SOL_SOCKET option's value into val; its natural length into *len. */
static int socket_level_get(struct socket *s, int name, void *val, int *len)
{
	int v;
	if (name == SO_RCVTIMEO || name == SO_SNDTIMEO) {
		uint64_t ns = name == SO_RCVTIMEO ? s->rcvtimeo_ns : s->sndtimeo_ns;
		struct timeval tv = { 0, 0 };
		if (ns != SOCK_WAIT_FOREVER) {
			tv.tv_sec = (long)(ns / 1000000000ull);
			tv.tv_usec = (long)(ns % 1000000000ull / NSEC_PER_USEC);
		}
		memcpy(val, &tv, sizeof(tv));
		*len = sizeof(tv);
		return 0;
	}
	if (remembered_flag(name))
		v = (s->flag_opts >> name) & 1;
	else switch (name) {
	case SO_TYPE: v = s->type; break;
	case SO_PROTOCOL: v = s->protocol; break;
	case SO_DOMAIN: v = s->ops->family; break;
	case SO_SNDBUF: v = s->sndbuf; break;
	case SO_RCVBUF: v = s->rcvbuf; break;
	case SO_PASSCRED: v = s->passcred; break;
	case SO_ERROR: v = -s->err; s->err = 0; break; /* reading the error clears it */
	default: return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

long sys_getsockopt(int fd, int level, int optname, void __user *optval, socklen_t __user *optlen)
{
	int err = 0;
	struct socket *s = sockfd_get(fd, &err);
	if (!s)
		return err;
	socklen_t ulen;
	char val[OPT_MAX];
	int len = 0;
	memset(val, 0, sizeof(val));
	if (copy_from_user(&ulen, optlen, sizeof(ulen)))
		err = -EFAULT;
	else if ((int)ulen < 0)
		err = -EINVAL;
	else if (level == SOL_SOCKET) {
		err = s->ops->getsockopt ? s->ops->getsockopt(s, level, optname, val, &len) : -ENOPROTOOPT;
		if (err == -ENOPROTOOPT)
			err = socket_level_get(s, optname, val, &len);
	} else
		err = s->ops->getsockopt ? s->ops->getsockopt(s, level, optname, val, &len) : -EOPNOTSUPP;
	if (!err) {
		socklen_t n = MIN(ulen, (socklen_t)len);
		if ((n && copy_to_user(optval, val, n)) || copy_to_user(optlen, &n, sizeof(n)))
			err = -EFAULT;
	}
	file_put(s->file);
	return err;
}
