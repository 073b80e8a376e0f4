/* C library: Linux's <linux/netlink.h> names (course section: netlink sockets).
 * The definitions are in <abi/netlink.h>. */
#ifndef LIBC_LINUX_NETLINK_H
#define LIBC_LINUX_NETLINK_H

#include <sys/socket.h>
#include <abi/netlink.h>

#endif
