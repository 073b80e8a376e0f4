/*
 * Power off, restart and halt (course section: devices).
 *
 * A real PC powers off through ACPI: the firmware's tables say which I/O port
 * is the "PM1a control" register and which value means "sleep state S5"
 * (soft off): acpi.c reads them. Without tables, we try QEMU's two machines'
 * ports (pc: 0xb004, q35: 0x604) with SLP_EN | type 0.
 */
#include "arch/x86_64/power.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"
#include "drivers/timer.h"
#include "kernel/printk.h"

#define POWER_OFF_WAIT_NS 500000000ull /* half a second */

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
	struct acpi_s5 s5;
	if (acpi_find_s5(&s5) == 0) {
		printk("sysgate: power off (ACPI: PM1a_CNT port %#x, S5 sleep type %u)\n", s5.pm1a_cnt,
		       s5.slp_typ_a);
		acpi_enable(&s5);
		if (s5.pm1b_cnt)
			outw(s5.pm1b_cnt, (uint16_t)(s5.slp_typ_b << ACPI_SLP_TYP_SHIFT | ACPI_SLP_EN));
		outw(s5.pm1a_cnt, (uint16_t)(s5.slp_typ_a << ACPI_SLP_TYP_SHIFT | ACPI_SLP_EN));
	} else {
		printk("sysgate: power off (no ACPI tables found: trying QEMU's ports)\n");
		outw(QEMU_PIIX4_PM1A_CNT, ACPI_SLP_EN);
		outw(QEMU_ICH9_PM1A_CNT, ACPI_SLP_EN);
	}
	/* The machine turns off a moment later (QEMU handles the request
	 * between two of our instructions): wait for it before giving up. */
	uint64_t give_up = clock_monotonic_ns() + POWER_OFF_WAIT_NS;
	while (clock_monotonic_ns() < give_up)
		cpu_relax();
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
