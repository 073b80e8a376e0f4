/*
 * The kernel connector and its process events (course section: netlink
 * sockets).
 *
 * NETLINK_CONNECTOR is netlink for small kernel services: every message
 * carries a struct cn_msg whose id says which service it is for. The
 * process-events service (CN_IDX_PROC) tells a listener about every
 * fork, exec, change of name (prctl PR_SET_NAME), change of user or group
 * ids (setuid, setgid..., a set-user-ID exec) and exit in the system, with the
 * exit status -- what `ps`-watching tools, process accounting and
 * init systems use instead of polling /proc.
 *
 * A listener binds to multicast group CN_IDX_PROC and sends the kernel
 * PROC_CN_MCAST_LISTEN; the kernel answers with a PROC_EVENT_NONE
 * acknowledgement and from then on multicasts a struct proc_event per
 * event. Nothing is built while nobody listens.
 */
#include "kernel/net/cn_proc.h"
#include "kernel/cred/cred.h"
#include "drivers/timer.h"
#include "kernel/net/netlink.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/netlink.h"
#include "libc/include/abi/signal.h"
#include "libc/include/string.h"

static int listeners; /* sockets that said LISTEN */
static uint32_t event_seq;

/* One message: nlmsghdr, cn_msg, proc_event, as Linux lays them out. */
struct proc_msg {
	struct nlmsghdr nlh;
	struct cn_msg cn;
	struct proc_event ev;
} __attribute__((packed, aligned(4)));

static bool not_ignoring(struct netlink_sock *nl)
{
	return *netlink_cn_proc_op(nl) != PROC_CN_MCAST_IGNORE;
}

static void send_event(struct proc_msg *m, uint32_t seq, uint32_t ack)
{
	m->nlh.nlmsg_len = sizeof(*m);
	m->nlh.nlmsg_type = NLMSG_DONE;
	m->nlh.nlmsg_seq = seq;
	m->cn.id = (struct cb_id){ CN_IDX_PROC, CN_VAL_PROC };
	m->cn.seq = seq;
	m->cn.ack = ack;
	m->cn.len = sizeof(struct proc_event);
	m->ev.timestamp_ns = clock_monotonic_ns();
	netlink_broadcast(NETLINK_CONNECTOR, CN_IDX_PROC, m, sizeof(*m), not_ignoring);
}

static bool build(struct proc_msg *m, uint32_t what)
{
	if (listeners < 1)
		return false;
	memset(m, 0, sizeof(*m));
	m->ev.what = what;
	return true;
}

void cn_proc_fork(struct task *parent, struct task *child)
{
	struct proc_msg m;
	if (!build(&m, PROC_EVENT_FORK))
		return;
	m.ev.event_data.fork.parent_pid = m.ev.event_data.fork.parent_tgid = parent->pid;
	m.ev.event_data.fork.child_pid = m.ev.event_data.fork.child_tgid = child->pid;
	send_event(&m, event_seq++, 0);
}

void cn_proc_exec(struct task *t)
{
	struct proc_msg m;
	if (!build(&m, PROC_EVENT_EXEC))
		return;
	m.ev.event_data.exec.process_pid = m.ev.event_data.exec.process_tgid = t->pid;
	send_event(&m, event_seq++, 0);
}

void cn_proc_comm(struct task *t)
{
	struct proc_msg m;
	if (!build(&m, PROC_EVENT_COMM))
		return;
	m.ev.event_data.comm.process_pid = m.ev.event_data.comm.process_tgid = t->pid;
	memcpy(m.ev.event_data.comm.comm, t->name, sizeof(m.ev.event_data.comm.comm));
	send_event(&m, event_seq++, 0);
}

void cn_proc_exit(struct task *t)
{
	struct proc_msg m;
	if (!build(&m, PROC_EVENT_EXIT))
		return;
	m.ev.event_data.exit.process_pid = m.ev.event_data.exit.process_tgid = t->pid;
	m.ev.event_data.exit.exit_code = (uint32_t)t->exit_status; /* the wait status */
	m.ev.event_data.exit.exit_signal = SIGCHLD;
	pid_t ppid = t->parent ? t->parent->pid : 0;
	m.ev.event_data.exit.parent_pid = m.ev.event_data.exit.parent_tgid = ppid;
	send_event(&m, event_seq++, 0);
}

static void send_id_event(struct task *t, uint32_t what, uint32_t real, uint32_t effective)
{
	struct proc_msg m;
	if (!build(&m, what))
		return;
	m.ev.event_data.id.process_pid = t->pid;
	m.ev.event_data.id.process_tgid = task_tgid(t);
	m.ev.event_data.id.r.ruid = real;
	m.ev.event_data.id.e.euid = effective;
	send_event(&m, event_seq++, 0);
}

/* Linux counts any of the four ids (real, effective, saved, filesystem). */
void cn_proc_ids_changed(struct task *t, const struct cred *old, const struct cred *new)
{
	if (listeners < 1 || !old || !new)
		return;
	if (old->uid != new->uid || old->euid != new->euid || old->suid != new->suid || old->fsuid != new->fsuid)
		send_id_event(t, PROC_EVENT_UID, new->uid, new->euid);
	if (old->gid != new->gid || old->egid != new->egid || old->sgid != new->sgid || old->fsgid != new->fsgid)
		send_id_event(t, PROC_EVENT_GID, new->gid, new->egid);
}

void cn_proc_socket_closed(struct netlink_sock *nl)
{
	int *op = netlink_cn_proc_op(nl);
	if (*op == PROC_CN_MCAST_LISTEN)
		listeners--;
	*op = 0;
}

/* LISTEN or IGNORE from one socket, acknowledged to the group. */
static void mcast_ctl(struct netlink_sock *from, const struct cn_msg *req, uint32_t op)
{
	int *state = netlink_cn_proc_op(from);
	int err = 0;
	if (sys_geteuid() != 0)
		err = EPERM; /* Linux wants CAP_NET_ADMIN to listen */
	else if (op == PROC_CN_MCAST_LISTEN) {
		if (*state != PROC_CN_MCAST_LISTEN)
			listeners++;
	} else if (op == PROC_CN_MCAST_IGNORE) {
		if (*state == PROC_CN_MCAST_LISTEN)
			listeners--;
	} else {
		err = EINVAL;
	}
	if (!err)
		*state = (int)op;
	struct proc_msg m;
	if (!build(&m, PROC_EVENT_NONE))
		return;
	m.ev.cpu = (uint32_t)-1;
	m.ev.event_data.ack.err = (uint32_t)err;
	send_event(&m, req->seq, req->ack + 1);
}

void cn_input(struct netlink_sock *from, const void *data, size_t len)
{
	struct nlmsghdr h;
	struct cn_msg cn;
	if (len < sizeof(h) + sizeof(cn))
		return;
	memcpy(&h, data, sizeof(h));
	if (h.nlmsg_len < sizeof(h) + sizeof(cn) || h.nlmsg_len > len)
		return;
	memcpy(&cn, (const char *)data + sizeof(h), sizeof(cn));
	if (sizeof(h) + sizeof(cn) + cn.len > h.nlmsg_len)
		return;
	if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC || cn.len != sizeof(uint32_t))
		return;
	uint32_t op;
	memcpy(&op, (const char *)data + sizeof(h) + sizeof(cn), sizeof(op));
	mcast_ctl(from, &cn, op);
}
