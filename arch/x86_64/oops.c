/*
 * The oops report (course section: debugging the kernel).
 *
 * When the kernel itself faults, the report is what a student debugs from:
 * which exception, the error code, for a page fault the address and what
 * kind of access it was, every register, and the chain of calls that led
 * here. The backtrace follows saved frame pointers -- each function's
 * prologue pushes rbp and points rbp at it, so [rbp] is the caller's rbp and
 * [rbp+8] the return address -- and names each address with the kernel's
 * own symbol table (kernel/module/ksyms.c), embedded in the image at build time.
 *
 * An oops stops the machine -- except one a loadable module caused while
 * working for a process (a driver's write, ioctl, a syscall it added: the
 * faulting code, or a caller on the frame chain, is a module's, and
 * interrupts were on, so this is no interrupt handler). Then, as Linux
 * does, the kernel kills that process with SIGSEGV and goes on: the
 * report still goes to the kernel log, headed "Module oops" so that test
 * harnesses, which count every "Oops" as a kernel crash, can tell the two
 * apart. The process dies through do_exit() like any other, so its files
 * are closed and its hold on the module is dropped. The module stays
 * loaded, whatever state its bug left it in -- unless the fault was in its
 * init, which will never return: then it is unloaded as if init had failed.
 */
#include "kernel/debug/diag.h"
#include "arch/x86_64/oops.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/power.h"
#include "kernel/bpf/jit.h"
#include "kernel/module/ksyms.h"
#include "kernel/module/module.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "arch/x86_64/gdt.h"
#include "kernel/printk.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/task.h"
#include "libc/format.h"

static const char *const names[NUM_EXCEPTIONS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

const char *exception_name(unsigned vector)
{
	if (vector < NUM_EXCEPTIONS && names[vector])
		return names[vector];
	return "reserved exception";
}

void format_symbol(char *buf, size_t size, uint64_t addr)
{
	uint64_t offset;
	const char *module;
	const char *name;
	if (bpf_jit_format_symbol(buf, size, addr)) /* first: JIT'd code lies below the kernel's */
		return;
	if ((name = ksym_lookup(addr, &offset)) != NULL)
		diag_format(buf, size, "%s+%#lx", name, offset);
	else if ((name = module_symbol_lookup(addr, &offset, &module)) != NULL)
		diag_format(buf, size, "%s+%#lx [module %s]", name, offset, module);
	else
		diag_format(buf, size, "%#lx", addr);
}

void print_backtrace(uint64_t rip, uint64_t rbp, uint64_t stack_low, uint64_t stack_high)
{
	char sym[128];
	format_symbol(sym, sizeof(sym), rip);
	printk("Call trace:\n  [<%016lx>] %s\n", rip, sym);
	for (int depth = 0; depth < 32; depth++) {
		/* Stop at the end of the chain or at anything that is not a
		 * plausible frame on this stack: a corrupt rbp must not make the
		 * report itself fault. */
		if (rbp < stack_low || rbp + 16 > stack_high || (rbp & 7))
			break;
		uint64_t ret = ((uint64_t *)rbp)[1];
		if (ret < BPF_JIT_AREA) /* the lowest kernel code: JIT'd eBPF (mm/layout.h) */
			break;
		format_symbol(sym, sizeof(sym), ret);
		printk("  [<%016lx>] %s\n", ret, sym);
		rbp = ((uint64_t *)rbp)[0];
	}
}

extern char boot_stack_guard[], boot_stack_top[];

/* Is the page of va mapped? A stack pointer into a guard page, a freed
 * task's stack or plain garbage must never be read. */
static bool mapped(uint64_t va)
{
	uint64_t *pte = pte_lookup(kernel_pml4, va, false);
	return pte && (*pte & PTE_P);
}

bool stack_bounds(uint64_t sp, uint64_t *low, uint64_t *high)
{
	if (sp >= (uint64_t)boot_stack_guard + PAGE_SIZE && sp < (uint64_t)boot_stack_top) {
		*low = (uint64_t)boot_stack_guard + PAGE_SIZE;
		*high = (uint64_t)boot_stack_top;
		return true;
	}
	if (ist_stack_bounds(sp, low, high))
		return true;
	if (sp >= KSTACK_AREA && sp < KSTACK_AREA + (512ul << 30)) {
		*high = ALIGN_UP(sp + 1, KSTACK_SLOT); /* slots are aligned from KSTACK_AREA */
		*low = *high - KSTACK_SIZE;            /* below it: the slot's guard */
		return sp >= *low && mapped(sp);
	}
	return false;
}

/* The top of the kernel stack that holds rsp, so the backtrace never walks
 * off its end; rsp itself (nothing to walk) if it is on no stack we know. */
uint64_t stack_top_of(uint64_t rsp)
{
	uint64_t low, high;
	return stack_bounds(rsp, &low, &high) ? high : rsp;
}

static void print_page_fault(uint64_t cr2, uint64_t err)
{
	printk("  at address 0x%lx: %s %s in %s mode%s%s\n", cr2,
	       (err & PF_FETCH) ? "instruction fetch" : (err & PF_WRITE) ? "write" : "read",
	       (err & PF_PRESENT) ? "violating the page's protection" : "of a page that is not present",
	       (err & PF_USER) ? "user" : "kernel", (err & PF_RSVD) ? ", reserved bit set" : "",
	       (err & PF_FETCH) && (err & PF_PRESENT) ? " (NX or SMEP)" : "");
}

/* The module whose code faulted, or called down to the fault, or NULL. A
 * function that calls nothing may have no frame of its own (gcc leaves it
 * out), so its caller's return address is the word at rsp, not on the rbp
 * chain: a module that passes memset a bad pointer is found there. */
static const struct module *module_to_blame(const struct regs *r)
{
	uint64_t rbp = r->rbp, low = r->rsp, high = stack_top_of(r->rsp);
	const struct module *m = module_at(r->rip);
	if (!m && low + 8 <= high)
		m = module_at(*(uint64_t *)low);
	for (int depth = 0; !m && depth < 32; depth++) { /* the walk of print_backtrace */
		if (rbp < low || rbp + 16 > high || (rbp & 7))
			break;
		m = module_at(((uint64_t *)rbp)[1]);
		rbp = ((uint64_t *)rbp)[0];
	}
	return m;
}

/* Every register, as the CPU saved them: needs no memory but this stack. */
static void print_registers(const struct regs *r, uint64_t cr2)
{
	printk("RIP: %04lx:%016lx RFLAGS: %08lx\n", r->cs, r->rip, r->rflags);
	printk("RSP: %04lx:%016lx\n", r->ss, r->rsp);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	printk("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(), cr2, read_cr3(),
	       read_cr4());
}

/*
 * A double fault: the CPU met a second fault while delivering the first --
 * typically a page fault that could not push its frame because rsp points
 * at a guard page or at garbage (a stack overflow, a module that corrupted
 * rsp). The CPU has switched to the double-fault IST stack, so this runs
 * on memory known to be good. It prints what needs nothing else first (the
 * saved registers), then a backtrace only if rsp is on a stack we know and
 * that is mapped, and stops: after a double fault nothing can be trusted,
 * not even a module's process to kill.
 */
void double_fault(const struct regs *r)
{
	irq_disable();
	printk_quiet = false;
	printk("\nOops: #DF double fault, error code %#lx, in %s mode at %016lx\n", r->error_code,
	       regs_from_user(r) ? "user" : "kernel", r->rip);
	print_registers(r, read_cr2());
	uint64_t low, high;
	if (stack_bounds(r->rsp, &low, &high)) {
		print_backtrace(r->rip, r->rbp, r->rsp, high);
	} else if (stack_bounds(r->rbp, &low, &high)) {
		/* The frame chain may still be whole: rbp points into it. */
		printk("RSP %016lx is on no kernel stack, or on a guard page: trace from RBP\n", r->rsp);
		print_backtrace(r->rip, r->rbp, low, high);
	} else {
		printk("RSP and RBP are on no kernel stack: no backtrace\n");
		print_backtrace(r->rip, 0, 0, 0);
	}
	panic("double fault");
}

void oops(const struct regs *r, uint64_t cr2)
{
	/* A module's fault kills its process only on a sound task stack: not
	 * on an IST stack (NMI, #MC), not with rsp on no stack at all. */
	uint64_t low, high;
	bool sound = stack_bounds(r->rsp, &low, &high) && !ist_stack_bounds(r->rsp, &low, &high);
	const struct module *culprit = (r->rflags & RFLAGS_IF) && sound ? module_to_blame(r) : NULL;
	irq_disable();
	if (!culprit)
		printk_quiet = false; /* the machine stops: show why */
	char sym[128];
	format_symbol(sym, sizeof(sym), r->rip);
	printk("\n%s: %s, error code %#lx, in kernel mode at %s\n", culprit ? "Module oops" : "Oops",
	       exception_name(r->vector), r->error_code, sym);
	if (r->vector == VEC_PF)
		print_page_fault(cr2, r->error_code);
	print_registers(r, cr2);
	print_backtrace(r->rip, r->rbp, r->rsp, stack_top_of(r->rsp));
	if (culprit) {
		printk("module %s: the fault kills %s (pid %d) with SIGSEGV; the kernel goes on\n",
		       culprit->name, current->name, current->pid);
		module_fault_in_init(culprit);
		irq_enable(); /* as they were at the fault */
		do_exit(SIGSEGV);
	}
	panic("oops in kernel mode (%s)", exception_name(r->vector));
}
