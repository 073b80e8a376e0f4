/* C library: Linux's <linux/cn_proc.h> names (course section: netlink sockets).
 * The definitions are in <abi/netlink.h>. */
#ifndef LIBC_LINUX_CN_PROC_H
#define LIBC_LINUX_CN_PROC_H

#include <sys/socket.h>
#include <abi/netlink.h>

#endif
