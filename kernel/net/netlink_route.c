/*
 * Requests to the kernel over netlink, and NLMSG_ERROR (course section:
 * netlink sockets).
 *
 * A program sends the kernel (port 0) a buffer of netlink messages, each
 * starting with a struct nlmsghdr. The kernel walks them as Linux's
 * netlink_rcv_skb does: a message whose length lies ends the walk;
 * control types (below NLMSG_MIN_TYPE) and messages without NLM_F_REQUEST
 * are only acknowledged; every other message goes to the protocol. The
 * answer to a failed request -- and, with NLM_F_ACK, to a good one -- is
 * an NLMSG_ERROR message holding the errno (0 for success) and the
 * request's header: how a netlink program learns the result of each
 * request it sent.
 *
 * sysgate's NETLINK_ROUTE has no routes or links to show, so every
 * request type is EOPNOTSUPP -- which is also what Linux answers for a
 * type beyond RTM_MAX.
 */
#include "kernel/net/netlink.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/netlink.h"
#include "libc/include/string.h"
#include "mm/heap.h"

/* Reply to request h with NLMSG_ERROR: err and h's header, plus, for an
 * error, the request's payload (Linux's default, without NETLINK_CAP_ACK). */
static void netlink_ack(struct netlink_sock *to, const struct nlmsghdr *h, int err)
{
	size_t echo = err ? h->nlmsg_len : sizeof(*h);
	size_t payload = sizeof(struct nlmsgerr) - sizeof(*h) + echo;
	size_t len = NLMSG_LENGTH(payload);
	char *buf = kzalloc(NLMSG_ALIGN(len));
	if (!buf)
		return;
	struct nlmsghdr *r = (struct nlmsghdr *)buf;
	r->nlmsg_len = (uint32_t)len;
	r->nlmsg_type = NLMSG_ERROR;
	r->nlmsg_flags = err ? 0 : NLM_F_CAPPED;
	r->nlmsg_seq = h->nlmsg_seq;
	r->nlmsg_pid = netlink_portid(to);
	struct nlmsgerr *e = NLMSG_DATA(r);
	e->error = err;
	memcpy(&e->msg, h, echo);
	netlink_unicast(to, buf, NLMSG_ALIGN(len));
	kfree(buf);
}

static int route_request(const struct nlmsghdr *h)
{
	(void)h;
	return -EOPNOTSUPP;
}

void netlink_route_input(struct netlink_sock *from, const void *data, size_t len)
{
	const char *p = data;
	while (len >= (size_t)NLMSG_HDRLEN) {
		struct nlmsghdr h;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < (uint32_t)NLMSG_HDRLEN || len < h.nlmsg_len)
			return;
		int err = 0;
		if ((h.nlmsg_flags & NLM_F_REQUEST) && h.nlmsg_type >= NLMSG_MIN_TYPE)
			err = route_request(&h);
		if (err || (h.nlmsg_flags & NLM_F_ACK))
			netlink_ack(from, (const struct nlmsghdr *)p, err);
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
}
