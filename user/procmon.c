/*
 * procmon: a live log of every fork, exec and exit in the system, from the
 * kernel's process-events connector (course section: netlink sockets).
 *
 *   procmon &     then run anything: each process's life appears
 *   procmon -n 6  stop after six events
 *
 * It opens a NETLINK_CONNECTOR socket, joins the group CN_IDX_PROC, and
 * sends the kernel PROC_CN_MCAST_LISTEN (a struct cn_msg inside a netlink
 * message). From then on the kernel multicasts a struct proc_event for
 * each event; the exit event carries the status wait() would see.
 */
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_to_processes(void)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	struct sockaddr_nl me = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		return -1;
	struct {
		struct nlmsghdr h;
		struct cn_msg cn;
		uint32_t op;
	} __attribute__((packed)) req;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = NLMSG_DONE;
	req.h.nlmsg_pid = (uint32_t)getpid();
	req.cn.id.idx = CN_IDX_PROC;
	req.cn.id.val = CN_VAL_PROC;
	req.cn.len = sizeof(req.op);
	req.op = PROC_CN_MCAST_LISTEN;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -1;
	return fd;
}

/* Prints one event; returns 0 for the acknowledgement (not an event). */
static int print_event(const struct proc_event *ev)
{
	switch (ev->what) {
	case PROC_EVENT_FORK:
		printf("fork  parent %d -> child %d\n", ev->event_data.fork.parent_pid, ev->event_data.fork.child_pid);
		break;
	case PROC_EVENT_EXEC:
		printf("exec  pid %d\n", ev->event_data.exec.process_pid);
		break;
	case PROC_EVENT_COMM:
		printf("comm  pid %d is now \"%.16s\"\n", ev->event_data.comm.process_pid, ev->event_data.comm.comm);
		break;
	case PROC_EVENT_EXIT: {
		unsigned code = ev->event_data.exit.exit_code;
		if (code & 0x7f)
			printf("exit  pid %d killed by signal %u\n", ev->event_data.exit.process_pid, code & 0x7f);
		else
			printf("exit  pid %d status %u\n", ev->event_data.exit.process_pid, code >> 8);
		break;
	}
	case PROC_EVENT_NONE:
		printf("procmon: listening (the kernel acknowledged, error %u)\n", ev->event_data.ack.err);
		return 0;
	default:
		printf("event %#x\n", ev->what);
	}
	return 1;
}

int main(int argc, char **argv)
{
	long limit = argc > 2 && !strcmp(argv[1], "-n") ? atol(argv[2]) : -1;
	int fd = listen_to_processes();
	if (fd < 0) {
		perror("procmon: connector socket");
		return 1;
	}
	for (long seen = 0; limit < 0 || seen < limit;) {
		union {
			char buf[1024];
			struct nlmsghdr h;
		} u;
		long n = recv(fd, u.buf, sizeof(u.buf), 0);
		if (n < 0 && errno == ENOBUFS) {
			printf("procmon: events were lost (ENOBUFS)\n");
			continue;
		}
		if (n < (long)(NLMSG_HDRLEN + sizeof(struct cn_msg) + sizeof(struct proc_event))) {
			perror("procmon: recv");
			return 1;
		}
		struct cn_msg *cn = NLMSG_DATA(&u.h);
		struct proc_event ev;
		memcpy(&ev, cn->data, sizeof(ev));
		seen += print_event(&ev);
		fflush(stdout);
	}
	return 0;
}
