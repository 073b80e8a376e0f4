/* Ending the machine: power off, reboot, QEMU's debug exit (course section: devices). */
#ifndef ARCH_X86_64_POWER_H
#define ARCH_X86_64_POWER_H

#include "kernel/types.h"

/* QEMU exits with status 2 * code + 1 when a test device is present
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04); otherwise nothing happens. */
#define QEMU_EXIT_PANIC 0x7f

__noreturn void machine_power_off(void);
__noreturn void machine_restart(void);
__noreturn void machine_halt(void);
__noreturn void machine_halt_after_panic(void);
void machine_qemu_exit(uint32_t code);

#endif
