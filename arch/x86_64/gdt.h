/* GDT and TSS set-up (course section: privilege levels). */
#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

#include "kernel/types.h"

void gdt_init(void);
/* The stack the CPU switches to when an interrupt arrives from user mode:
 * the top of the running task's kernel stack. */
void tss_set_kernel_stack(uint64_t rsp0);
/* Unmap the guard page under each IST stack (after paging_init). */
void ist_guards_init(void);
/* The IST stack holding sp, if any: its lowest and past-the-top addresses. */
bool ist_stack_bounds(uint64_t sp, uint64_t *low, uint64_t *high);
/* Turn UMIP on if the CPU has it; true if it did. */
bool umip_enable(void);

#endif
