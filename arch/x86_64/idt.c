/*
 * The Interrupt Descriptor Table (course section: interrupts and exceptions).
 *
 * 256 gates, one a vector, each pointing at a stub in isr.asm. Vectors 0-31
 * are the CPU's exceptions, 32-47 the legacy PIC's sixteen IRQ lines
 * (remapped there by arch/x86_64/pic.c), 255 the spurious vector; anything
 * else is reported as unexpected. All gates are interrupt gates (IF cleared
 * on entry) with DPL 0, except int3 which a program may execute itself
 * (DPL 3), as on Linux. #DF, NMI and #MC run on their own IST stacks.
 */
#include "arch/x86_64/idt.h"
#include "arch/x86_64/segments.h"
#include "arch/x86_64/x86.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* present, DPL, gate type */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;

_Static_assert(sizeof(struct idt_gate) == 16, "a long-mode gate is 16 bytes");

extern const uint64_t isr_stub_table[256];
static struct idt_gate idt[256];

static void set_gate(int vector, uint64_t handler, int ist, int dpl)
{
	struct idt_gate *g = &idt[vector];
	g->offset_low = handler & 0xFFFF;
	g->offset_mid = (handler >> 16) & 0xFFFF;
	g->offset_high = handler >> 32;
	g->selector = KERNEL_CS;
	g->ist = ist;
	g->type_attr = 0x80 | (dpl << 5) | GATE_INTERRUPT;
	g->reserved = 0;
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, isr_stub_table[v], 0, 0);
	set_gate(VEC_DF, isr_stub_table[VEC_DF], IST_DF, 0);
	set_gate(VEC_NMI, isr_stub_table[VEC_NMI], IST_NMI, 0);
	set_gate(VEC_MC, isr_stub_table[VEC_MC], IST_MC, 0);
	set_gate(VEC_BP, isr_stub_table[VEC_BP], 0, 3);

	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}
