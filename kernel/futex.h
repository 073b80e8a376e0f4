/* futex (course section: shared memory). */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "kernel/types.h"

/* Wake up to count waiters on the word at uaddr of the current process. */
int futex_wake_address(uint64_t uaddr, int count);

#endif
