/* The kernel's symbol table, for backtraces (course section: debugging the kernel). */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "kernel/types.h"

/* The function containing addr, and addr's offset in it; NULL if none. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* The size of the function starting at start (up to the next one). */
uint64_t ksym_size(uint64_t start);
/* The address of a named function, or 0. */
uint64_t ksym_address(const char *name);

#endif
