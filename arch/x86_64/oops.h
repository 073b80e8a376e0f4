/* Kernel oops reports (course section: debugging the kernel). */
#ifndef ARCH_X86_64_OOPS_H
#define ARCH_X86_64_OOPS_H

#include "arch/x86_64/regs.h"

/* Report a kernel-mode exception (registers, backtrace) and stop -- or,
 * for a module's fault in a process's call, kill that process. */
__noreturn void oops(const struct regs *r, uint64_t cr2);
/* Print "name+0xoff" for a kernel address into buf. */
void format_symbol(char *buf, size_t size, uint64_t addr);
/* Print a frame-pointer backtrace starting at rbp. */
void print_backtrace(uint64_t rip, uint64_t rbp, uint64_t stack_low, uint64_t stack_high);
const char *exception_name(unsigned vector);
uint64_t stack_top_of(uint64_t rsp);
/* The known, mapped kernel stack (boot, task or IST) holding sp. */
bool stack_bounds(uint64_t sp, uint64_t *low, uint64_t *high);
/* Report a double fault from its IST stack, and stop. */
__noreturn void double_fault(const struct regs *r);

#endif
