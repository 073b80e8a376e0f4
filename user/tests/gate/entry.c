/*
 * gate: syscall numbers; flags on entry; registers (course section: the syscall  gate; issue
 * "Foundation"). One part of the gate test: main.c runs it.
 */
#include "gate.h"

/* ---- syscall numbers ---------------------------------------------------------- */

/* Every number in [lo, hi] must give -ENOSYS: one case per range, naming the
 * first number that did not. */
void check_enosys_range(const char *name, long lo, long hi)
{
	for (long n = lo; n <= hi; n++) {
		long r = raw_syscall(n, 0, 0, 0, 0, 0, 0);
		if (r != -ENOSYS) {
			t_fail(name, "number %ld (expected -ENOSYS, got %ld)", n, r);
			return;
		}
	}
	t_pass(name);
}

void test_numbers(void)
{
	long pid = syscall(SYS_getpid);

	check_enosys_range("numbers -64..-1 give ENOSYS", -64, -1);
	check_enosys_range("numbers 512..547 give ENOSYS", 512, 547);
	check_enosys_range("numbers INT_MAX-64..INT_MAX give ENOSYS", INT_MAX - 64L, INT_MAX);
	check_enosys_range("number 1000 gives ENOSYS", 1000, 1000);
	check_enosys_range("numbers INT_MIN..INT_MIN+8 give ENOSYS", INT_MIN, INT_MIN + 8L);
	check_enosys_range("number 0x100000000+1000 gives ENOSYS", 0x100000000L + 1000, 0x100000000L + 1000);
	/* Linux looks only at the low 32 bits of rax (as an int), so the high
	 * half is ignored: 0x100000000 + 39 is getpid. */
	check_eq("number 0x100000000+39 is getpid", raw_syscall(0x100000000L + 39, 0, 0, 0, 0, 0, 0), pid);
	check_eq("number 0xffffffff00000027 is getpid",
		 raw_syscall((long)0xffffffff00000027UL, 0, 0, 0, 0, 0, 0), pid);
}

/* ---- flags on entry ------------------------------------------------------------- */

/*
 * With DF set, `rep movs` copies backwards. The kernel's copy routines
 * assume DF = 0, so the CPU must clear it on entry (FMASK); and the user's
 * DF must come back on exit, since it is part of the program's state.
 */
void test_df(void)
{
	struct utsname want, got;
	struct timespec ts = { 0, 0 };
	long r, r2;
	unsigned long flags;

	syscall(SYS_uname, &want);
	memset(&got, 0, sizeof(got));
	__asm__ volatile("std\n\t"
			 "syscall\n\t"
			 "pushfq\n\t"
			 "popq %1\n\t"
			 "cld"
			 : "=a"(r), "=r"(flags)
			 : "0"((long)SYS_uname), "D"(&got)
			 : "rcx", "r11", "memory", "cc");
	check_eq("uname with DF set", r, 0);
	check("uname with DF set copied correctly", memcmp(&want, &got, sizeof(got)) == 0,
	      "got sysname \"%.20s\"", got.sysname);
	check("DF is still set after the syscall", (flags & 0x400) != 0, "rflags %#lx", flags);
	__asm__ volatile("std\n\t"
			 "syscall\n\t"
			 "cld"
			 : "=a"(r2)
			 : "0"((long)SYS_clock_gettime), "D"((long)CLOCK_REALTIME), "S"(&ts)
			 : "rcx", "r11", "memory", "cc");
	check("clock_gettime with DF set", r2 == 0 && ts.tv_sec > 1577836800L,
	      "got %ld, tv_sec %ld", r2, ts.tv_sec);
}

/* With TF set, the CPU traps after each instruction: the kernel must not
 * single-step itself (FMASK clears TF), and the program gets SIGTRAP after
 * the syscall returns. */
void tf_child(long unused)
{
	(void)unused;
	__asm__ volatile("pushfq\n\t"
			 "orq $0x100, (%%rsp)\n\t"
			 "popfq\n\t"
			 "syscall"
			 :
			 : "a"((long)SYS_getpid)
			 : "rcx", "r11", "memory", "cc");
	_exit(3);	/* not reached: the trap comes first */
}

void test_tf(void)
{
	check_signaled("syscall with TF set ends in SIGTRAP", run_child(tf_child, 0), SIGTRAP);
}

/* ---- registers ---------------------------------------------------------------- */

/*
 * probe_regs(nr): loads a distinct pattern into every general register but
 * rsp, puts nr in rax, executes `syscall`, and stores all sixteen registers
 * into regs_after[] (rax at index 0, the order of the list below). rsp is
 * stored before and after. Written in assembly because the compiler may not
 * be told about rbp and rsp as clobbers.
 */
unsigned long regs_after[16], rsp_before;
__asm__(".text\n"
	".globl probe_regs\n"
	"probe_regs:\n\t"
	"push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
	"mov %rdi, %rax\n\t"
	"movabs $0x1111111111111111, %rbx\n\t"
	"movabs $0x2222222222222222, %rcx\n\t"
	"movabs $0x3333333333333333, %rdx\n\t"
	"movabs $0x4444444444444444, %rsi\n\t"
	"movabs $0x5555555555555555, %rdi\n\t"
	"movabs $0x6666666666666666, %rbp\n\t"
	"movabs $0x8888888888888888, %r8\n\t"
	"movabs $0x9999999999999999, %r9\n\t"
	"movabs $0xaaaaaaaaaaaaaaaa, %r10\n\t"
	"movabs $0xbbbbbbbbbbbbbbbb, %r11\n\t"
	"movabs $0xcccccccccccccccc, %r12\n\t"
	"movabs $0xdddddddddddddddd, %r13\n\t"
	"movabs $0xeeeeeeeeeeeeeeee, %r14\n\t"
	"movabs $0xffffffffffff0000, %r15\n\t"
	"mov %rsp, rsp_before(%rip)\n\t"
	"syscall\n\t"
	"mov %rax, regs_after+0(%rip)\n\t"
	"mov %rbx, regs_after+8(%rip)\n\t"
	"mov %rcx, regs_after+16(%rip)\n\t"
	"mov %rdx, regs_after+24(%rip)\n\t"
	"mov %rsi, regs_after+32(%rip)\n\t"
	"mov %rdi, regs_after+40(%rip)\n\t"
	"mov %rbp, regs_after+48(%rip)\n\t"
	"mov %rsp, regs_after+56(%rip)\n\t"
	"mov %r8, regs_after+64(%rip)\n\t"
	"mov %r9, regs_after+72(%rip)\n\t"
	"mov %r10, regs_after+80(%rip)\n\t"
	"mov %r11, regs_after+88(%rip)\n\t"
	"mov %r12, regs_after+96(%rip)\n\t"
	"mov %r13, regs_after+104(%rip)\n\t"
	"mov %r14, regs_after+112(%rip)\n\t"
	"mov %r15, regs_after+120(%rip)\n\t"
	"pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
	"ret\n");

void check_regs(const char *what, long nr)
{
	static const char *const names[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
						"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	const unsigned long want[16] = {
		0, 0x1111111111111111UL, 0, 0x3333333333333333UL, 0x4444444444444444UL,
		0x5555555555555555UL, 0x6666666666666666UL, 0 /* rsp_before */, 0x8888888888888888UL,
		0x9999999999999999UL, 0xaaaaaaaaaaaaaaaaUL, 0, 0xccccccccccccccccUL,
		0xddddddddddddddddUL, 0xeeeeeeeeeeeeeeeeUL, 0xffffffffffff0000UL,
	};

	probe_regs(nr);
	for (int i = 0; i < 16; i++) {
		/* rax is the result; rcx and r11 belong to the syscall instruction. */
		if (i == 0 || i == 2 || i == 11)
			continue;
		unsigned long w = i == 7 ? rsp_before : want[i];
		if (regs_after[i] != w) {
			t_fail(what, "%s changed (expected %#lx, got %#lx)", names[i], w, regs_after[i]);
			return;
		}
	}
	t_pass(what);
}

void test_registers(void)
{
	check_regs("registers kept across getpid", SYS_getpid);
	check_eq("getpid's result in rax", (long)regs_after[0], syscall(SYS_getpid));
	check_regs("registers kept across sched_yield", SYS_sched_yield);
	check_regs("registers kept across an unknown number", 1000);
	check_eq("unknown number's result in rax", (long)regs_after[0], -ENOSYS);
	check_regs("registers kept across number -1", -1);
}

/*
 * The SSE registers belong to the program too. A child keeps other values in
 * xmm0..xmm15 while both yield back and forth, so a kernel that switches
 * tasks without saving the FPU state shows up as changed registers here.
 */
void xmm_spinner(long rounds)
{
	for (long i = 0; i < rounds; i++) {
		__asm__ volatile("pcmpeqd %%xmm0, %%xmm0\n\t"
				 "pcmpeqd %%xmm7, %%xmm7\n\t"
				 "pcmpeqd %%xmm15, %%xmm15"
				 ::: "xmm0", "xmm7", "xmm15");
		syscall(SYS_sched_yield);
	}
}

int xmm_round(void)
{
	static const unsigned long pat[2] = { 0x0123456789abcdefUL, 0x1122334455667788UL };
	unsigned long out[3][2];

	__asm__ volatile("movdqu %3, %%xmm0\n\t"
			 "movdqu %3, %%xmm7\n\t"
			 "movdqu %3, %%xmm15\n\t"
			 "mov %4, %%eax\n\t"
			 "syscall\n\t"
			 "movdqu %%xmm0, %0\n\t"
			 "movdqu %%xmm7, %1\n\t"
			 "movdqu %%xmm15, %2"
			 : "=m"(out[0]), "=m"(out[1]), "=m"(out[2])
			 : "m"(pat), "i"(SYS_sched_yield)
			 : "rax", "rcx", "r11", "xmm0", "xmm7", "xmm15", "memory");
	for (int i = 0; i < 3; i++)
		if (out[i][0] != pat[0] || out[i][1] != pat[1])
			return 0;
	return 1;
}

void test_xmm(void)
{
	pid_t pid = t_fork();
	int ok = 1;

	if (pid == 0) {
		xmm_spinner(200);
		_exit(0);
	}
	for (int i = 0; i < 200; i++)
		ok &= xmm_round();
	t_wait(pid, T_WAIT_TICKS);
	check("xmm registers kept across sched_yield with another process", ok,
	      "an xmm register changed");
}
