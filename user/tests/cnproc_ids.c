/*
 * cnproc_ids: the process-events connector's PROC_EVENT_UID and
 * PROC_EVENT_GID (course section: netlink sockets).
 *
 * When a process's user or group ids change (setgid, setresuid...), a
 * listener on the connector hears it: event_data.id carries the pid and
 * the new real (r.ruid / r.rgid) and effective (e.euid / e.egid) ids.
 * A call that changes nothing sends nothing. Hostile cases: malformed
 * connector requests (short, a wrong length, another service's id) are
 * ignored and the listener still works. Needs root on Linux.
 */
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "testlib.h"

struct cn_req {
	struct nlmsghdr h;
	struct cn_msg cn;
	uint32_t op;
} __attribute__((packed));

static long send_req(int fd, uint32_t op, uint32_t cn_len, uint32_t idx, size_t len)
{
	struct cn_req r;
	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = (uint32_t)len;
	r.h.nlmsg_type = NLMSG_DONE;
	r.h.nlmsg_pid = (uint32_t)getpid();
	r.cn.id.idx = idx;
	r.cn.id.val = CN_VAL_PROC;
	r.cn.len = cn_len;
	r.op = op;
	return send(fd, &r, len, 0);
}

/* The next event about pid (or the LISTEN acknowledgement if pid is 0); 0 if none came. */
static uint32_t next_event(int fd, pid_t pid, struct proc_event *out)
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
		memcpy(out, cn->data, sizeof(*out));
		if (!pid)
			return out->what ? out->what : 0xffffffffu;
		if (out->what != PROC_EVENT_FORK && out->event_data.id.process_pid == pid)
			return out->what;
	}
	return 0;
}

static int listener(void)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	struct timeval tv = { 5, 0 }; /* a lost event fails the case, not the run */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	connect(fd, (struct sockaddr *)&kernel, sizeof(kernel));
	/* hostile requests first: each is ignored */
	send_req(fd, PROC_CN_MCAST_LISTEN, 4, CN_IDX_PROC, 10);
	send_req(fd, PROC_CN_MCAST_LISTEN, 400, CN_IDX_PROC, sizeof(struct cn_req));
	send_req(fd, PROC_CN_MCAST_LISTEN, 4, 77, sizeof(struct cn_req));
	send_req(fd, PROC_CN_MCAST_LISTEN, 4, CN_IDX_PROC, sizeof(struct cn_req));
	struct proc_event ev;
	uint32_t what;
	do
		what = next_event(fd, 0, &ev);
	while (what && what != 0xffffffffu);
	if (what != 0xffffffffu) {
		close(fd);
		return -1;
	}
	return fd;
}

static void id_events(void)
{
	if (!on_sysgate() && geteuid() != 0) {
		t_skip("id events", "Linux lets only root listen (CAP_NET_ADMIN)");
		return;
	}
	int fd = listener();
	if (fd < 0) {
		if (on_sysgate())
			t_fail("id events", "LISTEN not acknowledged after malformed requests");
		else
			t_skip("id events", "no acknowledgement: not in Linux's initial namespaces?");
		return;
	}
	t_pass("malformed requests are ignored; LISTEN still acknowledged");
	pid_t child = t_fork();
	if (child == 0) {
		setgid(0); /* no change: no event */
		if (setresgid(4321, 4322, -1) < 0 || setresuid(-1, 1234, -1) < 0)
			_exit(1);
		_exit(0);
	}
	check_exited("the child changed its ids", t_wait(child, T_WAIT_TICKS), 0);
	struct proc_event ev;
	uint32_t what;
	bool gid_seen = false, uid_seen = false;
	while (!uid_seen && (what = next_event(fd, child, &ev)) != 0 && what != PROC_EVENT_EXIT) {
		if (what == PROC_EVENT_GID) {
			check("only one GID event (setgid(0) changed nothing)", !gid_seen, "a second one");
			gid_seen = true;
			check_eq("GID: r.rgid", ev.event_data.id.r.rgid, 4321);
			check_eq("GID: e.egid", ev.event_data.id.e.egid, 4322);
			check_eq("GID: the process's tgid", ev.event_data.id.process_tgid, child);
		} else if (what == PROC_EVENT_UID) {
			uid_seen = true;
			check_eq("UID: r.ruid (unchanged, 0)", ev.event_data.id.r.ruid, 0);
			check_eq("UID: e.euid", ev.event_data.id.e.euid, 1234);
		}
	}
	check("PROC_EVENT_GID for setresgid", gid_seen, "not seen");
	check("PROC_EVENT_UID for setresuid", uid_seen, "not seen");
	send_req(fd, PROC_CN_MCAST_IGNORE, 4, CN_IDX_PROC, sizeof(struct cn_req));
	close(fd);
}

int main(void)
{
	t_begin("cnproc_ids");
	t_group("id events", id_events);
	return t_end();
}
