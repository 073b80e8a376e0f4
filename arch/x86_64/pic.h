/* The legacy 8259 PIC pair (course section: interrupts). */
#ifndef ARCH_X86_64_PIC_H
#define ARCH_X86_64_PIC_H

#include "kernel/types.h"

void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);
/* IRQ 7 and 15 can fire "spuriously" (a line dropped before the CPU asked). */
bool pic_is_spurious(int irq);

#endif
