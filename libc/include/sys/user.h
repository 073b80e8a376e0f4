/* C library: the register structs ptrace reads (course section: syscall tracing). */
#ifndef LIBC_SYS_USER_H
#define LIBC_SYS_USER_H

#include <abi/ptrace.h>

#endif
