/* IDT set-up and interrupt dispatch (course section: interrupts and exceptions). */
#ifndef ARCH_X86_64_IDT_H
#define ARCH_X86_64_IDT_H

#include "arch/x86_64/regs.h"

void idt_init(void);

/* Called by isr.asm for every vector with the saved frame. */
void interrupt_dispatch(struct regs *r);

/* IRQ handlers for the legacy PIC's lines 0-15. */
typedef void (*irq_handler_t)(struct regs *r);
void irq_register(int irq, irq_handler_t handler);
/* IRQ line irq's handler and how many interrupts it has had; irq -1: the
 * spurious ones (/proc/interrupts). */
irq_handler_t irq_info(int irq, uint64_t *count);

#endif
