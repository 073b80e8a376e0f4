/* C library: Linux's <linux/connector.h> names (course section: netlink sockets).
 * The definitions are in <abi/netlink.h>. */
#ifndef LIBC_LINUX_CONNECTOR_H
#define LIBC_LINUX_CONNECTOR_H

#include <sys/socket.h>
#include <abi/netlink.h>

#endif
