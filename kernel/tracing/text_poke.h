/* Changing the kernel's own code at run time (course section: kernel debugging techniques). */
#ifndef KERNEL_TRACING_TEXT_POKE_H
#define KERNEL_TRACING_TEXT_POKE_H

#include "kernel/types.h"

/* Write n bytes of kernel text at addr. The caller keeps interrupts off
 * while an instruction is half written (sysgate has one CPU). */
void text_poke(uint64_t addr, const void *bytes, size_t n);

#endif
