/*
 * Interrupt and exception dispatch (course section: interrupts and exceptions).
 *
 * isr.asm calls interrupt_dispatch() with the saved frame for every vector.
 * Hardware IRQs go to the driver that registered the line. An exception is
 * either the program's fault or the kernel's:
 *   - from user mode (cs has RPL 3), it becomes a signal to the program:
 *     SIGSEGV for a bad memory access, SIGFPE for a division by zero,
 *     SIGILL for an invalid instruction... as Linux sends them;
 *   - from kernel mode, a page fault inside a user-copy helper is expected
 *     (a bad pointer from a program) and is fixed up to return -EFAULT;
 *     anything else is a kernel bug: an oops, and the machine stops (a
 *     module's bug in a process's call kills only that process: oops.c).
 * A page fault is first offered to the memory manager, which may resolve
 * it (a page not yet allocated, a copy-on-write page) and retry.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/oops.h"
#include "arch/x86_64/pic.h"
#include "kernel/entry.h"
#include "kernel/printk.h"
#include "kernel/signal/signal.h"
#include "kernel/vdso/vdso.h"
#include "kernel/tracing/hooks.h"
#include "kernel/tracing/kprobes.h"
#include "mm/fault.h"
#include "mm/uaccess.h"

static irq_handler_t irq_handlers[16];
static uint64_t irq_counts[16]; /* for /proc/interrupts */
static uint64_t spurious_count;

irq_handler_t irq_info(int irq, uint64_t *count)
{
	*count = irq < 0 ? spurious_count : irq_counts[irq];
	return irq < 0 ? NULL : irq_handlers[irq];
}

void irq_register(int irq, irq_handler_t handler)
{
	irq_handlers[irq] = handler;
	pic_unmask(irq);
}

static void irq_dispatch(struct regs *r, int irq)
{
	if (pic_is_spurious(irq)) {
		spurious_count++;
		return;
	}
	irq_counts[irq]++;
	tracehook_irq_entry(irq);
	if (irq_handlers[irq])
		irq_handlers[irq](r);
	tracehook_irq_exit(irq, irq_handlers[irq] != NULL);
	pic_eoi(irq);
}

struct fault_signal {
	int sig, code;
};

/* Which signal Linux sends a program for each exception. */
static struct fault_signal signal_for(int vector)
{
	switch (vector) {
	case VEC_DE:
		return (struct fault_signal){ SIGFPE, FPE_INTDIV };
	case VEC_DB:
	case VEC_BP:
		return (struct fault_signal){ SIGTRAP, vector == VEC_BP ? SI_KERNEL : TRAP_TRACE };
	case VEC_UD:
		return (struct fault_signal){ SIGILL, ILL_ILLOPN };
	case VEC_MF:
	case VEC_XM:
		return (struct fault_signal){ SIGFPE, 0 };
	case VEC_NP:
	case VEC_SS:
	case VEC_AC:
		return (struct fault_signal){ SIGBUS, vector == VEC_AC ? BUS_ADRALN : SI_KERNEL };
	case VEC_PF: /* a region that forbids the access, or no region at all */
		return (struct fault_signal){ SIGSEGV, fault_was_accerr ? SEGV_ACCERR : SEGV_MAPERR };
	default: /* #GP, #OF, #BR, #TS, ...: Linux reports these as si_code SI_KERNEL */
		return (struct fault_signal){ SIGSEGV, SI_KERNEL };
	}
}

static void exception(struct regs *r)
{
	uint64_t addr = 0;
	if (r->vector == VEC_BP && !regs_from_user(r) && kprobe_int3(r))
		return; /* a kprobe's int3: its handlers ran, the single step is set up */
	if (r->vector == VEC_DB && !regs_from_user(r) && kprobe_debug(r))
		return; /* the step after it is done */
	if (r->vector == VEC_DF)
		double_fault(r); /* first, before anything that could fault again */
	if (r->vector == VEC_PF) {
		addr = read_cr2();
		if (r->rflags & RFLAGS_IF)
			irq_enable(); /* resolving a fault may allocate or copy */
		/* In kernel mode, only the user-copy helpers may touch user pages. */
		bool user_access = regs_from_user(r) || extable_contains(r->rip);
		if (regs_from_user(r))
			tracehook_page_fault_user(addr, r->rip, r->error_code);
		if (user_access) {
			bool resolved = handle_page_fault(addr, r->error_code, regs_from_user(r));
			tracehook_page_fault(r, addr, resolved); /* perf's page-faults counters and samples */
			if (resolved)
				return;
		}
		if (regs_from_user(r) && vsyscall_emulate(r, addr))
			return; /* an old program's call to the legacy vsyscall page */
	}
	if (regs_from_user(r)) {
		struct fault_signal fs = signal_for(r->vector);
		if (r->vector == VEC_PF && fault_was_sigbus)
			fs = (struct fault_signal){ SIGBUS, BUS_ADRERR };
		if (r->vector != VEC_PF)
			addr = r->rip; /* Linux reports the faulting instruction */
		if (r->vector == VEC_GP || r->vector == VEC_BP)
			addr = 0;      /* ...except for #GP and int3, where si_addr is 0 */
		force_sig_fault(r, fs.sig, fs.code, addr);
		return;
	}
	if (extable_fixup(r))
		return;
	oops(r, addr);
}

void interrupt_dispatch(struct regs *r)
{
	uint64_t v = r->vector;
	if (v < NUM_EXCEPTIONS)
		exception(r);
	else if (v >= VEC_IRQ0 && v < VEC_IRQ0 + 16)
		irq_dispatch(r, (int)(v - VEC_IRQ0));
	else if (v == VEC_SPURIOUS)
		spurious_count++;
	else
		printk("sysgate: unexpected interrupt, vector %lu\n", v);

	/* Back to a program: the place to switch tasks and deliver signals.
	 * Not from the IST exceptions, which may have interrupted anything. */
	if (regs_from_user(r) && v != VEC_NMI && v != VEC_DF && v != VEC_MC)
		exit_to_user(r);
}
