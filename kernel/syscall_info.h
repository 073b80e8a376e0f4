/* Names and argument kinds of every syscall, for tracing (course section: observability). */
#ifndef KERNEL_SYSCALL_INFO_H
#define KERNEL_SYSCALL_INFO_H

#include "kernel/types.h"
#include "syscall_nr.h"

enum arg_kind {
	ARG_INT,     /* signed decimal */
	ARG_UINT,    /* unsigned decimal */
	ARG_HEX,     /* flags */
	ARG_OCT,     /* modes */
	ARG_FD,      /* a file descriptor */
	ARG_STR,     /* a NUL-terminated user string */
	ARG_BUF_IN,  /* user bytes going in; length in the next argument */
	ARG_BUF_OUT, /* user bytes coming out; length in the next argument or the result */
	ARG_PTR,     /* any other user pointer */
};

struct syscall_arg {
	const char *name;
	enum arg_kind kind;
};

struct syscall_info {
	const char *name;
	int nargs;
	struct syscall_arg args[6];
};

/* Generated from kernel/syscalls.tbl (build/gen/syscall_info.c). */
extern const struct syscall_info syscall_info[NR_SYSCALLS];

#endif
