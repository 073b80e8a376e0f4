/* Netlink: messages between the kernel and programs (course section:
 * netlink sockets). What kernel code calls to send. */
#ifndef KERNEL_NET_NETLINK_H
#define KERNEL_NET_NETLINK_H

#include "kernel/types.h"

struct netlink_sock;

/* Send a copy of the message to every socket of `protocol` that joined
 * multicast group `group` (1-based), except those filter says no to
 * (filter may be NULL). A socket whose receive buffer is full loses it and
 * learns so (ENOBUFS). */
void netlink_broadcast(int protocol, unsigned group, const void *data, size_t len,
		       bool (*filter)(struct netlink_sock *nl));
/* Send to one socket (a reply to its request). */
void netlink_unicast(struct netlink_sock *nl, const void *data, size_t len);
/* The calling socket's port id, as the replies to it carry. */
uint32_t netlink_portid(const struct netlink_sock *nl);
/* Whether there is any socket in the group (to skip building a message). */
bool netlink_has_listeners(int protocol, unsigned group);

/* Requests sent to the kernel (nl_pid 0), per protocol. */
void netlink_route_input(struct netlink_sock *from, const void *data, size_t len);
void cn_input(struct netlink_sock *from, const void *data, size_t len);
/* The connector's per-socket state: the socket is closing. */
void cn_proc_socket_closed(struct netlink_sock *nl);
int *netlink_cn_proc_op(struct netlink_sock *nl);

#endif
