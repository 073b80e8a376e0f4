/*
 * The GDT and the TSS (course section: privilege levels and the syscall gate).
 *
 * In 64-bit mode segments no longer have bases or limits (except fs and gs),
 * but the GDT still decides privilege: a code segment's DPL is the ring the
 * CPU runs in. The TSS no longer switches tasks; it only tells the CPU which
 * stack to load when an interrupt arrives from ring 3 (rsp0), and which
 * dedicated stacks (the IST) to use for exceptions that must work even when
 * the current stack is broken: double fault, NMI and machine check. Each
 * IST stack has an unmapped guard page below it, so an overflow of the
 * double-fault handler itself faults at once instead of overwriting the
 * next stack.
 *
 * UMIP (user-mode instruction prevention), where the CPU has it, makes
 * sgdt, sidt, sldt, smsw and str fault in user mode: they would tell any
 * program where the GDT, IDT and TSS are in kernel memory.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/segments.h"
#include "arch/x86_64/x86.h"
#include "kernel/printk.h"
#include "kernel/types.h"
#include "mm/paging.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];  /* stack for entering ring 0, 1, 2 from an outer ring */
	uint64_t reserved1;
	uint64_t ist[7];  /* Interrupt Stack Table */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* past the end: no I/O permission bitmap */
} __packed;

_Static_assert(sizeof(struct tss) == 104, "the 64-bit TSS is 104 bytes");

static struct tss tss;
static uint64_t gdt[GDT_ENTRIES];

#define IST_STACK_SIZE 16384
struct ist_stack {
	uint8_t guard[PAGE_SIZE]; /* unmapped by ist_guards_init() */
	uint8_t stack[IST_STACK_SIZE];
};
static struct ist_stack ist_stacks[3] __attribute__((aligned(PAGE_SIZE)));

/* A code or data descriptor: base and limit are ignored in 64-bit mode,
 * but 32-bit descriptors still need a 4 GiB limit to be usable. */
static uint64_t segment(uint32_t flags)
{
	return ((uint64_t)flags << 32) | 0xFFFF | (0xFull << 48);
}

static void set_tss_descriptor(int index, uint64_t base, uint32_t limit)
{
	uint64_t low = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
		       ((uint64_t)(SEG_TSS_AVAIL | (1 << 7)) << 40) | /* type, present */
		       ((uint64_t)((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	gdt[index] = low;
	gdt[index + 1] = base >> 32; /* a system descriptor is 16 bytes in long mode */
}

void tss_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

void gdt_init(void)
{
	const uint32_t code = SEG_P | SEG_S | SEG_CODE | SEG_RW;
	const uint32_t data = SEG_P | SEG_S | SEG_RW;

	gdt[0] = 0;
	gdt[GDT_KERNEL32_CS >> 3] = segment(code | SEG_DB | SEG_G);
	gdt[KERNEL_CS >> 3] = segment(code | SEG_L);
	gdt[KERNEL_DS >> 3] = segment(data | SEG_DB | SEG_G);
	gdt[USER32_CS >> 3] = segment(code | SEG_DPL3 | SEG_DB | SEG_G);
	gdt[USER_DS >> 3] = segment(data | SEG_DPL3 | SEG_DB | SEG_G);
	gdt[USER_CS >> 3] = segment(code | SEG_DPL3 | SEG_L);

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i].stack[IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss); /* user in/out instructions raise #GP */
	set_tss_descriptor(TSS_SEL >> 3, (uint64_t)&tss, sizeof(tss) - 1);

	struct {
		uint16_t limit;
		uint64_t base;
	} __packed gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };

	/* Load the GDT, then reload every segment register from it. CS can only
	 * be changed by a far jump/call/return: push the new CS and the address
	 * of the next instruction, and `lretq` pops them both. */
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss\n\t"
			 "xor %%eax, %%eax\n\t"
			 "mov %%ax, %%fs\n\t"
			 "mov %%ax, %%gs\n\t"
			 "pushq %2\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "r"((uint64_t)KERNEL_DS), "i"(KERNEL_CS), "r"((uint16_t)TSS_SEL)
			 : "rax", "memory");
}

/* Once paging is ours (mm/paging.c), take the guard pages away. */
void ist_guards_init(void)
{
	for (int i = 0; i < 3; i++)
		kernel_unmap_page((uint64_t)ist_stacks[i].guard);
}

bool ist_stack_bounds(uint64_t sp, uint64_t *low, uint64_t *high)
{
	for (int i = 0; i < 3; i++) {
		uint64_t lo = (uint64_t)ist_stacks[i].stack, hi = lo + IST_STACK_SIZE;
		if (sp >= lo && sp < hi) {
			*low = lo;
			*high = hi;
			return true;
		}
	}
	return false;
}

bool umip_enable(void)
{
	uint32_t a, b, c, d;
	cpuid(7, 0, &a, &b, &c, &d);
	if (!(c & CPUID_7_ECX_UMIP))
		return false;
	write_cr4(read_cr4() | CR4_UMIP);
	return true;
}
