/*
 * The legacy PIC: two cascaded 8259 interrupt controllers (course section:
 * interrupts).
 *
 * Why the PIC and not the local APIC + IOAPIC: sysgate runs on one CPU, and
 * the PIC is the simplest controller that every PC and QEMU machine has: a
 * few port writes set it up, and nothing needs to be found in ACPI tables
 * first. The APIC is what a multiprocessor kernel needs (per-CPU timers,
 * inter-processor interrupts); it is a good exercise once SMP is the topic.
 *
 * At power-on the master PIC delivers IRQ 0-7 on vectors 8-15, which clash
 * with CPU exceptions, so we "remap" IRQ 0-15 to vectors 32-47. Every IRQ
 * starts masked; a driver unmasks its line when it registers a handler.
 */
#include "arch/x86_64/pic.h"
#include "arch/x86_64/cpu.h"

#define ICW1_INIT 0x10
#define ICW1_ICW4 0x01
#define ICW4_8086 0x01
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0B
#define CASCADE_IRQ 2

static uint16_t mask = 0xFFFF & ~(1 << CASCADE_IRQ);

static void write_masks(void)
{
	outb(PIC1_DATA, mask & 0xFF);
	outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
	/* The initialisation sequence: ICW1 to both, then ICW2 (vector base),
	 * ICW3 (how they are cascaded) and ICW4 (8086 mode) to their data ports. */
	outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	outb(PIC1_DATA, VEC_IRQ0);
	outb(PIC2_DATA, VEC_IRQ0 + 8);
	outb(PIC1_DATA, 1 << CASCADE_IRQ); /* master: a slave on line 2 */
	outb(PIC2_DATA, CASCADE_IRQ);      /* slave: its identity is 2 */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	write_masks();
}

void pic_unmask(int irq)
{
	mask &= ~(1 << irq);
	write_masks();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

/* A real IRQ 7/15 has its bit set in the in-service register. */
bool pic_is_spurious(int irq)
{
	if (irq != 7 && irq != 15)
		return false;
	uint16_t port = irq == 7 ? PIC1_CMD : PIC2_CMD;
	outb(port, OCW3_READ_ISR);
	if (inb(port) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC1_CMD, OCW2_EOI); /* the master did see the cascade line */
	return true;
}
