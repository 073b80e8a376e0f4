/*
 * clone and clone3, Linux's x86_64 ABI (course section: kernel
 * architecture -- what a task is). Shared by the kernel and libc.
 *
 * Each CLONE_ flag says one thing the new task shares with its creator
 * instead of getting a copy, or one extra service of the call.
 */
#ifndef ABI_SCHED_H
#define ABI_SCHED_H

#include <stdint.h>

#define CSIGNAL 0x000000ff              /* clone: the signal sent to the parent at exit */
#define CLONE_VM 0x00000100             /* share the address space */
#define CLONE_FS 0x00000200             /* share cwd and umask */
#define CLONE_FILES 0x00000400          /* share the descriptor table */
#define CLONE_SIGHAND 0x00000800        /* share the signal actions */
#define CLONE_PIDFD 0x00001000          /* return a pidfd (not in sysgate) */
#define CLONE_PTRACE 0x00002000         /* a traced parent traces the child too */
#define CLONE_VFORK 0x00004000          /* the parent sleeps until the child execs or exits */
#define CLONE_PARENT 0x00008000         /* the child is the caller's sibling */
#define CLONE_THREAD 0x00010000         /* a thread of the caller's process */
#define CLONE_NEWNS 0x00020000          /* namespaces: not in sysgate */
#define CLONE_SYSVSEM 0x00040000        /* share System V semaphore undo lists */
#define CLONE_SETTLS 0x00080000         /* the child's %fs base is tls */
#define CLONE_PARENT_SETTID 0x00100000  /* write the child's tid at parent_tid */
#define CLONE_CHILD_CLEARTID 0x00200000 /* at the child's exit: zero child_tid, futex-wake it */
#define CLONE_DETACHED 0x00400000       /* ignored by clone; invalid for clone3 */
#define CLONE_UNTRACED 0x00800000       /* a tracer may not force CLONE_PTRACE */
#define CLONE_CHILD_SETTID 0x01000000   /* write the child's tid at child_tid, in its memory */
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000             /* share the I/O context */
#define CLONE_CLEAR_SIGHAND 0x100000000ULL /* clone3: handled signals back to SIG_DFL */
#define CLONE_INTO_CGROUP 0x200000000ULL   /* clone3: start in cgroup (not in sysgate) */

/* clone3's argument block. It may grow: size tells the kernel how much
 * the caller knows; unknown trailing bytes must be zero (E2BIG otherwise). */
struct clone_args {
	uint64_t flags;
	uint64_t pidfd;        /* CLONE_PIDFD: where the pidfd goes */
	uint64_t child_tid;    /* CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID */
	uint64_t parent_tid;   /* CLONE_PARENT_SETTID */
	uint64_t exit_signal;  /* clone's CSIGNAL bits, as a field */
	uint64_t stack;        /* the lowest byte of the child's stack... */
	uint64_t stack_size;   /* ...and its size: rsp starts at stack + stack_size */
	uint64_t tls;          /* CLONE_SETTLS */
	uint64_t set_tid;      /* an array of pids to ask for (version 1) */
	uint64_t set_tid_size;
	uint64_t cgroup;       /* CLONE_INTO_CGROUP (version 2) */
};

#define CLONE_ARGS_SIZE_VER0 64 /* the first version: up to tls */
#define CLONE_ARGS_SIZE_VER1 80 /* + set_tid, set_tid_size */
#define CLONE_ARGS_SIZE_VER2 88 /* + cgroup */

#endif
