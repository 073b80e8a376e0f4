/*
 * AF_UNIX sockets, part two (course section: sockets): SCM_RIGHTS and
 * SCM_CREDENTIALS, files closed in flight, a cycle of sockets in flight
 * freed by the collector, SIGIO and select, ECONNRESET, SO_PEERCRED, and
 * hostile arguments to every call. Runs on Linux and on sysgate.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include <unistd.h>

#include "testlib.h"
#include "unix_util.h"


static void test_scm(void)
{
	int sv[2], p[2], fds[300], got[300], flags = 0;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	check_eq("SCM_RIGHTS: send a pipe's write end", send_fds(sv[0], &p[1], 1, 0), 1);
	check_eq("SCM_RIGHTS: one fd arrives", recv_fds(sv[1], got, 4, &flags), 1);
	check("the new fd is another number", got[0] != p[1], "fd %d", got[0]);
	check_eq("and writes into the same pipe", write(got[0], "z", 1), 1);
	char c;
	check_eq("read from the original read end", read(p[0], &c, 1), 1);
	close(got[0]);
	int bad = 999;
	check_errno("SCM_RIGHTS with a closed fd: EBADF", send_fds(sv[0], &bad, 1, 0), EBADF);
	for (int i = 0; i < 254; i++)
		fds[i] = p[0];
	check_errno("SCM_RIGHTS with 254 fds: EINVAL", send_fds(sv[0], fds, 254, 0), EINVAL);
	check_eq("SCM_RIGHTS with 253 fds", send_fds(sv[0], fds, 253, 0), 1);
	int n = recv_fds(sv[1], got, 10, &flags);
	check_eq("a control buffer for 10: 10 arrive", n, 10);
	check("... and MSG_CTRUNC", flags & MSG_CTRUNC, "flags %#x", flags);
	for (int i = 0; i < n; i++)
		close(got[i]);
	check_errno("a cmsg_len beyond the buffer: EINVAL", send_fds(sv[0], &p[0], 1, 4096), EINVAL);
	check_errno("a cmsg_len below the header: EINVAL", send_fds(sv[0], &p[0], 1, 4), EINVAL);
	send_fds(sv[0], &p[0], 1, 0);
	check_eq("no control buffer: no fd", recv_fds(sv[1], got, 0, &flags), 0);
	check("... and MSG_CTRUNC", flags & MSG_CTRUNC, "flags %#x", flags);

	/* SCM_CREDENTIALS and SO_PASSCRED */
	int one = 1;
	check_ok("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	write(sv[0], "c", 1);
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	check_eq("recvmsg with SO_PASSCRED", recvmsg(sv[1], &mh, 0), 1);
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	struct ucred cred = { 0, 1, 1 };
	if (cm && cm->cmsg_type == SCM_CREDENTIALS)
		memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
	check("SCM_CREDENTIALS arrives", cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS, "none");
	check_eq("... with our pid", cred.pid, getpid());
	check_eq("... and uid", cred.uid, getuid());
	/* sending credentials explicitly: a pid that does not exist is ESRCH */
	mh.msg_controllen = sizeof(u.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cred));
	cred = (struct ucred){ getpid(), getuid(), getgid() };
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	check_eq("SCM_CREDENTIALS of our own", sendmsg(sv[0], &mh, 0), 1);
	read(sv[1], &byte, 1);
	cred.pid = 0x7ffffff0;
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	/* root may claim any live process (ESRCH for none); others only their own (EPERM) */
	check_errno("SCM_CREDENTIALS of no process: ESRCH", sendmsg(sv[0], &mh, 0), geteuid() == 0 ? ESRCH : EPERM);
	cm->cmsg_type = 77;
	check_errno("an unknown SOL_SOCKET cmsg: EINVAL", sendmsg(sv[0], &mh, 0), EINVAL);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}

/* Sockets in flight in a cycle: A's end inside B's queue and B's inside A's,
 * every descriptor closed. Only the collector frees them. */
static void cycle_work(void)
{
	int a[2], b[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, a);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, b);
	send_fds(a[0], &b[0], 1, 0);
	send_fds(b[1], &a[1], 1, 0);
	send_fds(a[1], &a[1], 1, 0); /* a socket sent over itself */
	send_fds(a[1], &a[0], 1, 0);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	int t[2]; /* closing any unix socket runs the collector */
	socketpair(AF_UNIX, SOCK_STREAM, 0, t);
	close(t[0]);
	close(t[1]);
}

static void test_cycle(void)
{
	if (!on_sysgate()) {
		cycle_work();
		t_skip("fd passing in a cycle freed", "sysgate only (the leak counters)");
		return;
	}
	struct leak_mark m;
	for (int i = 0; i < 3; i++)
		cycle_work();
	leak_mark(&m); /* warm up: the first reading pages in testlib's buffer */
	leak_mark(&m);
	for (int i = 0; i < 20; i++)
		cycle_work();
	leak_check("fd passing in a cycle is freed (20 rounds), with its sockets and messages", &m);
}

/* --- more calls, and hostile arguments ------------------------------------------------------------ */

static void test_more(void)
{
	int sv[2];
	char buf[16];
	/* fcntl O_NONBLOCK reaches the socket */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	check_errno("fcntl O_NONBLOCK: recv says EAGAIN", recv(sv[0], buf, 1, 0), EAGAIN);
	/* SIGIO: F_SETOWN and O_ASYNC on a socket */
	t_count_signal(SIGIO);
	fcntl(sv[0], F_SETOWN, getpid());
	fcntl(sv[0], F_SETFL, O_NONBLOCK | O_ASYNC);
	write(sv[1], "io", 2);
	check("O_ASYNC: data arriving sends SIGIO", t_signal_count >= 1, "count %d", (int)t_signal_count);
	/* select sees it through the same poll operation */
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(sv[0], &rd);
	struct timeval zero = { 0, 0 };
	check_eq("select: readable", select(sv[0] + 1, &rd, NULL, NULL, &zero), 1);
	close(sv[0]);
	close(sv[1]);

	/* SCM_RIGHTS: the sender closes its descriptor while the file is in flight */
	int p[2], got = -1, flags = 0;
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	pipe(p);
	send_fds(sv[0], &p[1], 1, 0);
	close(p[1]);
	check_eq("a file closed in flight still arrives", recv_fds(sv[1], &got, 1, &flags), 1);
	check_eq("... and works", write(got, "k", 1), 1);
	close(got);
	check_eq("its last writer gone, the pipe reads EOF after the byte", read(p[0], buf, sizeof(buf)), 1);
	close(p[0]);
	/* recvmmsg: two datagrams in one call */
	send(sv[0], "m1", 2, 0);
	send(sv[0], "m22", 3, 0);
	char b1[8], b2[8];
	struct iovec v1 = { b1, sizeof(b1) }, v2 = { b2, sizeof(b2) };
	struct mmsghdr mm[2];
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr.msg_iov = &v1;
	mm[1].msg_hdr.msg_iov = &v2;
	mm[0].msg_hdr.msg_iovlen = mm[1].msg_hdr.msg_iovlen = 1;
	check_eq("recvmmsg takes two datagrams", recvmmsg(sv[1], mm, 2, MSG_DONTWAIT, NULL), 2);
	check_eq("... their lengths", mm[0].msg_len * 10 + mm[1].msg_len, 23);
	check_eq("MSG_PEEK on a datagram keeps it", (send(sv[0], "pk", 2, 0), recv(sv[1], buf, 8, MSG_PEEK)), 2);
	check_eq("... for the next receive", recv(sv[1], buf, 8, 0), 2);
	close(sv[0]);
	close(sv[1]);

	/* A listener closed with a connection waiting: the client reads ECONNRESET, then EOF */
	struct sockaddr_un a;
	socklen_t al = abstract_addr(&a, "sgtest-reset");
	int srv = socket(AF_UNIX, SOCK_STREAM, 0), cl = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(srv, (struct sockaddr *)&a, al);
	listen(srv, 1);
	connect(cl, (struct sockaddr *)&a, al);
	close(srv);
	check_errno("the listener closed before accept: ECONNRESET", read(cl, buf, 1), ECONNRESET);
	check_eq("then end of file", read(cl, buf, 1), 0);
	int err = -1;
	socklen_t len = sizeof(err);
	getsockopt(cl, SOL_SOCKET, SO_ERROR, &err, &len);
	check_eq("SO_ERROR was taken by the read", err, 0);
	close(cl);
	/* SO_PEERCRED across connect and accept: both ends see this process */
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(srv, (struct sockaddr *)&a, al);
	listen(srv, 1);
	connect(cl, (struct sockaddr *)&a, al);
	int conn = accept(srv, NULL, NULL);
	struct ucred c1 = { 0, 0, 0 }, c2 = { 0, 0, 0 };
	len = sizeof(c1);
	getsockopt(cl, SOL_SOCKET, SO_PEERCRED, &c1, &len);
	len = sizeof(c2);
	getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &c2, &len);
	check("SO_PEERCRED on both ends of an accepted connection", c1.pid == getpid() && c2.pid == getpid(),
	      "%d %d", c1.pid, c2.pid);
	struct ucred none;
	len = sizeof(none);
	getsockopt(srv, SOL_SOCKET, SO_PEERCRED, &none, &len);
	check_eq("a listener's SO_PEERCRED is its own process", none.pid, getpid());
	close(conn);
	close(cl);
	close(srv);
}

static void test_hostile(void)
{
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), sv[2];
	struct sockaddr_un a;
	memset(&a, 'x', sizeof(a));
	a.sun_family = AF_UNIX;
	check_errno("bind addrlen 0: EINVAL", bind(s, (struct sockaddr *)&a, 0), EINVAL);
	check_errno("bind addrlen 1: EINVAL", bind(s, (struct sockaddr *)&a, 1), EINVAL);
	check_errno("bind addrlen 200: EINVAL", bind(s, (struct sockaddr *)&a, 200), EINVAL);
	check_errno("bind addrlen -1: EINVAL", bind(s, (struct sockaddr *)&a, (socklen_t)-1), EINVAL);
	check_errno("bind NULL address: EFAULT", bind(s, NULL, sizeof(a)), EFAULT);
	check_errno("connect kernel address: EFAULT", connect(s, (struct sockaddr *)0xffff800000000000ul, sizeof(a)), EFAULT);
	check_errno("connect addrlen 1: EINVAL", connect(s, (struct sockaddr *)&a, 1), EINVAL);
	a.sun_family = AF_INET;
	check_errno("bind another family: EINVAL", bind(s, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	a.sun_family = AF_UNIX;
	/* a path without a NUL: Linux takes the bytes given */
	chdir("/tmp");
	memset(a.sun_path, 'p', sizeof(a.sun_path));
	unlink(cname("%.108s", a.sun_path));
	check_ok("bind a 108-byte path without NUL", bind(s, (struct sockaddr *)&a, sizeof(a)));
	unlink(cname("%.108s", a.sun_path));
	close(s);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	char buf[16];
	check_errno("recv into a kernel address: EFAULT", recv(sv[0], (void *)0xffff800000000000ul, 8, MSG_DONTWAIT), EFAULT);
	check_errno("send from address 0: EFAULT", send(sv[0], NULL, 8, 0), EFAULT);
	check_errno("sendmsg with a bad msghdr: EFAULT", sendmsg(sv[0], (struct msghdr *)8, 0), EFAULT);
	static struct iovec many[1025];
	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ buf, 1 };
	struct msghdr mh = { .msg_iov = many, .msg_iovlen = 1025 };
	check_errno("sendmsg with 1025 iovecs: EMSGSIZE", sendmsg(sv[0], &mh, 0), EMSGSIZE);
	mh.msg_iovlen = 1024;
	check_eq("sendmsg with 1024 iovecs", sendmsg(sv[0], &mh, 0), 1024);
	check_eq("all of it arrives", recv(sv[1], buf, 16, MSG_WAITALL), 16);
	while (recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	mh.msg_iovlen = 1;
	mh.msg_control = (void *)8;
	mh.msg_controllen = 64;
	check_errno("sendmsg with a bad control pointer: EFAULT", sendmsg(sv[0], &mh, 0), EFAULT);
	mh.msg_control = buf;
	mh.msg_controllen = 1 << 30;
	check_errno("sendmsg with a huge control length: ENOBUFS", sendmsg(sv[0], &mh, 0), ENOBUFS);
	socklen_t len = sizeof(a);
	check_errno("getsockname to a bad address: EFAULT", getsockname(sv[0], (struct sockaddr *)8, &len), EFAULT);
	check_errno("getsockname bad length pointer: EFAULT", getsockname(sv[0], (struct sockaddr *)&a, (socklen_t *)8), EFAULT);
	len = (socklen_t)-1;
	check_errno("getsockname length -1: EINVAL", getsockname(sv[0], (struct sockaddr *)&a, &len), EINVAL);
	check_errno("accept4 with a bad address pointer on a pair: EINVAL", accept4(sv[0], (struct sockaddr *)8, &len, 0), EINVAL);
	check_errno("sendmmsg bad vector: EFAULT", sendmmsg(sv[0], (struct mmsghdr *)8, 2, 0), EFAULT);
	struct mmsghdr mm[2];
	struct iovec io1 = { "ab", 2 };
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr.msg_iov = mm[1].msg_hdr.msg_iov = &io1;
	mm[0].msg_hdr.msg_iovlen = mm[1].msg_hdr.msg_iovlen = 1;
	check_eq("sendmmsg sends 2", sendmmsg(sv[0], mm, 2, 0), 2);
	check_eq("... msg_len set", mm[1].msg_len, 2);
	close(sv[0]);
	close(sv[1]);

	/* epoll watching a datagram socket also watches its peer's queue: the
	 * peer closed and forgotten must leave no hook behind. */
	struct sockaddr_un b;
	socklen_t bl = abstract_addr(&b, "sgtest-epoll-peer");
	int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM, 0), ep = epoll_create1(0);
	bind(y, (struct sockaddr *)&b, bl);
	connect(x, (struct sockaddr *)&b, bl);
	struct epoll_event ev = { .events = EPOLLOUT, .data.fd = x };
	epoll_ctl(ep, EPOLL_CTL_ADD, x, &ev);
	close(y);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	check_ok("disconnect a datagram socket (AF_UNSPEC)", connect(x, &unspec, sizeof(unspec)));
	check_eq("epoll_wait after its peer went away", epoll_wait(ep, &ev, 1, 0), 1);
	close(x);
	close(ep);
}

/* --- a storm of random socket calls ---------------------------------------------------------------- */

static unsigned long storm_rng = 88172645463325252ul;

static unsigned long storm_rnd(void)
{
	storm_rng ^= storm_rng << 13;
	storm_rng ^= storm_rng >> 7;
	storm_rng ^= storm_rng << 17;
	return storm_rng;
}

/* Arguments of the kinds that find bugs: descriptors of the pool, sizes,
 * flags, valid memory (scratch) and pointers that are not. */
static long storm_arg(const int *pool, int npool, char *scratch)
{
	switch (storm_rnd() % 9) {
	case 0: return pool[storm_rnd() % (unsigned long)npool];
	case 1: return (long)(storm_rnd() % 300);
	case 2: return (long)(scratch + storm_rnd() % 4096);
	case 3: return (long)scratch;
	case 4: return 0;
	case 5: return -1;
	case 6: return (long)0xffff800000000000ul;
	case 7: return (long)(1ul << (storm_rnd() % 32));
	default: return (long)storm_rnd();
	}
}

/* 3000 random calls among the socket syscalls on non-blocking sockets of
 * every kind: whatever they do, nothing crashes or hangs, and on sysgate
 * nothing leaks once the child is gone. */
static void storm(void)
{
	static const long calls[] = { SYS_socket, SYS_connect, SYS_accept, SYS_sendto, SYS_recvfrom, SYS_sendmsg,
				      SYS_recvmsg, SYS_shutdown, SYS_bind, SYS_listen, SYS_getsockname,
				      SYS_getpeername, SYS_socketpair, SYS_setsockopt, SYS_getsockopt, SYS_accept4,
				      SYS_recvmmsg, SYS_sendmmsg };
	pid_t child = t_fork();
	if (child == 0) {
		static char scratch[8192];
		int pool[12], n = 0, sv[2];
		signal(SIGPIPE, SIG_IGN);
		for (int type = 1; type <= 5; type += (type == 2 ? 3 : 1)) { /* stream, dgram, seqpacket */
			socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, sv);
			pool[n++] = sv[0];
			pool[n++] = sv[1];
			pool[n++] = socket(AF_UNIX, type | SOCK_NONBLOCK, 0);
		}
		pool[n++] = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_ROUTE);
		pool[n++] = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK, 15);
		pool[n++] = 999;
		for (int i = 0; i < 3000; i++) {
			long nr = calls[storm_rnd() % (sizeof(calls) / sizeof(calls[0]))];
			long a[6];
			for (int k = 0; k < 6; k++)
				a[k] = storm_arg(pool, n, scratch);
			if (nr == SYS_recvmmsg)
				a[4] = 0; /* no timeout: a wait would be on a non-blocking socket anyway */
			if (nr == SYS_socket || nr == SYS_socketpair || nr == SYS_accept || nr == SYS_accept4) {
				long r = raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
				if (r > 2 && nr != SYS_socketpair)
					close((int)r); /* keep the table small */
				continue;
			}
			raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		}
		_exit(0);
	}
	check_exited("3000 random socket calls: the child ends normally", t_wait(child, T_WAIT_TICKS), 0);
}

static void test_storm(void)
{
	if (!on_sysgate()) {
		storm();
		return;
	}
	struct leak_mark m;
	storm();
	leak_mark(&m);
	leak_mark(&m);
	storm();
	int t[2]; /* a last close runs the collector for what the storm left in flight */
	socketpair(AF_UNIX, SOCK_STREAM, 0, t);
	close(t[0]);
	close(t[1]);
	leak_check("after the storm: no frame or heap byte lost", &m);
}

int main(void)
{
	t_begin("unix2");
	t_group("SCM", test_scm);
	t_group("more", test_more);
	t_group("hostile", test_hostile);
	test_cycle();
	test_storm();
	return t_end();
}
