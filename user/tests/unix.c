/*
 * AF_UNIX sockets (course section: sockets): every call's success and error
 * paths on stream, datagram and seqpacket sockets, names (path and
 * abstract), backlog, SCM_RIGHTS and SCM_CREDENTIALS, buffer limits, a
 * server with 50 clients through epoll, a cycle of sockets in flight freed,
 * and hostile arguments. Runs on Linux (the oracle) and on sysgate.
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
#include <unistd.h>

#include "testlib.h"

#define PATH1 "/tmp/sgtest-unix.sock"

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(2 + strlen(path) + 1);
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(2 + 1 + strlen(name));
}

static void test_create(void)
{
	int sv[2];
	check_errno("socket: unknown family", socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
	check_errno("socket: family 46", socket(46, SOCK_STREAM, 0), EAFNOSUPPORT);
	check_errno("socket: type 99", socket(AF_UNIX, 99, 0), EINVAL);
	check_errno("socket: unknown flag", socket(AF_UNIX, SOCK_STREAM | 0x1000, 0), EINVAL);
	check_errno("socket: SOCK_RDM", socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	check_errno("socket: protocol 7", socket(AF_UNIX, SOCK_STREAM, 7), EPROTONOSUPPORT);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	check_ok("socket: stream", fd);
	check_eq("SOCK_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	check_eq("SOCK_NONBLOCK sets O_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	struct stat st;
	check_ok("fstat a socket", fstat(fd, &st));
	check("fstat says S_IFSOCK", S_ISSOCK(st.st_mode), "mode %o", st.st_mode);
	int type = 0;
	socklen_t len = sizeof(type);
	check_ok("SO_TYPE", getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len));
	check_eq("SO_TYPE is SOCK_STREAM", type, SOCK_STREAM);
	len = sizeof(type);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &type, &len);
	check_eq("SO_DOMAIN is AF_UNIX", type, AF_UNIX);
	close(fd);
	fd = socket(AF_UNIX, SOCK_RAW, 0);
	len = sizeof(type);
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
	check_eq("SOCK_RAW is a datagram socket", type, SOCK_DGRAM);
	close(fd);
	int p[2];
	pipe(p);
	struct sockaddr_un a;
	socklen_t al = path_addr(&a, PATH1);
	check_errno("bind on a pipe: ENOTSOCK", bind(p[0], (struct sockaddr *)&a, al), ENOTSOCK);
	check_errno("listen on fd 999: EBADF", listen(999, 1), EBADF);
	check_errno("accept on a pipe: ENOTSOCK", accept(p[0], NULL, NULL), ENOTSOCK);
	close(p[0]);
	close(p[1]);
	check_errno("socketpair AF_NETLINK: EOPNOTSUPP", socketpair(AF_NETLINK, SOCK_RAW, 0, sv), EOPNOTSUPP);
	check_errno("socketpair to a bad pointer: EFAULT", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, 8L), EFAULT);
}

static void sigpipe_write(long fd)
{
	write((int)fd, "x", 1);
}

static void test_stream_pair(void)
{
	int sv[2];
	char buf[64];
	check_ok("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	check_eq("write 5", write(sv[0], "hello", 5), 5);
	check_eq("write 6 more", send(sv[0], " world", 6, 0), 6);
	check_eq("MSG_PEEK sees both writes", recv(sv[1], buf, sizeof(buf), MSG_PEEK), 11);
	check_eq("read takes both (a stream has no borders)", read(sv[1], buf, sizeof(buf)), 11);
	check("bytes in order", !memcmp(buf, "hello world", 11), "got %.11s", buf);
	check_errno("empty, MSG_DONTWAIT: EAGAIN", recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
	int n = -1;
	write(sv[0], "abc", 3);
	check_ok("FIONREAD", ioctl(sv[1], FIONREAD, &n));
	check_eq("FIONREAD counts 3", n, 3);
	check_eq("MSG_WAITALL with all there", recv(sv[1], buf, 3, MSG_WAITALL), 3);
	struct ucred cred;
	socklen_t len = sizeof(cred);
	check_ok("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
	check_eq("SO_PEERCRED pid", cred.pid, getpid());
	check_eq("SO_PEERCRED uid", cred.uid, getuid());
	check_eq("SO_PEERCRED length", len, sizeof(cred));
	check_ok("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	check_eq("peer reads end of file", read(sv[1], buf, sizeof(buf)), 0);
	check_errno("write after SHUT_WR: EPIPE", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	check_errno("shutdown how 3: EINVAL", shutdown(sv[0], 3), EINVAL);
	check_eq("other way still open", write(sv[1], "back", 4), 4);
	check_eq("and readable", read(sv[0], buf, 4), 4);
	close(sv[1]);
	check_errno("write to a closed peer: EPIPE", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	check_signaled("write to a closed peer: SIGPIPE", run_child(sigpipe_write, sv[0]), SIGPIPE);
	close(sv[0]);

	/* Buffer limits: a writer that does not block stops at EAGAIN. */
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	int small = 4096;
	check_ok("SO_SNDBUF", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)));
	int got = 0;
	len = sizeof(got);
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &got, &len);
	check_eq("SO_SNDBUF reads back doubled", got, 8192);
	static char chunk[1024];
	long total = 0, r;
	while ((r = write(sv[0], chunk, sizeof(chunk))) > 0 && total < (1 << 22))
		total += r;
	check("a full buffer answers EAGAIN", r < 0 && errno == EAGAIN, "r=%ld errno=%s total=%ld", r, errno_name(errno), total);
	struct pollfd pf = { sv[0], POLLOUT, 0 };
	check_eq("poll: a full socket is not writable", poll(&pf, 1, 0), 0);
	while (read(sv[1], chunk, sizeof(chunk)) > 0)
		;
	check_eq("poll: writable once drained", poll(&pf, 1, 0), 1);
	close(sv[0]);
	close(sv[1]);

	/* SO_SNDTIMEO: a blocking writer to a full socket gives up with EAGAIN. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	struct timeval stv = { 0, 20000 };
	check_ok("SO_SNDTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &stv, sizeof(stv)));
	total = 0;
	while ((r = write(sv[0], chunk, sizeof(chunk))) > 0 && total < (1 << 22))
		total += r;
	check("a full socket past SO_SNDTIMEO: EAGAIN", r < 0 && errno == EAGAIN, "r=%ld errno=%s", r, errno_name(errno));
	close(sv[0]);
	close(sv[1]);

	/* SO_RCVTIMEO: a receive that times out says EAGAIN. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct timeval tv = { 0, 20000 };
	check_ok("SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	check_errno("recv past SO_RCVTIMEO: EAGAIN", recv(sv[0], buf, 1, 0), EAGAIN);
	struct timeval back;
	len = sizeof(back);
	getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &back, &len);
	check("SO_RCVTIMEO reads back", back.tv_sec == 0 && back.tv_usec == 20000, "%ld.%06ld", back.tv_sec, back.tv_usec);
	tv.tv_usec = 2000000;
	check_errno("SO_RCVTIMEO usec 2e6: EDOM", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	check_errno("SO_RCVTIMEO short: EINVAL", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL);
	check_errno("unknown SOL_SOCKET option: ENOPROTOOPT", setsockopt(sv[0], SOL_SOCKET, 9999, &small, 4), ENOPROTOOPT);
	check_errno("SO_TYPE is read-only: ENOPROTOOPT", setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &small, 4), ENOPROTOOPT);
	check_errno("setsockopt optlen 2: EINVAL", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, 2), EINVAL);
	check_errno("getsockopt bad optlen pointer: EFAULT", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &got, (socklen_t *)8), EFAULT);
	int one = 1;
	check_ok("SO_REUSEADDR accepted", setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	len = 1;
	got = 0;
	check_ok("getsockopt with 1-byte room", getsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &got, &len));
	check_eq("... copies 1 byte", len, 1);
	close(sv[0]);
	close(sv[1]);
}

static void test_names(void)
{
	struct sockaddr_un a, b;
	socklen_t al = path_addr(&a, PATH1), bl;
	unlink(PATH1);
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	check_errno("listen unbound: EINVAL", listen(srv, 5), EINVAL);
	check_ok("bind a path", bind(srv, (struct sockaddr *)&a, al));
	struct stat st;
	check("the path is a socket file", stat(PATH1, &st) == 0 && S_ISSOCK(st.st_mode), "mode %o", st.st_mode);
	check_errno("open a socket file: ENXIO", open(PATH1, O_RDWR), ENXIO);
	check_errno("bind the same path twice: EADDRINUSE", bind(srv, (struct sockaddr *)&a, al), EADDRINUSE);
	bl = path_addr(&b, "/tmp/sgtest-unix-2.sock");
	unlink("/tmp/sgtest-unix-2.sock");
	check_errno("bind a bound socket elsewhere: EINVAL", bind(srv, (struct sockaddr *)&b, bl), EINVAL);
	unlink("/tmp/sgtest-unix-2.sock");
	int other = socket(AF_UNIX, SOCK_STREAM, 0);
	check_errno("bind a used path: EADDRINUSE", bind(other, (struct sockaddr *)&a, al), EADDRINUSE);
	int cl = socket(AF_UNIX, SOCK_STREAM, 0);
	check_errno("connect before listen: ECONNREFUSED", connect(cl, (struct sockaddr *)&a, al), ECONNREFUSED);
	check_ok("listen", listen(srv, 5));
	int on = 0;
	socklen_t len = sizeof(on);
	getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
	check_eq("SO_ACCEPTCONN", on, 1);
	check_ok("connect", connect(cl, (struct sockaddr *)&a, al));
	check_errno("connect again: EISCONN", connect(cl, (struct sockaddr *)&a, al), EISCONN);
	bl = sizeof(b);
	int conn = accept(srv, (struct sockaddr *)&b, &bl);
	check_ok("accept", conn);
	check_eq("accept: an unbound client's address is the family alone", bl, 2);
	bl = sizeof(b);
	check_ok("getsockname", getsockname(srv, (struct sockaddr *)&b, &bl));
	check("getsockname gives the path", bl == al && !strcmp(b.sun_path, PATH1), "len %u path %s", bl, b.sun_path);
	bl = sizeof(b);
	check_ok("getpeername of the client", getpeername(cl, (struct sockaddr *)&b, &bl));
	check("... is the server's path", bl == al && !strcmp(b.sun_path, PATH1), "len %u", bl);
	bl = 4;
	getsockname(srv, (struct sockaddr *)&b, &bl);
	check_eq("a short buffer still learns the whole length", bl, al);
	check_errno("getpeername unconnected: ENOTCONN", getpeername(other, (struct sockaddr *)&b, &bl), ENOTCONN);
	check_errno("accept on a connected socket: EINVAL", accept(cl, NULL, NULL), EINVAL);
	check_errno("connect on a listener: EINVAL", connect(srv, (struct sockaddr *)&a, al), EINVAL);
	char buf[8];
	check_errno("read an unconnected stream socket: EINVAL", read(other, buf, 1), EINVAL);
	check_errno("send unconnected: ENOTCONN", send(other, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	check_eq("data flows client to server", write(cl, "ping", 4), 4);
	check_eq("server reads it", read(conn, buf, sizeof(buf)), 4);
	close(conn);
	close(cl);
	close(srv);
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	check_errno("connect after the server closed: ECONNREFUSED", connect(cl, (struct sockaddr *)&a, al), ECONNREFUSED);
	int fd = open("/tmp/sgtest-unix.file", O_CREAT | O_RDWR, 0600);
	close(fd);
	bl = path_addr(&b, "/tmp/sgtest-unix.file");
	check_errno("connect to a regular file: ECONNREFUSED", connect(cl, (struct sockaddr *)&b, bl), ECONNREFUSED);
	bl = path_addr(&b, "/tmp/sgtest-no-such-dir/x");
	check_errno("connect to a missing path: ENOENT", connect(cl, (struct sockaddr *)&b, bl), ENOENT);
	check_errno("bind in a missing directory: ENOENT", bind(cl, (struct sockaddr *)&b, bl), ENOENT);
	unlink("/tmp/sgtest-unix.file");
	int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
	unlink(PATH1);
	bind(dg, (struct sockaddr *)&a, al);
	check_errno("stream connect to a datagram path: EPROTOTYPE", connect(cl, (struct sockaddr *)&a, al), EPROTOTYPE);
	check_errno("listen on a datagram socket: EOPNOTSUPP", listen(dg, 1), EOPNOTSUPP);
	check_errno("accept on a datagram socket: EOPNOTSUPP", accept(dg, NULL, NULL), EOPNOTSUPP);
	close(dg);
	close(cl);
	close(other);
	unlink(PATH1);

	/* Abstract names: no file, and a backlog of 0 takes one connection. */
	al = abstract_addr(&a, "sgtest-abstract");
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	check_ok("bind an abstract name", bind(srv, (struct sockaddr *)&a, al));
	bl = sizeof(b);
	getsockname(srv, (struct sockaddr *)&b, &bl);
	check("getsockname: the abstract name and its length", bl == al && !memcmp(&a, &b, al), "len %u", bl);
	other = socket(AF_UNIX, SOCK_STREAM, 0);
	check_errno("the same abstract name: EADDRINUSE", bind(other, (struct sockaddr *)&a, al), EADDRINUSE);
	close(other);
	listen(srv, 0);
	int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0), c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	check_ok("backlog 0: one connection waits", connect(c1, (struct sockaddr *)&a, al));
	check_errno("backlog 0: the next, non-blocking: EAGAIN", connect(c2, (struct sockaddr *)&a, al), EAGAIN);
	struct pollfd pf = { srv, POLLIN, 0 };
	check_eq("poll: a listener with a connection is readable", poll(&pf, 1, 0), 1);
	conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	check_eq("accept4 SOCK_CLOEXEC", fcntl(conn, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	check_errno("accept4 bad flags: EINVAL", accept4(srv, NULL, NULL, 0x1), EINVAL);
	fcntl(srv, F_SETFL, O_NONBLOCK);
	check_errno("non-blocking accept, none waiting: EAGAIN", accept(srv, NULL, NULL), EAGAIN);
	close(conn);
	close(c1);
	close(c2);
	close(srv);
	al = abstract_addr(&a, "sgtest-nobody");
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	check_errno("connect to an unbound abstract name: ECONNREFUSED", connect(cl, (struct sockaddr *)&a, al), ECONNREFUSED);
	/* bind with only the family: an automatic abstract name */
	check_ok("autobind", bind(cl, (struct sockaddr *)&a, 2));
	bl = sizeof(b);
	getsockname(cl, (struct sockaddr *)&b, &bl);
	check("autobind gives \"\\0\" and five hex digits", bl == 8 && b.sun_path[0] == 0, "len %u", bl);
	close(cl);
}

static void test_dgram(void)
{
	struct sockaddr_un a, b, from;
	socklen_t al = abstract_addr(&a, "sgtest-dgram-a"), bl = abstract_addr(&b, "sgtest-dgram-b"), fl;
	int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(x, (struct sockaddr *)&a, al);
	bind(y, (struct sockaddr *)&b, bl);
	char buf[64];
	check_errno("send without a destination: ENOTCONN", send(y, "x", 1, 0), ENOTCONN);
	check_eq("sendto a name", sendto(y, "one", 3, 0, (struct sockaddr *)&a, al), 3);
	check_eq("sendto again", sendto(y, "two!", 4, 0, (struct sockaddr *)&a, al), 4);
	fl = sizeof(from);
	check_eq("recvfrom takes one message", recvfrom(x, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl), 3);
	check("recvfrom gives the sender's name", fl == bl && !memcmp(&from, &b, bl), "len %u", fl);
	check_eq("a short buffer cuts the message", recv(x, buf, 2, 0), 2);
	check_errno("the rest of it is gone", recv(x, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	sendto(y, "three", 5, 0, (struct sockaddr *)&a, al);
	check_eq("MSG_TRUNC returns the real length", recv(x, buf, 1, MSG_TRUNC), 5);
	check_errno("MSG_OOB on a datagram: EOPNOTSUPP", send(y, "x", 1, MSG_OOB), EOPNOTSUPP);
	int sndbuf = 0;
	socklen_t len = sizeof(sndbuf);
	getsockopt(y, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
	char *big = calloc(1, (size_t)sndbuf);
	check_errno("a datagram larger than SO_SNDBUF: EMSGSIZE", sendto(y, big, (size_t)sndbuf, 0, (struct sockaddr *)&a, al), EMSGSIZE);
	free(big);
	check_ok("connect a datagram socket", connect(y, (struct sockaddr *)&a, al));
	check_eq("send to the connected peer", send(y, "hi", 2, 0), 2);
	check_eq("received", recv(x, buf, sizeof(buf), 0), 2);
	/* The receiver's queue holds a bounded number of messages. */
	int z = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int sent = 0;
	while (sent < 10000 && sendto(z, "q", 1, 0, (struct sockaddr *)&a, al) == 1)
		sent++;
	check("a full receiver: EAGAIN", sent < 10000 && errno == EAGAIN, "sent %d errno %s", sent, errno_name(errno));
	close(x);
	check_errno("send to a closed peer: ECONNREFUSED", send(y, "x", 1, 0), ECONNREFUSED);
	check_errno("... which also disconnected us: ENOTCONN", send(y, "x", 1, 0), ENOTCONN);
	close(y);
	close(z);

	int sv[2];
	check_ok("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	send(sv[0], "abc", 3, 0);
	send(sv[0], "defg", 4, 0);
	struct iovec iov = { buf, 2 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	check_eq("seqpacket: one record, cut", recvmsg(sv[1], &mh, 0), 2);
	check("recvmsg sets MSG_TRUNC", mh.msg_flags & MSG_TRUNC, "flags %#x", mh.msg_flags);
	iov.iov_len = sizeof(buf);
	check_eq("seqpacket: the next record whole", recvmsg(sv[1], &mh, 0), 4);
	close(sv[0]);
	check_eq("seqpacket: end of file after the peer closed", recv(sv[1], buf, sizeof(buf), 0), 0);
	check_errno("seqpacket: send to a closed peer: EPIPE", send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE);
	close(sv[1]);
	int sq = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	check_errno("seqpacket send unconnected: ENOTCONN", send(sq, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	check_errno("seqpacket recv unconnected: ENOTCONN", recv(sq, buf, 1, 0), ENOTCONN);
	close(sq);
}

/* Send fds (n of them) with one byte. */
static long send_fds(int sock, const int *fds, int n, size_t cmsg_len_lie)
{
	static union {
		char buf[CMSG_SPACE(sizeof(int) * 300)];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = { "F", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = cmsg_len_lie ? cmsg_len_lie : CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	return sendmsg(sock, &mh, 0);
}

/* Receive one byte and up to `room` fds; returns how many came, -1 on error. */
static int recv_fds(int sock, int *fds, int room, int *flags)
{
	static union {
		char buf[CMSG_SPACE(sizeof(int) * 300)];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = room ? CMSG_SPACE(sizeof(int) * (size_t)room) : 0 };
	if (recvmsg(sock, &mh, 0) < 0)
		return -1;
	*flags = mh.msg_flags;
	int n = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)n);
		}
	return n;
}

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

/* --- a server and 50 clients through epoll ------------------------------------------------------- */

#define CLIENTS 50

static void client(long n)
{
	struct sockaddr_un a;
	socklen_t al = abstract_addr(&a, "sgtest-server");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&a, al) < 0)
		_exit(1);
	char msg[16] = "client ", reply[16];
	msg[7] = (char)('0' + n / 10);
	msg[8] = (char)('0' + n % 10);
	if (write(fd, msg, 9) != 9)
		_exit(2);
	if (read(fd, reply, sizeof(reply)) != 9 || reply[0] != 'C' || memcmp(reply + 1, msg + 1, 8))
		_exit(3);
	_exit(0);
}

static void test_server(void)
{
	struct sockaddr_un a;
	socklen_t al = abstract_addr(&a, "sgtest-server");
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	bind(srv, (struct sockaddr *)&a, al);
	check_ok("listen with backlog 64", listen(srv, 64));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = srv };
	epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev);
	pid_t pids[CLIENTS];
	for (int i = 0; i < CLIENTS; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0)
			client(i);
	}
	int answered = 0, accepted = 0, spins = 0;
	while (answered < CLIENTS && spins++ < 10000) {
		struct epoll_event out[16];
		int n = epoll_wait(ep, out, 16, 5000);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			int fd = out[i].data.fd;
			if (fd == srv) {
				int c;
				while ((c = accept4(srv, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
					accepted++;
				}
				continue;
			}
			char buf[16];
			long r = read(fd, buf, sizeof(buf));
			if (r > 0) {
				buf[0] = 'C';
				write(fd, buf, (size_t)r);
				answered++;
			}
			epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
			close(fd);
		}
	}
	check_eq("the server accepted 50 clients", accepted, CLIENTS);
	check_eq("and answered 50", answered, CLIENTS);
	int ok = 0;
	for (int i = 0; i < CLIENTS; i++)
		ok += t_wait(pids[i], T_WAIT_TICKS) == 0;
	check_eq("50 clients got their answers", ok, CLIENTS);
	close(ep);
	close(srv);
}

/* --- hostile arguments ------------------------------------------------------------------------------ */

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

int main(void)
{
	t_begin("unix");
	signal(SIGPIPE, SIG_DFL);
	t_group("create", test_create);
	t_group("stream pair", test_stream_pair);
	t_group("names", test_names);
	t_group("datagrams", test_dgram);
	t_group("SCM", test_scm);
	t_group("server", test_server);
	t_group("more", test_more);
	t_group("hostile", test_hostile);
	test_cycle();
	return t_end();
}
