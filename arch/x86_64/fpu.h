/*
 * The FPU/SSE registers of user programs (course section: processes).
 *
 * The kernel itself never touches x87/SSE registers (it is compiled with
 * -mgeneral-regs-only), so they hold the running program's values at all
 * times. Switching tasks saves them with `fxsave` (512 bytes) and loads the
 * next task's with `fxrstor`.
 */
#ifndef ARCH_X86_64_FPU_H
#define ARCH_X86_64_FPU_H

#include "kernel/types.h"

#define FPU_STATE_SIZE 512

void fpu_init(void);
/* The state a new program starts with (after exec). */
void fpu_init_state(uint8_t *state);
/* The MXCSR bits this CPU accepts (fxrstor faults on the others). */
uint32_t fpu_mxcsr_mask(void);

static inline void fpu_save(uint8_t *state) { __asm__ volatile("fxsave64 (%0)" ::"r"(state) : "memory"); }
static inline void fpu_restore(const uint8_t *state) { __asm__ volatile("fxrstor64 (%0)" ::"r"(state) : "memory"); }

#endif
