/*
 * Netlink sockets (course section: netlink sockets): creating and binding,
 * requests to the kernel answered with NLMSG_ERROR, ENOBUFS for a reader
 * that falls behind, the process-events connector (fork, exec, comm, exit
 * with its status), uevents (a module and its device on sysgate; writing
 * "change" to a device's uevent file), and hostile arguments. On Linux the
 * connector and uevent cases need root (the host runs the suite as root).
 */
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "testlib.h"

static int nl_socket(int protocol, unsigned groups)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = groups };
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	struct timeval tv = { 5, 0 }; /* a lost event fails the case, not the run */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void test_create(void)
{
	check_errno("SOCK_STREAM: ESOCKTNOSUPPORT", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT);
	check_errno("protocol 31: EPROTONOSUPPORT", socket(AF_NETLINK, SOCK_RAW, 31), EPROTONOSUPPORT);
	check_errno("protocol 32: EPROTONOSUPPORT", socket(AF_NETLINK, SOCK_RAW, 32), EPROTONOSUPPORT);
	check_errno("protocol -1: EPROTONOSUPPORT", socket(AF_NETLINK, SOCK_RAW, -1), EPROTONOSUPPORT);
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	check_ok("socket NETLINK_ROUTE", fd);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	check_errno("bind addrlen 4: EINVAL", bind(fd, (struct sockaddr *)&a, 4), EINVAL);
	a.nl_family = AF_UNIX;
	check_errno("bind another family: EINVAL", bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	check_errno("bind a bad pointer: EFAULT", bind(fd, (struct sockaddr *)8, sizeof(a)), EFAULT);
	a.nl_family = AF_NETLINK;
	check_ok("bind port 0 (the kernel picks)", bind(fd, (struct sockaddr *)&a, sizeof(a)));
	struct sockaddr_nl got;
	socklen_t len = sizeof(got);
	check_ok("getsockname", getsockname(fd, (struct sockaddr *)&got, &len));
	check_eq("getsockname length", len, sizeof(got));
	check_eq("the first socket's port id is the pid", got.nl_pid, getpid());
	int fd2 = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	a.nl_pid = (unsigned)getpid();
	check_errno("bind a used port id: EADDRINUSE", bind(fd2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	check_errno("listen: EOPNOTSUPP", listen(fd, 1), EOPNOTSUPP);
	check_errno("accept: EOPNOTSUPP", accept(fd, NULL, NULL), EOPNOTSUPP);
	int v = 1;
	check_errno("NETLINK_ADD_MEMBERSHIP short: EINVAL", setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, 2), EINVAL);
	check_errno("unknown SOL_NETLINK option: ENOPROTOOPT", setsockopt(fd, SOL_NETLINK, 999, &v, sizeof(v)), ENOPROTOOPT);
	check_ok("NETLINK_NO_ENOBUFS", setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &v, sizeof(v)));
	v = 0;
	len = sizeof(v);
	getsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &v, &len);
	check_eq("NETLINK_NO_ENOBUFS reads back", v, 1);
	char buf[16];
	check_errno("recv with nothing, MSG_DONTWAIT: EAGAIN", recv(fd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(fd);
	close(fd2);
}

/* --- requests and NLMSG_ERROR ---------------------------------------------------------------------- */

static long send_request(int fd, uint16_t type, uint16_t flags, uint32_t seq, size_t payload)
{
	struct {
		struct nlmsghdr h;
		char data[64];
	} req;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(payload);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = flags;
	req.h.nlmsg_seq = seq;
	memset(req.data, 0xab, payload);
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	return sendto(fd, &req, NLMSG_ALIGN(req.h.nlmsg_len), 0, (struct sockaddr *)&kernel, sizeof(kernel));
}

static void test_errors(void)
{
	int fd = nl_socket(NETLINK_ROUTE, 0);
	union {
		char buf[256];
		struct nlmsghdr h;
	} u;
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	check_eq("send an unknown request type", send_request(fd, 0x7fff, NLM_F_REQUEST, 42, 4), 20);
	long n = recvfrom(fd, u.buf, sizeof(u.buf), 0, (struct sockaddr *)&from, &fl);
	struct nlmsgerr *e = NLMSG_DATA(&u.h);
	check("the answer is NLMSG_ERROR", n >= (long)NLMSG_LENGTH(sizeof(*e)) && u.h.nlmsg_type == NLMSG_ERROR,
	      "n %ld type %u", n, u.h.nlmsg_type);
	check_eq("... with -EOPNOTSUPP", e->error, -EOPNOTSUPP);
	check_eq("... the request's sequence number", u.h.nlmsg_seq, 42);
	check_eq("... the request's header echoed", e->msg.nlmsg_type, 0x7fff);
	check_eq("... and its payload: the whole length", u.h.nlmsg_len, NLMSG_LENGTH(sizeof(*e) + 4));
	check_eq("... addressed to our port", u.h.nlmsg_pid, getpid());
	check_eq("from the kernel: port 0", from.nl_pid, 0);
	check_eq("source address length", fl, sizeof(from));
	send_request(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 7, 0);
	n = recv(fd, u.buf, sizeof(u.buf), 0);
	check_eq("NLM_F_ACK: an NLMSG_ERROR with error 0", e->error, 0);
	check_eq("... capped (no payload echoed)", u.h.nlmsg_flags & NLM_F_CAPPED, NLM_F_CAPPED);
	check_eq("... its length", n, NLMSG_LENGTH(sizeof(*e)));
	send_request(fd, NLMSG_NOOP, NLM_F_REQUEST, 8, 0);
	check_errno("a control message without NLM_F_ACK: no answer", recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT), EAGAIN);
	/* a header whose length lies: dropped */
	struct nlmsghdr liar = { .nlmsg_len = 4000, .nlmsg_type = 0x7fff, .nlmsg_flags = NLM_F_REQUEST };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	check_eq("a lying nlmsg_len is sent", sendto(fd, &liar, sizeof(liar), 0, (struct sockaddr *)&kernel, sizeof(kernel)), 16);
	check_errno("... and ignored", recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT), EAGAIN);
	check_eq("a message shorter than a header is ignored", sendto(fd, &liar, 3, 0, (struct sockaddr *)&kernel, sizeof(kernel)), 3);
	check_errno("... no answer", recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT), EAGAIN);
	send_request(fd, 0x7fff, NLM_F_REQUEST, 9, 4);
	check_eq("MSG_TRUNC gives the whole size", recv(fd, u.buf, 4, MSG_TRUNC), NLMSG_LENGTH(sizeof(*e) + 4));

	/* A reader that never reads: the answers overflow its buffer. */
	int small = 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (int i = 0; i < 200; i++)
		send_request(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, (uint32_t)i, 0);
	int count = 0;
	long r = recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT);
	check_errno("an overflowing reader gets ENOBUFS first", r, ENOBUFS);
	while ((r = recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT)) > 0)
		count++;
	check("... then the messages that fitted", count > 0 && count < 200, "%d", count);
	check_errno("ENOBUFS is reported once", r, EAGAIN);
	int on = 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof(on));
	for (int i = 0; i < 200; i++)
		send_request(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, (uint32_t)i, 0);
	while ((r = recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT)) > 0)
		;
	check_errno("NETLINK_NO_ENOBUFS: no error, only drops", r, EAGAIN);
	/* hostile */
	check_errno("sendto a short netlink address: EINVAL", sendto(fd, &liar, 16, 0, (struct sockaddr *)&kernel, 4), EINVAL);
	check_errno("sendto a bad buffer: EFAULT", sendto(fd, (void *)8, 16, 0, (struct sockaddr *)&kernel, sizeof(kernel)), EFAULT);
	struct sockaddr_nl nobody = { .nl_family = AF_NETLINK, .nl_pid = 0x7ffffff0 };
	/* (Linux lets only root send to other programs' ports: EPERM first) */
	check_errno("sendto a port nobody has: ECONNREFUSED", sendto(fd, &liar, 16, 0, (struct sockaddr *)&nobody, sizeof(nobody)),
		    geteuid() == 0 ? ECONNREFUSED : EPERM);
	check_errno("recv into a bad buffer: EFAULT", (send_request(fd, 0x7fff, NLM_F_REQUEST, 1, 0), recv(fd, (void *)8, 64, 0)), EFAULT);
	close(fd);
}

/* --- process events --------------------------------------------------------------------------------- */

struct cn_req {
	struct nlmsghdr h;
	struct cn_msg cn;
	uint32_t op;
} __attribute__((packed));

static long cn_send_op(int fd, uint32_t op, uint32_t seq, uint32_t ack)
{
	struct cn_req r;
	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = sizeof(r);
	r.h.nlmsg_type = NLMSG_DONE;
	r.h.nlmsg_pid = (uint32_t)getpid();
	r.cn.id.idx = CN_IDX_PROC;
	r.cn.id.val = CN_VAL_PROC;
	r.cn.seq = seq;
	r.cn.ack = ack;
	r.cn.len = sizeof(uint32_t);
	r.op = op;
	return send(fd, &r, sizeof(r), 0);
}

/* The next event (skipping others' processes unless pid is 0); 0 if none came. */
static uint32_t next_event(int fd, pid_t pid, struct proc_event *out, struct cn_msg *cn_out)
{
	for (int tries = 0; tries < 100000; tries++) {
		union {
			char buf[512];
			struct nlmsghdr h;
		} u;
		long n = recv(fd, u.buf, sizeof(u.buf), 0);
		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n < (long)(NLMSG_HDRLEN + sizeof(struct cn_msg) + sizeof(struct proc_event)))
			return 0;
		struct cn_msg *cn = NLMSG_DATA(&u.h);
		struct proc_event ev;
		memcpy(&ev, cn->data, sizeof(ev));
		int32_t who = ev.what == PROC_EVENT_FORK ? ev.event_data.fork.child_pid : ev.event_data.exec.process_pid;
		if (pid && who != pid && !(ev.what == PROC_EVENT_FORK && ev.event_data.fork.parent_pid == pid))
			continue;
		*out = ev;
		if (cn_out)
			*cn_out = *cn;
		return ev.what ? ev.what : 0xffffffffu;
	}
	return 0;
}

static void test_proc_events(void)
{
	if (!on_sysgate() && geteuid() != 0) {
		t_skip("process events", "Linux lets only root listen (CAP_NET_ADMIN)");
		return;
	}
	int fd = nl_socket(NETLINK_CONNECTOR, CN_IDX_PROC);
	if (fd < 0) {
		t_skip("process events", "no connector here (%s)", errno_name(errno));
		return;
	}
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	connect(fd, (struct sockaddr *)&kernel, sizeof(kernel));
	check_eq("PROC_CN_MCAST_LISTEN sent", cn_send_op(fd, PROC_CN_MCAST_LISTEN, 5, 10), sizeof(struct cn_req));
	struct proc_event ev;
	struct cn_msg cn;
	uint32_t what;
	do
		what = next_event(fd, 0, &ev, &cn);
	while (what && what != 0xffffffffu);
	if (!what && !on_sysgate()) {
		/* Linux answers only in its initial namespaces: not in a container */
		t_skip("process events", "no acknowledgement: not in Linux's initial namespaces?");
		close(fd);
		return;
	}
	check("LISTEN is acknowledged (PROC_EVENT_NONE)", what == 0xffffffffu, "what %#x", what);
	check_eq("... error 0", ev.event_data.ack.err, 0);
	check_eq("... ack is ours + 1", cn.ack, 11);
	check_eq("... the connector's id", cn.id.idx, CN_IDX_PROC);

	pid_t child = t_fork();
	if (child == 0) {
		prctl(PR_SET_NAME, (unsigned long)"renamed-child", 0, 0, 0);
		char *argv[] = { (char *)t_self(), "exit3", NULL };
		execve(t_self(), argv, NULL);
		_exit(99);
	}
	int status = t_wait(child, T_WAIT_TICKS);
	check_exited("the child ran and exited 3", status, 3);
	bool fork_seen = false, exec_seen = false, comm_seen = false, exit_seen = false;
	while (!exit_seen && (what = next_event(fd, child, &ev, NULL)) != 0) {
		if (what == PROC_EVENT_FORK) {
			fork_seen = true;
			check_eq("FORK: the parent", ev.event_data.fork.parent_pid, getpid());
			check_eq("FORK: parent tgid", ev.event_data.fork.parent_tgid, getpid());
			check_eq("FORK: child tgid", ev.event_data.fork.child_tgid, child);
		} else if (what == PROC_EVENT_EXEC) {
			exec_seen = true;
		} else if (what == PROC_EVENT_COMM) {
			comm_seen = comm_seen || !strcmp(ev.event_data.comm.comm, "renamed-child");
		} else if (what == PROC_EVENT_EXIT) {
			exit_seen = true;
			check_eqx("EXIT: the exit code is the wait status", ev.event_data.exit.exit_code, 3 << 8);
			check_eq("EXIT: exit signal SIGCHLD", ev.event_data.exit.exit_signal, SIGCHLD);
			check_eq("EXIT: the parent", ev.event_data.exit.parent_pid, getpid());
		}
	}
	check("PROC_EVENT_FORK for the child", fork_seen, "not seen");
	check("PROC_EVENT_EXEC for the child", exec_seen, "not seen");
	check("PROC_EVENT_COMM for prctl(PR_SET_NAME) with the new name", comm_seen, "not seen");
	check("PROC_EVENT_EXIT for the child", exit_seen, "not seen");
	cn_send_op(fd, PROC_CN_MCAST_IGNORE, 6, 0);
	close(fd);
}

/* --- uevents ------------------------------------------------------------------------------------------ */

/* Read uevents until one starting with `head` (e.g. "add@/module/hello");
 * copies it (NULs as '|') into out. */
static int wait_uevent(int fd, const char *head, char *out, size_t size)
{
	for (int i = 0; i < 1000; i++) {
		char buf[2048];
		long n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n <= 0)
			return 0;
		if (strncmp(buf, head, strlen(head)) || buf[strlen(head)] != 0)
			continue;
		size_t k = 0;
		for (; k < (size_t)n && k < size - 1; k++)
			out[k] = buf[k] ? buf[k] : '|';
		out[k] = 0;
		return 1;
	}
	return 0;
}

static long finit_module(int fd, const char *params, int flags)
{
	return syscall(SYS_finit_module, fd, params, flags);
}

static void test_uevents(void)
{
	int fd = nl_socket(NETLINK_KOBJECT_UEVENT, 1);
	if (fd < 0) {
		t_skip("uevents", "no uevent socket here (%s)", errno_name(errno));
		return;
	}
	struct sockaddr_nl me;
	socklen_t len = sizeof(me);
	getsockname(fd, (struct sockaddr *)&me, &len);
	check_eq("bound to uevent group 1", me.nl_groups, 1);
	char ev[2048];
	/* Writing "change" to a device's uevent file makes the kernel announce it. */
	int u = open("/sys/class/mem/null/uevent", O_WRONLY);
	if (u < 0) {
		t_skip("uevent of writing change", "no /sys/class/mem/null/uevent (%s)", errno_name(errno));
	} else {
		check_eq("write change to /sys/class/mem/null/uevent", write(u, "change", 6), 6);
		close(u);
		int seen = wait_uevent(fd, "change@/devices/virtual/mem/null", ev, sizeof(ev));
		if (!seen && !on_sysgate()) {
			t_skip("uevents", "none arrived: Linux sends them to its initial network namespace only");
		} else {
			check("a change uevent for null", seen, "none");
			check("... ACTION, DEVPATH, SUBSYSTEM in Linux's order",
			      strstr(ev, "|ACTION=change|DEVPATH=/devices/virtual/mem/null|SUBSYSTEM=mem|") != NULL, "%s", ev);
			check("... SYNTH_UUID=0 (a synthetic event), MAJOR=1 MINOR=3 DEVNAME=null",
			      strstr(ev, "|SUBSYSTEM=mem|SYNTH_UUID=0|MAJOR=1|MINOR=3|DEVNAME=null|") != NULL, "%s", ev);
			check("... and SEQNUM", strstr(ev, "|SEQNUM=") != NULL, "%s", ev);
		}
		u = open("/sys/class/mem/null/uevent", O_WRONLY);
		check_errno("write garbage to uevent: EINVAL", write(u, "frobnicate", 10), EINVAL);
		close(u);
	}
	if (!on_sysgate()) {
		t_skip("uevents of insmod and rmmod", "sysgate's sample modules");
		close(fd);
		return;
	}
	int mod = open("/lib/modules/chardev.ko", O_RDONLY);
	check_ok("load chardev.ko", finit_module(mod, "", 0));
	close(mod);
	check("add@/module/chardev", wait_uevent(fd, "add@/module/chardev", ev, sizeof(ev)), "none");
	check("... SUBSYSTEM=module", strstr(ev, "|SUBSYSTEM=module|") != NULL, "%s", ev);
	check("add@/devices/virtual/misc/hello", wait_uevent(fd, "add@/devices/virtual/misc/hello", ev, sizeof(ev)), "none");
	check("... MAJOR=10 and DEVNAME=hello", strstr(ev, "|MAJOR=10|") && strstr(ev, "|DEVNAME=hello|"), "%s", ev);
	check_ok("unload chardev", syscall(SYS_delete_module, "chardev", O_NONBLOCK));
	check("remove@/devices/virtual/misc/hello", wait_uevent(fd, "remove@/devices/virtual/misc/hello", ev, sizeof(ev)), "none");
	check("remove@/module/chardev", wait_uevent(fd, "remove@/module/chardev", ev, sizeof(ev)), "none");
	close(fd);
}

static void leak_work(void)
{
	int fd = nl_socket(NETLINK_ROUTE, 0);
	for (int i = 0; i < 20; i++)
		send_request(fd, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, (uint32_t)i, 0);
	close(fd); /* with answers unread */
	fd = nl_socket(NETLINK_CONNECTOR, CN_IDX_PROC);
	cn_send_op(fd, PROC_CN_MCAST_LISTEN, 1, 0);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit3"))
		_exit(3);
	t_set_self(argv);
	t_begin("netlink");
	t_group("create", test_create);
	t_group("requests and errors", test_errors);
	t_group("process events", test_proc_events);
	t_group("uevents", test_uevents);
	t_leak_test("netlink sockets closed with messages queued: nothing lost", leak_work);
	return t_end();
}
