/*
 * Host unit test of the eBPF JIT, kernel/bpf/jit*.c (course section: eBPF,
 * the revolution in kernel programming -- "from bytecode to machine code").
 *
 * The JIT is pure code generation, so it runs here: each program of the
 * shared table (user/tests/bpf_jit_cases.h) and of this file's own
 * table (what Linux's verifier would refuse to load, or what needs a
 * stand-in: a division by a constant 0, cpu v4's signed division, tail
 * calls, a helper's five arguments) is JIT'd into memory mapped writable,
 * then made executable with mprotect, exactly as jit_mem.c does in the
 * kernel, and called. Each result must equal the one eBPF's semantics
 * give, and the kernel's interpreter (interp.c) must give it too. The
 * stand-ins below play the kernel's parts: memory, helpers, a
 * PROG_ARRAY.
 *
 * UNIT_SOURCES: kernel/bpf/interp.c kernel/bpf/jit.c kernel/bpf/jit_emit.c kernel/bpf/jit_alu.c kernel/bpf/jit_ldst.c kernel/bpf/jit_jmp.c
 */
#include "unit.h"
#include "kernel/bpf/jit.h"

#include <string.h>
#include <sys/mman.h>

#include "user/tests/bpf_jit_cases.h"

/* --- stand-ins for the kernel --- */
void *kmalloc(size_t size) { return malloc(size); }
void kfree(void *p) { free(p); }

static int images_live, ksyms_live;

/* Within 2 GiB of this program's code, so calls to the helpers below
 * reach, as the kernel's JIT area is near the kernel's text. */
void *jit_mem_alloc(uint32_t size)
{
	uintptr_t near = ((uintptr_t)&jit_mem_alloc & ~0xfffffful) + (256ul << 20);
	for (int try = 0; try < 64; try++, near += 16ul << 20) {
		void *p = mmap((void *)near, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		int64_t d = (int64_t)((uintptr_t)p - (uintptr_t)&jit_mem_alloc);
		if (d < (1l << 30) && d > -(1l << 30)) {
			memset(p, 0xcc, size);
			images_live++;
			return p;
		}
		munmap(p, size);
	}
	return NULL;
}

void jit_mem_seal(void *image, uint32_t size)
{
	if (mprotect(image, size, PROT_READ | PROT_EXEC))
		panic("mprotect");
}

void jit_mem_free(void *image, uint32_t size)
{
	munmap(image, size);
	images_live--;
}

void jit_ksym_add(const struct bpf_prog *prog) { (void)prog; ksyms_live++; }
void jit_ksym_del(const struct bpf_prog *prog) { (void)prog; ksyms_live--; }

#include "bpf_standins.h"

/* --- programs only this test runs --- */
#define SDIV64(d, s) I_RAW(BPF_ALU64 | BPF_DIV | BPF_X, d, s, 1, 0)
#define SMOD64(d, s) I_RAW(BPF_ALU64 | BPF_MOD | BPF_X, d, s, 1, 0)
#define SDIV32_IMM(d, i) I_RAW(BPF_ALU | BPF_DIV | BPF_K, d, 0, 1, i)
#define SMOD32(d, s) I_RAW(BPF_ALU | BPF_MOD | BPF_X, d, s, 1, 0)
#define MOVSX64(d, s, bits) I_RAW(BPF_ALU64 | BPF_MOV | BPF_X, d, s, bits, 0)
#define LDX_MEMSX(sz, d, s, o) I_RAW(BPF_LDX | (sz) | BPF_MEMSX, d, s, o, 0)
#define BSWAP64(d, bits) I_RAW(BPF_ALU64 | BPF_END, d, 0, 0, bits)

static const struct jit_case own_cases[] = {
	JIT_CASE("division by a constant 0", 0x1000000ull + 9,
		 I_MOV64_IMM(R0, 9), I_MOV64_IMM(R1, 55), I_ALU64_IMM(BPF_DIV, R1, 0),
		 I_ALU64_REG(BPF_ADD, R0, R1), I_LD_IMM64(R2, 0x101000000ull), I_ALU32_IMM(BPF_MOD, R2, 0),
		 I_ALU64_REG(BPF_ADD, R0, R2), I_EXIT()),
	JIT_CASE("signed division (cpu v4)", (uint64_t)INT64_MIN + (uint64_t)-3 + 7 + 0xfffffffeull + 0xffffffffull,
		 I_LD_IMM64(R1, (uint64_t)INT64_MIN), I_MOV64_IMM(R2, -1), I_MOV64_REG(R0, R1),
		 SDIV64(R0, R2), I_MOV64_REG(R3, R1), SMOD64(R3, R2), I_ALU64_REG(BPF_ADD, R0, R3),
		 I_MOV64_IMM(R4, -7), I_MOV64_IMM(R5, 2), SDIV64(R4, R5), I_ALU64_REG(BPF_ADD, R0, R4),
		 I_MOV64_IMM(R6, 0), I_MOV64_IMM(R7, 7), SMOD64(R7, R6), I_ALU64_REG(BPF_ADD, R0, R7),
		 I_MOV64_IMM(R8, 7), SDIV32_IMM(R8, -3), I_ALU64_REG(BPF_ADD, R0, R8), I_MOV64_IMM(R9, -7),
		 SMOD32(R9, R9), I_MOV64_IMM(R9, -7), I_MOV64_IMM(R1, -3), SMOD32(R9, R1),
		 I_ALU64_REG(BPF_ADD, R0, R9), I_EXIT()),
	JIT_CASE("movsx, memsx, bswap (cpu v4)", 0xffffffffffffff80ull + 0xffffffffffff8000ull + 0x0807060504030201ull + 0xfffffffffffffffeull,
		 I_MOV64_IMM(R1, 0x80), MOVSX64(R0, R1, 8), I_MOV64_IMM(R2, 0x8000), MOVSX64(R3, R2, 16),
		 I_ALU64_REG(BPF_ADD, R0, R3), I_LD_IMM64(R4, 0x0102030405060708ull), BSWAP64(R4, 64),
		 I_ALU64_REG(BPF_ADD, R0, R4), I_ST(BPF_DW, R10, -8, -2), LDX_MEMSX(BPF_W, R5, R10, -8),
		 I_ALU64_REG(BPF_ADD, R0, R5), I_EXIT()),
	JIT_CASE("a helper's five arguments", 54321,
		 I_MOV64_IMM(R1, 1), I_MOV64_IMM(R2, 2), I_MOV64_IMM(R3, 3), I_MOV64_IMM(R4, 4),
		 I_MOV64_IMM(R5, 5), I_CALL(HELPER_SUM5), I_EXIT()),
	JIT_CASE("context loads and fetch-or through r0", 0x12ff + 0x1234 + 0x1234,
		 I_LDX(BPF_DW, R2, R1, 8), I_MOV64_REG(R0, R1), I_MOV64_IMM(R3, 0xff),
		 I_ATOMIC(BPF_DW, BPF_OR | BPF_FETCH, R0, R3, 8), I_LDX(BPF_DW, R0, R1, 8),
		 I_ALU64_REG(BPF_ADD, R0, R3), I_ALU64_REG(BPF_ADD, R0, R2), I_MOV64_IMM(R3, 0),
		 I_ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, R1, R3, 8), I_EXIT()),
};

/* --- running --- */
/* stack_depth as a verifier would set it; -1: as if none ran (the JIT then
 * gives the program the most stack, MAX_BPF_STACK). */
static struct bpf_prog *load(const struct bpf_insn *insns, uint32_t len, int stack_depth)
{
	struct bpf_prog *p = calloc(1, sizeof(*p));
	p->insns = malloc(len * sizeof(*insns));
	memcpy(p->insns, insns, len * sizeof(*insns));
	p->len = len;
	p->stack_depth = stack_depth < 0 ? 0 : stack_depth;
	p->verified_insns = stack_depth < 0 ? 0 : len;
	p->type = BPF_PROG_TYPE_SOCKET_FILTER;
	return p;
}

static void unload(struct bpf_prog *p)
{
	bpf_jit_free(p);
	free(p->insns);
	free(p);
}

static void run_table(const struct jit_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t ctx[4] = { 0, 0x1234, 0, 0 };
		struct bpf_prog *p = load(cases[i].insns, cases[i].len, -1);
		long err = bpf_jit_compile(p);
		char what[128];
		snprintf(what, sizeof(what), "%s: JIT'd", cases[i].name);
		CHECK_EQ(what, err, 0);
		if (!err)
			CHECK_EQ(cases[i].name, p->jited(ctx), cases[i].want);
		uint64_t ctx2[4] = { 0, 0x1234, 0, 0 };
		snprintf(what, sizeof(what), "%s: the interpreter agrees", cases[i].name);
		CHECK_EQ(what, bpf_interp_run(p, ctx2), cases[i].want);
		CHECK(what, !memcmp(ctx, ctx2, sizeof(ctx)));
		unload(p);
	}
}

/* ctx[0] counts runs; slot 0 holds this same program: 1 + 33 runs. */
static void tail_calls(void)
{
	uint64_t map = (uint64_t)&prog_array;
	struct bpf_insn self[] = {
		I_LDX(BPF_DW, R0, R1, 0), I_ALU64_IMM(BPF_ADD, R0, 1), I_STX(BPF_DW, R1, R0, 0),
		I_STX(BPF_DW, R10, R0, -16), I_MOV64_REG(R6, R1), I_LD_IMM64(R2, map),
		I_MOV64_IMM(R3, 0), I_CALL(BPF_FUNC_tail_call), I_LDX(BPF_DW, R0, R6, 0),
		I_EXIT(),
	};
	/* Tail calls to an empty slot and past the end fall through. */
	struct bpf_insn miss[] = {
		I_MOV64_IMM(R6, 5), I_LD_IMM64(R2, map), I_MOV64_IMM(R3, 1),
		I_CALL(BPF_FUNC_tail_call), I_LD_IMM64(R2, map), I_MOV64_IMM(R3, 7),
		I_CALL(BPF_FUNC_tail_call), I_MOV64_REG(R0, R6), I_EXIT(),
	};
	struct bpf_prog *a = load(self, ARRAY_SIZE(self), 16), *b = load(miss, ARRAY_SIZE(miss), 0);
	CHECK_EQ("tail calls: JIT'd", bpf_jit_compile(a) | bpf_jit_compile(b), 0);
	array_slots[0] = a;
	uint64_t ctx[1] = { 0 };
	CHECK_EQ("tail calls: at most 33, then the call falls through", a->jited(ctx), 1 + BPF_MAX_TAIL_CALL_CNT);
	ctx[0] = 0;
	CHECK_EQ("tail calls: the interpreter agrees", bpf_interp_run(a, ctx), 1 + BPF_MAX_TAIL_CALL_CNT);
	CHECK_EQ("tail calls: an empty slot or an index past the end falls through", b->jited(ctx), 5);
	CHECK_EQ("tail calls: the interpreter agrees on falling through", bpf_interp_run(b, ctx), 5);
	array_slots[0] = b; /* a program with a larger stack jumps into one with a smaller */
	ctx[0] = 0;
	CHECK_EQ("tail calls: into another program, whose exit returns", a->jited(ctx), 5);
	array_slots[0] = NULL;
	unload(a);
	unload(b);
}

/* LD_ABS and LD_IND read the packet big-endian; past its end the program
 * returns 0 at once. The JIT and the interpreter on one socket buffer. */
static void packet_loads(void)
{
	static const uint8_t bytes[] = { 1, 2, 3, 4, 5, 6 };
	struct bpf_skb skb = { .ctx.len = sizeof(bytes), .data = bytes };
	struct bpf_insn in_range[] = {
		I_MOV64_REG(R6, R1), I_LD_ABS(BPF_W, 0), I_MOV64_REG(R7, R0), I_LD_ABS(BPF_H, 4),
		I_ALU64_REG(BPF_ADD, R7, R0), I_LD_ABS(BPF_B, 5), I_ALU64_REG(BPF_ADD, R7, R0), I_MOV64_IMM(R8, 1),
		I_LD_IND(BPF_H, R8, 1), I_ALU64_REG(BPF_ADD, R0, R7), I_EXIT(),
	};
	struct bpf_insn past_end[] = {
		I_MOV64_REG(R6, R1), I_MOV64_IMM(R7, 9), I_LD_ABS(BPF_W, 3), I_MOV64_REG(R0, R7), I_EXIT(),
	};
	struct bpf_prog *a = load(in_range, ARRAY_SIZE(in_range), 0), *b = load(past_end, ARRAY_SIZE(past_end), 0);
	CHECK_EQ("packet loads: JIT'd", bpf_jit_compile(a) | bpf_jit_compile(b), 0);
	uint64_t want = 0x01020304 + 0x0506 + 6 + 0x0304;
	CHECK_EQ("packet loads: LD_ABS and LD_IND, big-endian", a->jited(&skb), want);
	CHECK_EQ("packet loads: the interpreter agrees", bpf_interp_run(a, &skb), want);
	CHECK_EQ("packet loads: past the end, the program returns 0", b->jited(&skb), 0);
	CHECK_EQ("packet loads: the interpreter agrees on past the end", bpf_interp_run(b, &skb), 0);
	unload(a);
	unload(b);
}

static void refusals(void)
{
	struct {
		const char *what;
		struct bpf_insn insns[3];
		uint32_t len;
	} bad[] = {
		{ "refuses an unknown opcode", { I_RAW(0xff, 0, 0, 0, 0), I_EXIT() }, 2 },
		{ "refuses a write to r10", { I_MOV64_IMM(R10, 0), I_EXIT() }, 2 },
		{ "refuses an unknown helper", { I_CALL(9999), I_EXIT() }, 2 },
		{ "refuses a cut ld_imm64", { I_MOV64_IMM(R0, 0), I_RAW(BPF_LD | BPF_DW | BPF_IMM, 0, 0, 0, 1) }, 2 },
		{ "refuses a jump out of the program", { I_JA(5), I_EXIT() }, 2 },
		{ "refuses an 8-byte packet load", { I_RAW(BPF_LD | BPF_ABS | BPF_DW, 0, 0, 0, 0), I_EXIT() }, 2 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct bpf_prog *p = load(bad[i].insns, bad[i].len, -1);
		CHECK(bad[i].what, bpf_jit_compile(p) < 0 && !p->jited);
		unload(p);
	}
}

int main(void)
{
	unit_suite = "bpf_jit";
	run_table(jit_cases, ARRAY_SIZE(jit_cases));
	run_table(own_cases, ARRAY_SIZE(own_cases));
	tail_calls();
	packet_loads();
	refusals();
	CHECK_EQ("every image freed", images_live, 0);
	CHECK_EQ("every symbol removed", ksyms_live, 0);
	return unit_done();
}
