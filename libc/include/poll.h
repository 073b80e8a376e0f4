/*
 * C library: poll (course section: the C library on raw syscalls).
 */
#ifndef LIBC_POLL_H
#define LIBC_POLL_H

#include "abi/poll.h"

typedef unsigned long nfds_t;

#endif
