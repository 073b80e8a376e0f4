/* Nice values and their weights (course section: processes). */
#ifndef KERNEL_PRIORITY_H
#define KERNEL_PRIORITY_H

#include "kernel/types.h"

#define NICE_MIN (-20)
#define NICE_MAX 19
#define NICE_0_WEIGHT 1024

struct task;
/* A new task's nice and weight: its parent's (nice 0 without a parent). */
void priority_init(struct task *t, const struct task *parent);

#endif
