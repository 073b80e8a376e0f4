/*
 * seccomp_load: what seccomp(2) accepts, and filters at work (course
 * section: seccomp; bad-input catalogue: every refusal has Linux's errno).
 *
 *   - the checker: a table of filters, each refused (EINVAL: loops, jumps
 *     out of the program, loads outside or across seccomp_data's words,
 *     packet-only instructions, division by a constant 0, shifts by 32,
 *     scratch memory read before it is written, no final RET) or accepted;
 *   - the interpreter: arithmetic, jumps, scratch memory, the arguments,
 *     the architecture and the length of seccomp_data, seen through what a
 *     filter makes getppid return;
 *   - bad input: pointers, lengths, flags, operations, the stack limit
 *     (ENOMEM), SECCOMP_GET_ACTION_AVAIL and SECCOMP_GET_NOTIF_SIZES;
 *   - threads: KILL_THREAD kills one thread only, TSYNC gives the filter to
 *     all (or names the thread that cannot take it);
 *   - TRACE with a ptrace tracer (PTRACE_O_TRACESECCOMP);
 *   - leaks (sysgate): filters shared by forks are freed with the last task.
 */
#include <sched.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "testlib.h"
#include "threadlib.h"
#include "seccomp_util.h"

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARG0_OFF offsetof(struct seccomp_data, args[0])
#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF)
#define RET_ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define RET_A BPF_STMT(BPF_RET | BPF_A, 0)
#define BAD_PTR (-1L)
#define KERNEL_PTR 0xffffffff80000000L

/* ---- the checker ------------------------------------------------------------------------- */

struct filter_case {
	const char *name;
	int err; /* 0: accepted */
	unsigned short len;
	struct sock_filter insns[6];
};

static const struct filter_case cases[] = {
	{ "RET ALLOW alone", 0, 1, { RET_ALLOW } },
	{ "no final RET", EINVAL, 1, { LD_NR } },
	{ "ends in a jump", EINVAL, 2, { RET_ALLOW, BPF_STMT(BPF_JMP | BPF_JA, 0) } },
	{ "JA past the end", EINVAL, 2, { BPF_STMT(BPF_JMP | BPF_JA, 1), RET_ALLOW } },
	{ "JA backwards (k = -1)", EINVAL, 2, { BPF_STMT(BPF_JMP | BPF_JA, 0xffffffff), RET_ALLOW } },
	{ "JA to the last", 0, 3, { BPF_STMT(BPF_JMP | BPF_JA, 1), LD_NR, RET_ALLOW } },
	{ "jt past the end", EINVAL, 2, { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 0), RET_ALLOW } },
	{ "jf past the end", EINVAL, 2, { BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 7), RET_ALLOW } },
	{ "load at 64: outside seccomp_data", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), RET_ALLOW } },
	{ "load at 2: misaligned", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), RET_ALLOW } },
	{ "load at 60: the last word", 0, 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 60), RET_ALLOW } },
	{ "ancillary load (SKF_AD_OFF)", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0xfffff000), RET_ALLOW } },
	{ "half-word load", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), RET_ALLOW } },
	{ "byte load", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), RET_ALLOW } },
	{ "indirect load", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), RET_ALLOW } },
	{ "LDX MSH", EINVAL, 2, { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), RET_ALLOW } },
	{ "MOD", EINVAL, 2, { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), RET_ALLOW } },
	{ "DIV by constant 0", EINVAL, 2, { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), RET_ALLOW } },
	{ "DIV by X", 0, 3, { BPF_STMT(BPF_LDX | BPF_IMM, 2), BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), RET_ALLOW } },
	{ "LSH by 32", EINVAL, 2, { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), RET_ALLOW } },
	{ "RSH by 31", 0, 2, { BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 31), RET_ALLOW } },
	{ "NEG with X", EINVAL, 2, { BPF_STMT(BPF_ALU | BPF_NEG | BPF_X, 0), RET_ALLOW } },
	{ "eBPF's MOV", EINVAL, 2, { BPF_STMT(BPF_ALU | BPF_MOV | BPF_K, 0), RET_ALLOW } },
	{ "JNE (eBPF only)", EINVAL, 2, { BPF_JUMP(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0), RET_ALLOW } },
	{ "RET X", EINVAL, 1, { BPF_STMT(BPF_RET | BPF_X, 0) } },
	{ "opcode 0xffff", EINVAL, 2, { BPF_STMT(0xffff, 0), RET_ALLOW } },
	{ "M[16]", EINVAL, 2, { BPF_STMT(BPF_ST, 16), RET_ALLOW } },
	{ "read M[0] never written", EINVAL, 2, { BPF_STMT(BPF_LD | BPF_MEM, 0), RET_ALLOW } },
	{ "write then read M[15]", 0, 3, { BPF_STMT(BPF_STX, 15), BPF_STMT(BPF_LDX | BPF_MEM, 15), RET_ALLOW } },
	{ "M[3] written on one path only", EINVAL, 5,
	  { LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), BPF_STMT(BPF_ST, 3),
	    BPF_STMT(BPF_LD | BPF_MEM, 3), RET_ALLOW } },
	{ "M[3] written on both paths", 0, 6,
	  { BPF_STMT(BPF_ST, 3), LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), BPF_STMT(BPF_ST, 3),
	    BPF_STMT(BPF_LD | BPF_MEM, 3), RET_ALLOW } },
	{ "LEN loads", 0, 3, { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0), RET_ALLOW } },
	{ "TAX, TXA, NEG", 0, 4, { BPF_STMT(BPF_MISC | BPF_TAX, 0), BPF_STMT(BPF_MISC | BPF_TXA, 0),
				   BPF_STMT(BPF_ALU | BPF_NEG, 0), RET_ALLOW } },
	{ "unknown MISC op", EINVAL, 2, { BPF_STMT(BPF_MISC | 0x40, 0), RET_ALLOW } },
};

static void one_case(long k)
{
	const struct filter_case *c = &cases[k];
	struct sock_filter copy[6];
	memcpy(copy, c->insns, sizeof(copy));
	long r = sc_install(copy, c->len, 0);
	_exit(r == -c->err ? 0 : r < 0 ? (int)-r : 100);
}

static void test_checker(void)
{
	for (long k = 0; k < (long)(sizeof(cases) / sizeof(cases[0])); k++)
		check_exited(cname("checker: %s: %s", cases[k].name, cases[k].err ? errno_name(cases[k].err) : "accepted"),
			     run_child(one_case, k), 0);
}

/* ---- the interpreter ---------------------------------------------------------------------- */

/* A filter for getppid (args 0x1111222233334444, 5) that computes an
 * errno into A; getppid returns -A. Every other call is allowed. */
#define HEAD LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0), RET_ALLOW
#define TAIL BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO), RET_A

struct run_case {
	const char *name;
	long want; /* getppid's errno */
	unsigned short len;
	struct sock_filter insns[12];
};

static const struct run_case runs[] = {
	{ "LEN is 64", 64, 6, { HEAD, BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), TAIL } },
	{ "arch low word", 0x3e, 8, { HEAD, BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
				     BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 0), TAIL } },
	{ "args[0]: low word first", 0x44, 7, { HEAD, BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF),
						 BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff), TAIL } },
	{ "args[0] high word", 0x11, 8, { HEAD, BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF + 4),
					   BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16), BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
					   TAIL } },
	{ "args[1] * 7 + X(3), via M[]", 38, 11,
	  { HEAD, BPF_STMT(BPF_LDX | BPF_IMM, 3), BPF_STMT(BPF_STX, 4), BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF + 8),
	    BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 7), BPF_STMT(BPF_LDX | BPF_MEM, 4), BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
	    TAIL } },
	{ "JSET, JGE, JGT", 9, 10,
	  { HEAD, BPF_STMT(BPF_LD | BPF_IMM, 6), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 3),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 6, 0, 2), BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 6, 1, 0),
	    BPF_STMT(BPF_LD | BPF_IMM, 9), TAIL } },
	{ "NEG, SUB, XOR, LSH", 0x60, 10,
	  { HEAD, BPF_STMT(BPF_LD | BPF_IMM, 5), BPF_STMT(BPF_ALU | BPF_NEG, 0), BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 0xfffffff8),
	    BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0x33), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 1), TAIL } },
	{ "DIV by X = 0 ends with 0: KILL_THREAD", -SIGSYS, 8,
	  { HEAD, BPF_STMT(BPF_LD | BPF_IMM, 6), BPF_STMT(BPF_LDX | BPF_IMM, 0), BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), TAIL } },
	{ "DIV by X = 4", 25, 8,
	  { HEAD, BPF_STMT(BPF_LD | BPF_IMM, 100), BPF_STMT(BPF_LDX | BPF_IMM, 4), BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), TAIL } },
};

static void one_run(long k)
{
	struct sock_filter copy[12];
	memcpy(copy, runs[k].insns, sizeof(copy));
	if (sc_install(copy, runs[k].len, 0))
		_exit(99);
	_exit((int)-raw_syscall(SYS_getppid, 0x1111222233334444L, 5, 0, 0, 0, 0));
}

static void test_interpreter(void)
{
	for (long k = 0; k < (long)(sizeof(runs) / sizeof(runs[0])); k++) {
		int st = run_child(one_run, k);
		if (runs[k].want < 0)
			check_signaled(cname("run: %s", runs[k].name), st, (int)-runs[k].want);
		else
			check_exited(cname("run: %s", runs[k].name), st, (int)runs[k].want);
	}
}

/* ---- bad input ---------------------------------------------------------------------------- */

static long set_filter(unsigned flags, long uprog)
{
	return raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, uprog, 0, 0, 0);
}

static struct sock_filter big[BPF_MAXINSNS + 1];

static void fill_big(void)
{
	for (int k = 0; k < BPF_MAXINSNS; k++)
		big[k] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, (uint32_t)k);
}

static long install_big(unsigned short len)
{
	big[len - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	long r = sc_install(big, len, 0);
	big[len - 1] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, 0);
	return r;
}

/* In a child: the limit of one path is 32768 instructions, as Linux
 * counts them -- those of its eBPF translation (3 more per program, 2 per
 * return, 2 per jump on a negative constant), each older filter 4 more.
 * So seven programs of 4095 loads and a return fit (7 * 4104), then one
 * of 4036 more, not 4037; or, of jumps on 0x80000000, three then 4084. */
static void stack_limit(long jumps)
{
	fill_big();
	if (jumps)
		for (int k = 0; k < BPF_MAXINSNS; k++)
			big[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x80000000, 0, 0);
	int fit = jumps ? 3 : 7, last = jumps ? 4084 : 4036;
	for (int k = 0; k < fit; k++)
		if (install_big(BPF_MAXINSNS) != 0)
			_exit(10 + k);
	if (install_big((unsigned short)(last + 1)) != -ENOMEM)
		_exit(20);
	_exit(install_big((unsigned short)last) == 0 ? 0 : 21);
}

static void test_bad_filters(void)
{
	struct sock_filter allow[] = { RET_ALLOW };
	struct sock_fprog prog = { 1, allow };
	check_raw_errno("fprog NULL: EFAULT", set_filter(0, 0), EFAULT);
	check_raw_errno("fprog (void *)-1: EFAULT", set_filter(0, BAD_PTR), EFAULT);
	check_raw_errno("fprog at a kernel address: EFAULT", set_filter(0, KERNEL_PTR), EFAULT);
	unsigned short lens[] = { 0, BPF_MAXINSNS + 1, 65535 };
	for (int k = 0; k < 3; k++) {
		struct sock_fprog p = { lens[k], big };
		check_raw_errno(cname("len %u: EINVAL", lens[k]), set_filter(0, (long)&p), EINVAL);
	}
	struct sock_fprog p = { 1, NULL };
	check_raw_errno("filter NULL: EINVAL", set_filter(0, (long)&p), EINVAL);
	p.filter = (struct sock_filter *)BAD_PTR;
	check_raw_errno("filter (void *)-1: EFAULT", set_filter(0, (long)&p), EFAULT);
	p.filter = (struct sock_filter *)KERNEL_PTR;
	check_raw_errno("filter at a kernel address: EFAULT", set_filter(0, (long)&p), EFAULT);
	char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pages + 4096, 4096);
	p.filter = (struct sock_filter *)(pages + 4096 - sizeof(struct sock_filter));
	*p.filter = (struct sock_filter)RET_ALLOW;
	p.len = 2;
	check_raw_errno("filter running onto an unmapped page: EFAULT", set_filter(0, (long)&p), EFAULT);
	munmap(pages, 4096);
	unsigned long bad_flags[] = { 1ul << 6, 1ul << 31, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
				      SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER };
	for (int k = 0; k < 4; k++)
		check_raw_errno(cname("flags %#lx: EINVAL", bad_flags[k]), set_filter((unsigned)bad_flags[k], (long)&prog),
				EINVAL);
	check_raw_errno("operation 4: EINVAL", raw_syscall(SYS_seccomp, 4, 0, 0, 0, 0, 0), EINVAL);
	check_raw_errno("operation -1: EINVAL", raw_syscall(SYS_seccomp, -1, 0, 0, 0, 0, 0), EINVAL);
	check_exited("a path over 32768 instructions: ENOMEM", run_child(stack_limit, 0), 0);
	check_exited("... counted as Linux's translation counts jumps", run_child(stack_limit, 1), 0);
	fill_big();
	struct sock_fprog full = { BPF_MAXINSNS, big };
	big[BPF_MAXINSNS - 1] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0);
	check_raw_errno("4096 instructions ending in a jump: EINVAL", set_filter(0, (long)&full), EINVAL);
}

static void user_order(long unused)
{
	(void)unused;
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		_exit(99);
	struct sock_fprog p = { 0, NULL };
	int ok = set_filter(0, (long)&p) == -EINVAL; /* the length is checked first */
	p.len = 1;
	p.filter = (struct sock_filter *)BAD_PTR;
	ok &= set_filter(0, (long)&p) == -EACCES;  /* then the privilege, before the copy */
	ok &= set_filter(0, BAD_PTR) == -EFAULT;   /* (but the fprog must be read first) */
	_exit(ok ? 0 : 1);
}

static void test_queries(void)
{
	uint32_t actions[] = { SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
			       SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW };
	for (int k = 0; k < 8; k++)
		check_eq(cname("GET_ACTION_AVAIL %#x", actions[k]),
			 raw_syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, (long)&actions[k], 0, 0, 0), 0);
	uint32_t odd[] = { 0x00010000, SECCOMP_RET_ALLOW | 1, 0xffff0000 };
	for (int k = 0; k < 3; k++)
		check_raw_errno(cname("GET_ACTION_AVAIL %#x: EOPNOTSUPP", odd[k]),
				raw_syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, (long)&odd[k], 0, 0, 0), EOPNOTSUPP);
	check_raw_errno("GET_ACTION_AVAIL flags 1: EINVAL",
			raw_syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 1, (long)&actions[0], 0, 0, 0), EINVAL);
	check_raw_errno("GET_ACTION_AVAIL NULL: EFAULT", raw_syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, 0, 0, 0, 0),
			EFAULT);
	struct seccomp_notif_sizes sizes = { 0 };
	check_eq("GET_NOTIF_SIZES", raw_syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, (long)&sizes, 0, 0, 0), 0);
	check("... 80, 24, 64", sizes.seccomp_notif == 80 && sizes.seccomp_notif_resp == 24 && sizes.seccomp_data == 64,
	      "got %u %u %u", sizes.seccomp_notif, sizes.seccomp_notif_resp, sizes.seccomp_data);
	check_raw_errno("GET_NOTIF_SIZES flags 1: EINVAL",
			raw_syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 1, (long)&sizes, 0, 0, 0), EINVAL);
	check_raw_errno("GET_NOTIF_SIZES at a kernel address: EFAULT",
			raw_syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, KERNEL_PTR, 0, 0, 0), EFAULT);
	check_exited("a user: EINVAL for the length, then EACCES, before copying the program", run_child(user_order, 0),
		     0);
}

/* ---- threads ------------------------------------------------------------------------------ */

static int ready, go;
static long thread_result;

static void wait_word(int *word)
{
	while (!__atomic_load_n(word, __ATOMIC_SEQ_CST))
		t_futex(word, FUTEX_WAIT, 0);
}

static void set_word(int *word)
{
	__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
	t_futex(word, FUTEX_WAKE, 1);
}

/* A thread: (own filter first if asked), ready, wait for go, getppid. */
static int worker(void *own_filter)
{
	if (own_filter) {
		struct sock_filter f[] = { RET_ALLOW };
		struct sock_fprog prog = { 1, f };
		raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
		raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog, 0, 0, 0);
	}
	set_word(&ready);
	wait_word(&go);
	thread_result = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	return 0;
}

/* KILL_THREAD in a thread: that thread dies, the process goes on. */
static void kill_one_thread(long unused)
{
	(void)unused;
	if (sc_forbid(SYS_getppid, SECCOMP_RET_KILL_THREAD))
		_exit(99);
	go = 1;
	thread_result = 12345;
	if (t_spawn(0, worker, NULL) < 0)
		_exit(98);
	t_join(0);
	_exit(thread_result == 12345 ? 0 : 1);
}

static struct sock_filter errno40[] = {
	LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 40), RET_ALLOW,
};

/* TSYNC: the waiting thread's getppid fails too. With own = 1 the thread
 * has a filter of its own, which is no part of ours: TSYNC fails with its
 * id (TSYNC_ESRCH: with ESRCH), and nothing is installed. */
static void tsync(long own)
{
	int tid = t_spawn(0, worker, (void *)own);
	if (tid < 0)
		_exit(98);
	wait_word(&ready);
	long r = sc_install(errno40, 4, SECCOMP_FILTER_FLAG_TSYNC | (own == 2 ? SECCOMP_FILTER_FLAG_TSYNC_ESRCH : 0));
	long mine = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	set_word(&go);
	t_join(0);
	if (own == 0)
		_exit(r == 0 && thread_result == -40 && mine == -40 ? 0 : 1);
	long want = own == 1 ? tid : -ESRCH;
	_exit(r == want && thread_result > 0 && mine > 0 ? 0 : 1);
}

static void test_threads(void)
{
	check_exited("KILL_THREAD in a thread: only that thread dies", run_child(kill_one_thread, 0), 0);
	check_exited("TSYNC: every thread gets the filter", run_child(tsync, 0), 0);
	check_exited("TSYNC and a thread with its own filter: its id, nothing installed", run_child(tsync, 1), 0);
	check_exited("... with TSYNC_ESRCH: ESRCH", run_child(tsync, 2), 0);
}

/* ---- TRACE with a tracer -------------------------------------------------------------------- */

static void traced_child(void)
{
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		_exit(90);
	raise(SIGSTOP);
	if (sc_forbid(SYS_getppid, SECCOMP_RET_TRACE | 0x42))
		_exit(91);
	long skipped = raw_syscall(SYS_getppid, 0x11, 0, 0, 0, 0, 0);
	long ran = raw_syscall(SYS_getppid, 0x11, 0, 0, 0, 0, 0);
	long changed = raw_syscall(SYS_getppid, 0x11, 0, 0, 0, 0, 0);
	_exit((skipped == 77) | (ran == getppid_before) << 1 | (changed == getpid()) << 2);
}

/* Wait for the next seccomp stop and check it; then apply how: 0 let
 * the call run, -1 skip it with result 77, else make it that call. */
static void seccomp_stop(pid_t pid, const char *what, long how)
{
	int st = t_wait(pid, T_WAIT_TICKS);
	check_eqx(cname("%s: PTRACE_EVENT_SECCOMP stop", what), (unsigned)st >> 8, SIGTRAP | PTRACE_EVENT_SECCOMP << 8);
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
	check_eqx(cname("%s: GETEVENTMSG is the data", what), msg, 0x42);
	struct user_regs_struct regs;
	ptrace(PTRACE_GETREGS, pid, 0, &regs);
	check_eq(cname("%s: orig_rax getppid, rax -ENOSYS", what), (long)regs.orig_rax * 1000 + (long)regs.rax,
		 SYS_getppid * 1000 - ENOSYS);
	struct ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info);
	check(cname("%s: GET_SYSCALL_INFO: op SECCOMP, nr, args, ret_data, 84 bytes", what),
	      n == 84 && info.op == PTRACE_SYSCALL_INFO_SECCOMP && info.seccomp.nr == SYS_getppid &&
		      info.seccomp.args[0] == 0x11 && info.seccomp.ret_data == 0x42,
	      "got %ld, op %u, nr %lu, arg %#lx, data %#x", n, info.op, (unsigned long)info.seccomp.nr,
	      (unsigned long)info.seccomp.args[0], info.seccomp.ret_data);
	if (how) {
		regs.orig_rax = how;
		regs.rax = 77;
		ptrace(PTRACE_SETREGS, pid, 0, &regs);
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
}

static void test_trace(void)
{
	pid_t pid = t_fork();
	if (pid == 0)
		traced_child();
	int st = t_wait(pid, T_WAIT_TICKS);
	check("the tracee stops itself", WIFSTOPPED(st), "%s", status_text(st));
	check_eq("SETOPTIONS PTRACE_O_TRACESECCOMP", ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)PTRACE_O_TRACESECCOMP), 0);
	ptrace(PTRACE_CONT, pid, 0, 0);
	seccomp_stop(pid, "skip", -1);
	seccomp_stop(pid, "run", 0);
	seccomp_stop(pid, "change to getpid", SYS_getpid);
	check_exited("skipped: 77; run: getppid; changed: getpid", t_wait(pid, T_WAIT_TICKS), 7);
}

/* ---- LOG, leaks (sysgate) ------------------------------------------------------------------ */

static void log_child(long unused)
{
	(void)unused;
	if (sc_forbid(SYS_getppid, SECCOMP_RET_LOG))
		_exit(99);
	_exit(raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0) > 0 ? 0 : 1);
}

/* ERRNO on call nr, the filter loaded with SECCOMP_FILTER_FLAG_LOG or not. */
static void errno_logged(long nr_and_flag)
{
	long nr = nr_and_flag >> 1;
	struct sock_filter f[] = {
		LD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 7), RET_ALLOW,
	};
	if (sc_install(f, 4, (nr_and_flag & 1) ? SECCOMP_FILTER_FLAG_LOG : 0))
		_exit(99);
	_exit((int)-raw_syscall(nr, 0, 0, 0, 0, 0, 0));
}

static void test_log(void)
{
	if (!on_sysgate()) {
		t_skip("LOG: the kernel log line", "where Linux's audit lines go depends on auditd");
		return;
	}
	check_exited("LOG: the call runs", run_child(log_child, 0), 0);
	static char buf[65536];
	long n = raw_syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, (long)buf, sizeof(buf) - 1, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	char want[64];
	snprintf(want, sizeof(want), "syscall=%d compat=0", SYS_getppid);
	check("LOG: an audit type=1326 line with the call and code=0x7ffc0000",
	      strstr(buf, "type=1326") && strstr(buf, want) && strstr(buf, "code=0x7ffc0000"), "not in the log");
	check_exited("ERRNO from a filter with FLAG_LOG", run_child(errno_logged, SYS_getpgrp << 1 | 1), 7);
	check_exited("ERRNO from a filter without it", run_child(errno_logged, SYS_getsid << 1), 7);
	n = raw_syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, (long)buf, sizeof(buf) - 1, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "syscall=%d compat=0 ip=", SYS_getpgrp);
	check("FLAG_LOG: the ERRNO verdict is logged (code=0x50000)", strstr(buf, want) && strstr(buf, "code=0x50000"),
	      "not in the log");
	snprintf(want, sizeof(want), "syscall=%d compat=0 ip=", SYS_getsid);
	check("without FLAG_LOG: not logged", !strstr(buf, want), "logged");
}

static void filtered_family(void)
{
	for (int k = 0; k < 3; k++)
		if (sc_forbid(SYS_getppid, SECCOMP_RET_ERRNO | (uint32_t)k))
			_exit(99);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(0);
	t_wait(pid, T_WAIT_TICKS);
	_exit(0);
}

static void leak_work(void)
{
	for (int k = 0; k < 20; k++) {
		pid_t pid = t_fork();
		if (pid == 0)
			filtered_family();
		t_wait(pid, T_WAIT_TICKS);
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	t_set_self(argv);
	t_begin("seccomp_load");
	getppid_before = getpid();
	test_checker();
	test_interpreter();
	test_queries();
	test_bad_filters();
	test_threads();
	test_trace();
	test_log();
	if (on_sysgate())
		t_leak_test("filters shared by forks are freed with the last task", leak_work);
	else
		t_skip("leaks", "sysgate only");
	return t_end();
}
