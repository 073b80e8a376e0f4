/* clone and clone3 (course section: kernel architecture -- what a task is). */
#ifndef KERNEL_CLONE_H
#define KERNEL_CLONE_H

#include "kernel/types.h"
#include "libc/include/abi/sched.h"

struct task;

/* One clone, checked already (kernel/proc/clone.c), whichever syscall
 * asked for it: fork, vfork, clone or clone3. */
struct clone_request {
	uint64_t flags;        /* CLONE_* */
	int exit_signal;       /* sent to the parent at exit; 0: none */
	uint64_t stack;        /* the child's rsp; 0: the caller's */
	uint64_t tls;          /* CLONE_SETTLS: the child's %fs base */
	int __user *parent_tid; /* CLONE_PARENT_SETTID */
	int __user *child_tid; /* CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID */
};

/* Make the task (kernel/proc/fork.c): the child's tid, or -errno. */
long do_clone(const struct clone_request *req);
/* The vfork parent sleeps until child execs or exits; returns its pid. */
long vfork_wait(struct task *child);

#endif
