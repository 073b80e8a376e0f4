/*
 * Power off, restart and halt (course section: devices).
 *
 * A real PC powers off through ACPI: the firmware's tables say which I/O port
 * is the "PM1a control" register and which value means "sleep state S5"
 * (soft off). On QEMU's pc machine that is port 0x604 and SLP_EN | type 0 =
 * 0x2000, so we write that directly instead of parsing the ACPI tables.
 */
#include "arch/x86_64/power.h"
#include "arch/x86_64/cpu.h"
#include "kernel/printk.h"

void machine_qemu_exit(uint32_t code)
{
	outl(QEMU_DEBUG_EXIT, code);
}

void machine_halt(void)
{
	irq_disable();
	for (;;)
		halt();
}

void machine_power_off(void)
{
	printk("sysgate: power off\n");
	outw(QEMU_ACPI_PM1A_CNT, ACPI_SLP_S5);
	/* Still here: not QEMU, or no ACPI. */
	printk("sysgate: power off failed; halted\n");
	machine_halt();
}

void machine_restart(void)
{
	printk("sysgate: restarting\n");
	outb(KBD_RESET_PORT, KBD_RESET_CMD); /* the keyboard controller can pulse the CPU's reset line */
	machine_halt();
}

void machine_halt_after_panic(void)
{
	machine_qemu_exit(QEMU_EXIT_PANIC);
	machine_halt();
}
