/* The types syscall prototypes use (course section: the syscall gate). */
#ifndef KERNEL_SYSCALL_TYPES_H
#define KERNEL_SYSCALL_TYPES_H

#include "kernel/types.h"
#include "libc/include/abi/signal.h"
#include "libc/include/abi/socket.h"

#endif
