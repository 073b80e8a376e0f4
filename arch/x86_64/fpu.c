/*
 * Enabling the FPU and SSE for user programs (course section: processes).
 *
 * CR0.EM must be clear (no emulation) and CR0.MP set; CR4.OSFXSR tells the
 * CPU the OS saves state with fxsave/fxrstor, which enables SSE; and
 * CR4.OSXMMEXCPT lets SSE errors raise #XM. We do not enable AVX (XSAVE),
 * so programs see only what fxsave can save, and CPUID says so to them.
 */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/cpu.h"
#include "libc/include/string.h"

#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)

static uint8_t initial_state[FPU_STATE_SIZE] __attribute__((aligned(16)));

void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	fpu_save(initial_state); /* default control words: MXCSR 0x1f80, FCW 0x37f */
}

void fpu_init_state(uint8_t *state)
{
	memcpy(state, initial_state, FPU_STATE_SIZE);
}

uint32_t fpu_mxcsr_mask(void)
{
	/* fxsave stores the mask at byte 28; 0 there means the default 0xFFBF. */
	uint32_t mask = *(const uint32_t *)(initial_state + 28);
	return mask ? mask : 0xFFBF;
}
