/* C library: AF_UNIX addresses (course section: sockets). struct
 * sockaddr_un is in <abi/socket.h>. */
#ifndef LIBC_SYS_UN_H
#define LIBC_SYS_UN_H

#include <sys/socket.h>

#endif
