/*
 * Setting up the per-CPU area (course section: the syscall gate).
 *
 * While the kernel runs, MSR_GS_BASE points at `cpu0`; MSR_KERNEL_GS_BASE
 * holds the user program's gs base, and `swapgs` exchanges the two on every
 * entry from and exit to user mode.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

static struct percpu cpu0;

void percpu_init(void)
{
	cpu0.self = &cpu0;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void percpu_set_kernel_stack(uint64_t top)
{
	this_cpu()->kernel_rsp = top;
}
