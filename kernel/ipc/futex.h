/* futex (course section: shared memory). */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/types.h"

struct task;

/* Wake up to count waiters on the word at uaddr of the current process. */
int futex_wake_address(uint64_t uaddr, int count);
/* At exit and exec, with t's memory current: mark the locks on t's robust
 * list as their owner's death leaves them (kernel/ipc/futex_robust.c). */
void futex_release_robust_list(struct task *t);

#endif
