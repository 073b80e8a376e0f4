/*
 * AF_UNIX sockets (course section: sockets): every call's success and error
 * paths on stream, datagram and seqpacket sockets, names (path and
 * abstract), backlog, buffer limits and timeouts, and a server with 50
 * clients through epoll. unix2.c has the rest: SCM_RIGHTS and
 * SCM_CREDENTIALS, a cycle of sockets in flight freed, and hostile
 * arguments. Runs on Linux (the oracle) and on sysgate.
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
#include "unix_util.h"


#define PATH1 "/tmp/sgtest-unix.sock"

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

int main(void)
{
	t_begin("unix");
	signal(SIGPIPE, SIG_DFL);
	t_group("create", test_create);
	t_group("stream pair", test_stream_pair);
	t_group("names", test_names);
	t_group("datagrams", test_dgram);
	t_group("server", test_server);
	return t_end();
}
