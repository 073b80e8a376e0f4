/* Restartable sequences (kernel/proc/rseq.c). */
#ifndef KERNEL_PROC_RSEQ_H
#define KERNEL_PROC_RSEQ_H

#include "kernel/types.h"

struct regs;
struct task;

/* The current task was preempted, or is about to enter a signal handler:
 * a critical section it was in restarts at its abort handler. */
void rseq_interrupted(struct regs *r);
/* fork keeps the registration (the same address in the copied memory); a
 * thread (shares_memory) starts without; exec drops it. */
void rseq_fork(struct task *child, const struct task *parent, bool shares_memory);
void rseq_exec(struct task *t);

#endif
