/* syscalls:sys_enter_* and sys_exit_* (course section: syscall tracing). */
#ifndef KERNEL_TRACING_SYSCALL_EVENTS_H
#define KERNEL_TRACING_SYSCALL_EVENTS_H

#include "syscall_nr.h"

/* Generated from kernel/syscalls.tbl (build/gen/syscall_events.c). */
extern const char *const syscall_arg_decls[NR_SYSCALLS][6];

#endif
