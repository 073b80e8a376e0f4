/* GDT and TSS set-up (course section: privilege levels). */
#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

#include "kernel/types.h"

void gdt_init(void);
/* The stack the CPU switches to when an interrupt arrives from user mode:
 * the top of the running task's kernel stack. */
void tss_set_kernel_stack(uint64_t rsp0);

#endif
