/* Linux netlink, the kernel connector and process events: message layouts
 * and numbers (course section: netlink sockets). Shared by kernel and libc. */
#ifndef ABI_NETLINK_H
#define ABI_NETLINK_H

#include <stdint.h>

/* Netlink protocols (socket's third argument) sysgate knows. */
#define NETLINK_ROUTE 0
#define NETLINK_CONNECTOR 11
#define NETLINK_KOBJECT_UEVENT 15
#define MAX_LINKS 32

/* Options at level SOL_NETLINK. */
#define SOL_NETLINK 270
#define NETLINK_ADD_MEMBERSHIP 1
#define NETLINK_DROP_MEMBERSHIP 2
#define NETLINK_NO_ENOBUFS 5

struct sockaddr_nl {
	uint16_t nl_family; /* AF_NETLINK */
	uint16_t nl_pad;
	uint32_t nl_pid;    /* port id: 0 is the kernel */
	uint32_t nl_groups; /* multicast groups, one bit each (group g is bit g-1) */
};

/* Every netlink message starts with this header, 4-byte aligned. */
struct nlmsghdr {
	uint32_t nlmsg_len; /* header included */
	uint16_t nlmsg_type;
	uint16_t nlmsg_flags;
	uint32_t nlmsg_seq;
	uint32_t nlmsg_pid;
};

#define NLM_F_REQUEST 0x1
#define NLM_F_MULTI 0x2
#define NLM_F_ACK 0x4
#define NLM_F_ECHO 0x8
#define NLM_F_CAPPED 0x100 /* an error reply without the request's payload */

#define NLMSG_NOOP 0x1
#define NLMSG_ERROR 0x2
#define NLMSG_DONE 0x3
#define NLMSG_OVERRUN 0x4
#define NLMSG_MIN_TYPE 0x10 /* types below are the control messages above */

#define NLMSG_ALIGNTO 4u
#define NLMSG_ALIGN(len) (((len) + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1))
#define NLMSG_HDRLEN ((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(len) ((len) + NLMSG_HDRLEN)
#define NLMSG_SPACE(len) NLMSG_ALIGN(NLMSG_LENGTH(len))
#define NLMSG_DATA(nlh) ((void *)(((char *)(nlh)) + NLMSG_HDRLEN))
#define NLMSG_NEXT(nlh, len) \
	((len) -= NLMSG_ALIGN((nlh)->nlmsg_len), (struct nlmsghdr *)(((char *)(nlh)) + NLMSG_ALIGN((nlh)->nlmsg_len)))
#define NLMSG_OK(nlh, len) \
	((len) >= (int)sizeof(struct nlmsghdr) && (nlh)->nlmsg_len >= sizeof(struct nlmsghdr) && (nlh)->nlmsg_len <= (len))

/* The payload of an NLMSG_ERROR message: the errno (negative; 0 is an
 * acknowledgement) and the header of the request it answers. */
struct nlmsgerr {
	int error;
	struct nlmsghdr msg;
};

/* --- the connector (NETLINK_CONNECTOR) ------------------------------------ */

struct cb_id {
	uint32_t idx;
	uint32_t val;
};

struct cn_msg {
	struct cb_id id;
	uint32_t seq;
	uint32_t ack;
	uint16_t len; /* of data */
	uint16_t flags;
	uint8_t data[];
};

#define CN_IDX_PROC 0x1 /* the process-events connector, and its multicast group */
#define CN_VAL_PROC 0x1

/* What a listener sends (as the cn_msg's data) to start or stop. */
enum proc_cn_mcast_op {
	PROC_CN_MCAST_LISTEN = 1,
	PROC_CN_MCAST_IGNORE = 2,
};

#define PROC_EVENT_NONE 0x00000000u /* an acknowledgement of LISTEN/IGNORE */
#define PROC_EVENT_FORK 0x00000001u
#define PROC_EVENT_EXEC 0x00000002u
#define PROC_EVENT_UID 0x00000004u
#define PROC_EVENT_GID 0x00000040u
#define PROC_EVENT_SID 0x00000080u
#define PROC_EVENT_COMM 0x00000200u
#define PROC_EVENT_EXIT 0x80000000u

struct proc_event {
	uint32_t what;
	uint32_t cpu;
	uint64_t __attribute__((aligned(8))) timestamp_ns;
	union {
		struct { uint32_t err; } ack;
		struct { int32_t parent_pid, parent_tgid, child_pid, child_tgid; } fork;
		struct { int32_t process_pid, process_tgid; } exec;
		/* UID: r.ruid and e.euid; GID: r.rgid and e.egid (Linux's unions) */
		struct { int32_t process_pid, process_tgid; union { uint32_t ruid, rgid; } r;
			 union { uint32_t euid, egid; } e; } id;
		struct { int32_t process_pid, process_tgid; uint32_t exit_code, exit_signal;
			 int32_t parent_pid, parent_tgid; } exit;
		struct { int32_t process_pid, process_tgid; char comm[16]; } comm;
	} event_data;
};

#endif
