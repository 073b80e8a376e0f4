/* Random bytes for programs: getrandom and AT_RANDOM (course section: the syscall gate). */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "kernel/types.h"

/* n unpredictable bytes (RDRAND where the CPU has it). */
void random_fill(void *buf, size_t n);

#endif
