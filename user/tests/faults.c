/*
 * faults: what happens when a program does something the CPU refuses
 * (course section: exceptions and memory faults; bad-input catalogue
 * "Memory faults" and "Syscall entry" 6-7).
 *
 * Each fault runs in a forked child, which must die by the right signal:
 * SIGSEGV for a bad memory access or a privileged instruction, SIGILL for an
 * undefined opcode, SIGFPE for a division error, SIGTRAP for int3. The
 * kernel itself must survive each one, and the parent must keep running.
 *
 * The addresses are passed to the child as an argument so that the compiler
 * cannot see a constant NULL and replace the access with a trap of its own.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "testlib.h"

#define PAGE 4096UL

/* ---- memory accesses ---------------------------------------------------------- */

static void do_read(long addr)
{
	(void)*(volatile long *)addr;
}

static void do_write(long addr)
{
	*(volatile long *)addr = 42;
}

static void do_exec(long addr)
{
	((void (*)(void))addr)();
}

static void fault_on(const char *name, void (*fn)(long), unsigned long addr, int sig)
{
	check_signaled(name, run_child(fn, (long)addr), sig);
}

static const char rodata_string[] = "constant";
static unsigned char data_code[16] = { 0xc3 };	/* `ret`, in .data */

static void exec_on_stack(long unused)
{
	unsigned char code[16] = { 0xc3 };	/* `ret`, on the stack */

	(void)unused;
	((void (*)(void))(uintptr_t)code)();
}

static void exec_on_heap(long unused)
{
	/* Grow the break by hand (no malloc) and put a `ret` there. */
	unsigned char *p = (unsigned char *)syscall(SYS_brk, 0);

	(void)unused;
	syscall(SYS_brk, p + PAGE);
	p[0] = 0xc3;
	((void (*)(void))(uintptr_t)p)();
}

static void test_memory(void)
{
	static const unsigned long kernel[] = {
		0xffff800000000000UL,	/* sysgate's direct map of physical memory */
		0xffff888000000000UL,	/* Linux's direct map */
		0xffffff0000000000UL,	/* sysgate's kernel stacks */
		0xffffffff80000000UL,	/* the kernel image */
		0xffffffff80100000UL,
		0xfffffffffffff000UL,	/* the last page */
	};

	fault_on("read NULL", do_read, 0, SIGSEGV);
	fault_on("write NULL", do_write, 0, SIGSEGV);
	fault_on("execute at NULL", do_exec, 0, SIGSEGV);
	fault_on("read page 1 (0x1000)", do_read, 0x1000, SIGSEGV);
	fault_on("write own text", do_write, (uintptr_t)do_write, SIGSEGV);
	fault_on("write a string constant (.rodata)", do_write, (uintptr_t)rodata_string, SIGSEGV);
	check_signaled("execute on the stack", run_child(exec_on_stack, 0), SIGSEGV);
	fault_on("execute in .data", do_exec, (uintptr_t)data_code, SIGSEGV);
	check_signaled("execute on the heap", run_child(exec_on_heap, 0), SIGSEGV);
	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		fault_on(cname("read kernel %#lx", kernel[i]), do_read, kernel[i], SIGSEGV);
		fault_on(cname("write kernel %#lx", kernel[i]), do_write, kernel[i], SIGSEGV);
		fault_on(cname("execute kernel %#lx", kernel[i]), do_exec, kernel[i], SIGSEGV);
	}
	/* Non-canonical addresses raise #GP, not a page fault: still SIGSEGV. */
	fault_on("read non-canonical 0x800000000000", do_read, 0x800000000000UL, SIGSEGV);
	fault_on("write non-canonical 0x800000000000", do_write, 0x800000000000UL, SIGSEGV);
	fault_on("execute non-canonical 0x800000000000", do_exec, 0x800000000000UL, SIGSEGV);
	fault_on("read non-canonical 0x8000deadbeef0000", do_read, 0x8000deadbeef0000UL, SIGSEGV);
	fault_on("read the user ceiling 0x7ffffffff000", do_read, 0x7ffffffff000UL, SIGSEGV);
	fault_on("read across the user ceiling", do_read, 0x7ffffffff000UL - 4, SIGSEGV);
}

/* ---- instructions ------------------------------------------------------------------ */

static void do_ud2(long unused)
{
	(void)unused;
	__asm__ volatile("ud2");
}

static void do_div0(long zero)
{
	volatile long n = 1;

	n = n / zero;
}

/* INT_MIN / -1 does not fit in an int: the CPU raises the same #DE. */
static void do_div_overflow(long minus_one)
{
	long lo = INT64_MIN, r;

	__asm__ volatile("cqo\n\tidivq %1" : "=a"(r) : "r"(minus_one), "0"(lo) : "rdx");
	(void)r;
}

static void do_int3(long unused)
{
	(void)unused;
	__asm__ volatile("int3");
}

/* Ring-0-only instructions: each raises #GP in ring 3. */
static void do_hlt(long unused)
{
	(void)unused;
	__asm__ volatile("hlt");
}

static void do_cli(long unused)
{
	(void)unused;
	__asm__ volatile("cli");
}

static void do_in(long unused)
{
	unsigned char v;

	(void)unused;
	__asm__ volatile("inb $0x60, %0" : "=a"(v));	/* the keyboard port */
}

static void do_out(long unused)
{
	(void)unused;
	__asm__ volatile("outb %%al, $0xf4" ::"a"(0));	/* QEMU's exit port */
}

static void do_wrmsr(long unused)
{
	(void)unused;
	__asm__ volatile("wrmsr" ::"c"(0xc0000082), "a"(0), "d"(0));	/* LSTAR */
}

static void do_mov_cr3(long unused)
{
	(void)unused;
	__asm__ volatile("mov %0, %%cr3" ::"r"(0UL));
}

/* `int n` for a vector whose gate has DPL 0 (exceptions, hardware
 * interrupts) is refused with #GP: a program must not be able to fake a page
 * fault or a timer tick. */
static void do_int13(long unused)
{
	(void)unused;
	__asm__ volatile("int $13");
}

static void do_int14(long unused)
{
	(void)unused;
	__asm__ volatile("int $14");
}

static void do_int32(long unused)
{
	(void)unused;
	__asm__ volatile("int $32");
}

static void do_int255(long unused)
{
	(void)unused;
	__asm__ volatile("int $255");
}

static void test_instructions(void)
{
	check_signaled("ud2", run_child(do_ud2, 0), SIGILL);
	check_signaled("divide by zero", run_child(do_div0, 0), SIGFPE);
	check_signaled("INT64_MIN / -1", run_child(do_div_overflow, -1), SIGFPE);
	check_signaled("int3", run_child(do_int3, 0), SIGTRAP);
	check_signaled("hlt", run_child(do_hlt, 0), SIGSEGV);
	check_signaled("cli", run_child(do_cli, 0), SIGSEGV);
	check_signaled("in from a port", run_child(do_in, 0), SIGSEGV);
	check_signaled("out to a port", run_child(do_out, 0), SIGSEGV);
	check_signaled("wrmsr", run_child(do_wrmsr, 0), SIGSEGV);
	check_signaled("mov to cr3", run_child(do_mov_cr3, 0), SIGSEGV);
	check_signaled("int $13", run_child(do_int13, 0), SIGSEGV);
	check_signaled("int $14 (the page-fault vector)", run_child(do_int14, 0), SIGSEGV);
	check_signaled("int $32 (a hardware interrupt vector)", run_child(do_int32, 0), SIGSEGV);
	check_signaled("int $255", run_child(do_int255, 0), SIGSEGV);
}

/* ---- the stack ------------------------------------------------------------------- */

/* On Linux, pin the stack limit to 8 MiB (as `ulimit -s 8192`; sysgate's
 * fixed limit): with an unlimited one the stack could grow a long way. */
static void limit_stack(void)
{
	static const unsigned long lim[2] = { 8UL << 20, 8UL << 20 };

	if (!on_sysgate())
		syscall(160, 3, lim);	/* setrlimit(RLIMIT_STACK) */
}

static long recurse(long depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth < 0)		/* never true; tells gcc the recursion is meant */
		return 0;
	return recurse(depth + 1) + frame[0];	/* not a tail call */
}

static void stack_overflow(long unused)
{
	(void)unused;
	limit_stack();
	recurse(0);
}

/* An address far below the stack pointer, beyond any stack limit. */
static void below_stack(long distance)
{
	char here;

	limit_stack();
	*(volatile char *)((uintptr_t)&here - (uintptr_t)distance) = 1;
}

static void test_stack(void)
{
	check_signaled("stack overflow by infinite recursion", run_child(stack_overflow, 0), SIGSEGV);
	check_signaled("write 64 MiB below the stack", run_child(below_stack, 64L << 20), SIGSEGV);
	check_signaled("write 1 GiB below the stack", run_child(below_stack, 1L << 30), SIGSEGV);
	/* Within the limit the stack grows on demand: no fault at all. */
	check_exited("write 1 MiB below the stack grows it", run_child(below_stack, 1L << 20), 0);
}

/* ---- hostile register states --------------------------------------------------- */

/*
 * Every register, rsp included, set to `v` (rax to `nr`), then `syscall`,
 * then a push: the kernel must not trust or use the user rsp (it switches to
 * its own stack), must return, and the push must fault in user mode.
 */
static void regs_all(long v, long nr)
{
	__asm__ volatile("mov %0, %%rax\n\t"
			 "mov %1, %%rbx\n\t"
			 "mov %1, %%rcx\n\t"
			 "mov %1, %%rdx\n\t"
			 "mov %1, %%rsi\n\t"
			 "mov %1, %%rdi\n\t"
			 "mov %1, %%rbp\n\t"
			 "mov %1, %%r8\n\t"
			 "mov %1, %%r9\n\t"
			 "mov %1, %%r10\n\t"
			 "mov %1, %%r11\n\t"
			 "mov %1, %%r12\n\t"
			 "mov %1, %%r13\n\t"
			 "mov %1, %%r14\n\t"
			 "mov %1, %%rsp\n\t"
			 "mov %1, %%r15\n\t"
			 "syscall\n\t"
			 "push %%rax\n\t"
			 "ud2"	/* not reached: the push faults */
			 :
			 : "m"(nr), "m"(v));
}

static void regs_minus1_getpid(long unused)
{
	(void)unused;
	regs_all(-1, SYS_getpid);
}

static void regs_minus1_all(long unused)
{
	(void)unused;
	regs_all(-1, -1);
}

static void regs_zero_getpid(long unused)
{
	(void)unused;
	regs_all(0, SYS_getpid);
}

static void regs_kernel_getpid(long unused)
{
	(void)unused;
	regs_all((long)0xffffffff80100000UL, SYS_getpid);
}

/*
 * A `syscall` in the last two bytes of user space: the return address (rcx)
 * is then the user ceiling, 0x7ffffffff000. Returning there must end in a
 * SIGSEGV in user mode. (Linux keeps the last page below 2^47 unmapped
 * precisely so that this rcx is canonical and sysret stays safe.)
 *
 * The child first moves onto a fresh stack, because on sysgate its old stack
 * occupies the top page that we map over.
 */
static void top_page_run(void)
{
	unsigned char *top = (unsigned char *)(0x7ffffffff000UL - PAGE);
	long r = syscall(SYS_mmap, top, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (r != (long)top)
		_exit(50);
	top[PAGE - 2] = 0x0f;	/* syscall */
	top[PAGE - 1] = 0x05;
	syscall(SYS_mprotect, top, PAGE, PROT_READ | PROT_EXEC);
	__asm__ volatile("jmp *%0" ::"r"(top + PAGE - 2), "a"((long)SYS_getpid));
	_exit(51);
}

static void top_page_child(long unused)
{
	long stack = syscall(SYS_mmap, 0, 64 * 1024, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)unused;
	if (stack == -1)
		_exit(52);
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "call *%1" ::"r"(stack + 64 * 1024 - 64), "r"(top_page_run));
	_exit(53);
}

static void test_registers(void)
{
	check_signaled("all registers -1, syscall getpid, push", run_child(regs_minus1_getpid, 0), SIGSEGV);
	check_signaled("all registers -1 (rax too), syscall, push", run_child(regs_minus1_all, 0), SIGSEGV);
	check_signaled("all registers 0, syscall getpid, push", run_child(regs_zero_getpid, 0), SIGSEGV);
	check_signaled("all registers a kernel address, syscall, push",
		       run_child(regs_kernel_getpid, 0), SIGSEGV);
	check_signaled("syscall at the top of user space returns to the ceiling",
		       run_child(top_page_child, 0), SIGSEGV);
}

/* ---- many faults in a row ---------------------------------------------------------- */

/* One of each kind of fault again, silently: the second round for the leak
 * check (the first round already warmed up every path in the parent). */
static const struct {
	void (*fn)(long);
	long arg;
	int sig;
} again[] = {
	{ do_read, 0, SIGSEGV },
	{ do_write, 0x800000000000L, SIGSEGV },
	{ do_exec, (long)0xffffffff80100000UL, SIGSEGV },
	{ exec_on_stack, 0, SIGSEGV },
	{ exec_on_heap, 0, SIGSEGV },
	{ do_ud2, 0, SIGILL },
	{ do_div0, 0, SIGFPE },
	{ do_int3, 0, SIGTRAP },
	{ do_hlt, 0, SIGSEGV },
	{ do_int14, 0, SIGSEGV },
	{ stack_overflow, 0, SIGSEGV },
	{ regs_minus1_getpid, 0, SIGSEGV },
	{ top_page_child, 0, SIGSEGV },
};

static int run_again(void)
{
	for (size_t i = 0; i < sizeof(again) / sizeof(again[0]); i++) {
		int st = run_child(again[i].fn, again[i].arg);
		if (st < 0 || !WIFSIGNALED(st) || WTERMSIG(st) != again[i].sig)
			return 0;
	}
	return 1;
}

/* 50 crashing children in a row: the kernel must clean up after each (a
 * leak or a lost lock shows up as a hang or an error here). */
static void test_many(void)
{
	int bad = 0, st = 0;

	for (int i = 0; i < 50 && !bad; i++) {
		st = run_child(i % 2 ? do_write : do_read, 0);
		if (st < 0 || !WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV)
			bad = 1;
	}
	check("50 NULL faults in a row", !bad, "expected killed by SIGSEGV, got %s", status_text(st));
}

int main(void)
{
	long pid = syscall(SYS_getpid);
	struct leak_mark m;

	t_begin("faults");
	test_memory();
	test_instructions();
	test_stack();
	test_registers();
	test_many();
	check_eq("the parent still runs after all that", syscall(SYS_getpid), pid);
	leak_mark(&m);
	check("every kind of fault again", run_again(), "a child ended differently");
	leak_check("no frames or heap leaked by the second round", &m);
	return t_end();
}
