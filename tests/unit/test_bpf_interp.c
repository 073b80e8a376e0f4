/*
 * Host unit test of the eBPF interpreter, kernel/bpf/interp.c (course
 * section: eBPF, the revolution in kernel programming).
 *
 * The interpreter is plain C over an array of instructions, so it runs
 * here on the JIT's shared table of programs with known results
 * (user/tests/bpf_jit_cases.h: the interpreter and the JIT must agree on
 * every one) and on this file's own: what only the interpreter's loop
 * shows (cpu v4's instructions, every atomic, JMP32's signed compares,
 * gotol, bpf-to-bpf calls, tail calls, LD_ABS/LD_IND past the packet).
 * The stand-ins (bpf_standins.h) play the kernel's helpers and a PROG_ARRAY.
 *
 * UNIT_SOURCES: kernel/bpf/interp.c
 */
#include "unit.h"
#include "kernel/bpf/bpf.h"

#include <string.h>

#include "user/tests/bpf_jit_cases.h"

#include "bpf_standins.h"

#define SDIV64(d, s) I_RAW(BPF_ALU64 | BPF_DIV | BPF_X, d, s, 1, 0)
#define SMOD64(d, s) I_RAW(BPF_ALU64 | BPF_MOD | BPF_X, d, s, 1, 0)
#define MOVSX64(d, s, bits) I_RAW(BPF_ALU64 | BPF_MOV | BPF_X, d, s, bits, 0)
#define MOVSX32(d, s, bits) I_RAW(BPF_ALU | BPF_MOV | BPF_X, d, s, bits, 0)
#define LDX_MEMSX(sz, d, s, o) I_RAW(BPF_LDX | (sz) | BPF_MEMSX, d, s, o, 0)
#define BSWAP64(d, bits) I_RAW(BPF_ALU64 | BPF_END, d, 0, 0, bits)
#define GOTOL(i) I_RAW(BPF_JMP32 | BPF_JA, 0, 0, 0, i)
#define CALL_LOCAL(rel) I_RAW(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel)

static const struct jit_case own_cases[] = {
	JIT_CASE("division and modulo by a register 0; INT64_MIN / -1", (uint64_t)INT64_MIN + 77 + 0,
		 I_MOV64_IMM(R1, 0), I_MOV64_IMM(R0, 77), I_ALU64_REG(BPF_MOD, R0, R1), I_MOV64_IMM(R2, 5),
		 I_ALU64_REG(BPF_DIV, R2, R1), I_ALU64_REG(BPF_ADD, R0, R2), I_LD_IMM64(R3, (uint64_t)INT64_MIN),
		 I_MOV64_IMM(R4, -1), SDIV64(R3, R4), I_ALU64_REG(BPF_ADD, R0, R3), I_EXIT()),
	JIT_CASE("32-bit modulo by 0 keeps the low half only", 0x89abcdefull,
		 I_LD_IMM64(R0, 0x0123456789abcdefull), I_MOV64_IMM(R1, 0), I_ALU32_REG(BPF_MOD, R0, R1), I_EXIT()),
	JIT_CASE("signed modulo keeps the dividend's sign", (uint64_t)-1,
		 I_MOV64_IMM(R0, -7), I_MOV64_IMM(R1, 2), SMOD64(R0, R1), I_EXIT()),
	JIT_CASE("movsx 32 into a 32-bit register", 0xffffff80ull,
		 I_MOV64_IMM(R1, 0x80), MOVSX32(R0, R1, 8), I_EXIT()),
	JIT_CASE("memsx byte and half", (uint64_t)-2 + (uint64_t)-1,
		 I_ST(BPF_DW, R10, -8, -2), LDX_MEMSX(BPF_B, R0, R10, -8), LDX_MEMSX(BPF_H, R1, R10, -6),
		 I_ALU64_REG(BPF_ADD, R0, R1), I_EXIT()),
	JIT_CASE("bswap16 and to_le 16 zero the rest", 0x0201 + 0x0708,
		 I_LD_IMM64(R0, 0x0102030405060102ull), BSWAP64(R0, 16), I_LD_IMM64(R1, 0x0102030405060708ull),
		 I_ENDIAN(BPF_TO_LE, R1, 16), I_ALU64_REG(BPF_ADD, R0, R1), I_EXIT()),
	/* 0xff & 0xf0 ^ 0x33 = 0xc3, swapped for 7; -1 + 6 in the low word only. */
	JIT_CASE("atomics: and, xor, xchg, 32-bit add", 7 + 0x60 + 0xc3 + 0xffffffff00000005ull - 0xc2,
		 I_ST(BPF_DW, R10, -8, 0xff), I_MOV64_IMM(R1, 0x0f0), I_ATOMIC(BPF_DW, BPF_AND, R10, R1, -8),
		 I_MOV64_IMM(R1, 0x33), I_ATOMIC(BPF_DW, BPF_XOR | BPF_FETCH, R10, R1, -8),
		 I_MOV64_IMM(R2, 7), I_ATOMIC(BPF_DW, BPF_XCHG, R10, R2, -8), /* r2 = 0xc3, mem = 7 */
		 I_LDX(BPF_DW, R0, R10, -8), I_ALU64_IMM(BPF_ADD, R0, 0x0f0 + 0x33 - 0xc3), I_ALU64_REG(BPF_ADD, R0, R2),
		 I_ST(BPF_DW, R10, -16, -1), I_MOV64_IMM(R3, 6), I_ATOMIC(BPF_W, BPF_ADD, R10, R3, -16),
		 I_LDX(BPF_DW, R4, R10, -16), I_ALU64_REG(BPF_ADD, R0, R4), I_ALU64_IMM(BPF_SUB, R0, 0xc3 - 1), I_EXIT()),
	JIT_CASE("cmpxchg: equal swaps, different does not; r0 gets the old value", 5 + 9 + 9,
		 I_ST(BPF_DW, R10, -8, 5), I_MOV64_IMM(R0, 5), I_MOV64_IMM(R1, 9),
		 I_ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R1, -8), I_MOV64_REG(R6, R0), I_MOV64_IMM(R0, 4),
		 I_MOV64_IMM(R1, 11), I_ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R1, -8), I_ALU64_REG(BPF_ADD, R6, R0),
		 I_LDX(BPF_DW, R0, R10, -8), I_ALU64_REG(BPF_ADD, R0, R6), I_EXIT()),
	JIT_CASE("jmp32 compares low halves, signed", 3,
		 I_LD_IMM64(R1, 0x00000001ffffffffull), I_MOV64_IMM(R0, 0),
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JSLT, R1, 0, 1), 0), /* taken: -1 < 0 */
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JGT, R1, 0, 1), 1),   /* taken: 0xffffffff > 0 */
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JEQ, R1, 1, 1), 0),   /* not taken: bit 0 set */
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JSLT, R1, 0, 1), 1), I_EXIT()), /* 64-bit: not taken */
	JIT_CASE("gotol jumps by imm", 2,
		 I_MOV64_IMM(R0, 1), GOTOL(1), I_MOV64_IMM(R0, 9), I_ALU64_IMM(BPF_ADD, R0, 1), I_EXIT()),
	JIT_CASE("a helper's five arguments", 54321,
		 I_MOV64_IMM(R1, 1), I_MOV64_IMM(R2, 2), I_MOV64_IMM(R3, 3), I_MOV64_IMM(R4, 4),
		 I_MOV64_IMM(R5, 5), I_CALL(HELPER_SUM5), I_EXIT()),
	JIT_CASE("bpf-to-bpf call: own frame, r6-r9 and the stack kept", 100 + 42 + 7,
		 I_MOV64_IMM(R6, 100), I_ST(BPF_DW, R10, -8, 7), I_MOV64_IMM(R1, 40), CALL_LOCAL(4),
		 I_ALU64_REG(BPF_ADD, R0, R6), I_LDX(BPF_DW, R1, R10, -8), I_ALU64_REG(BPF_ADD, R0, R1), I_EXIT(),
		 /* callee: r0 = r1 + 2, scribbling r6 and its own stack */
		 I_MOV64_IMM(R6, 1), I_ST(BPF_DW, R10, -8, 99), I_MOV64_REG(R0, R1), I_ALU64_IMM(BPF_ADD, R0, 2),
		 I_EXIT()),
};

static struct bpf_prog *load(const struct bpf_insn *insns, uint32_t len, uint32_t type)
{
	struct bpf_prog *p = calloc(1, sizeof(*p));
	p->insns = malloc(len * sizeof(*insns));
	memcpy(p->insns, insns, len * sizeof(*insns));
	p->len = len;
	p->type = type;
	return p;
}

static void unload(struct bpf_prog *p)
{
	free(p->insns);
	free(p);
}

static void run_table(const struct jit_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t ctx[4] = { 0, 0x1234, 0, 0 };
		struct bpf_prog *p = load(cases[i].insns, cases[i].len, BPF_PROG_TYPE_SOCKET_FILTER);
		CHECK_EQ(cases[i].name, bpf_interp_run(p, ctx), cases[i].want);
		unload(p);
	}
}

/* ctx[0] counts runs; slot 0 holds this same program: 1 + 33 runs. */
static void tail_calls(void)
{
	uint64_t map = (uint64_t)&prog_array;
	struct bpf_insn self[] = {
		I_LDX(BPF_DW, R0, R1, 0), I_ALU64_IMM(BPF_ADD, R0, 1), I_STX(BPF_DW, R1, R0, 0),
		I_MOV64_REG(R6, R1), I_LD_IMM64(R2, map), I_MOV64_IMM(R3, 0), I_CALL(BPF_FUNC_tail_call),
		I_LDX(BPF_DW, R0, R6, 0), I_EXIT(),
	};
	struct bpf_insn miss[] = {
		I_MOV64_IMM(R6, 5), I_LD_IMM64(R2, map), I_MOV64_IMM(R3, 1), I_CALL(BPF_FUNC_tail_call),
		I_LD_IMM64(R2, map), I_MOV64_IMM(R3, 7), I_CALL(BPF_FUNC_tail_call), I_MOV64_REG(R0, R6), I_EXIT(),
	};
	struct bpf_prog *a = load(self, ARRAY_SIZE(self), 0), *b = load(miss, ARRAY_SIZE(miss), 0);
	array_slots[0] = a;
	uint64_t ctx[1] = { 0 };
	CHECK_EQ("tail calls: at most 33, then the call falls through", bpf_interp_run(a, ctx),
		 1 + BPF_MAX_TAIL_CALL_CNT);
	CHECK_EQ("tail calls: an empty slot or an index past the end falls through", bpf_interp_run(b, ctx), 5);
	array_slots[0] = b;
	ctx[0] = 0;
	CHECK_EQ("tail calls: into another program, whose exit returns", bpf_interp_run(a, ctx), 5);
	array_slots[0] = NULL;
	unload(a);
	unload(b);
}

/* LD_ABS/LD_IND read big-endian from r6's packet; past its end the program returns 0. */
static void packet_loads(void)
{
	const uint8_t data[6] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };
	struct bpf_skb skb = { .ctx.len = sizeof(data), .data = data };
	struct bpf_insn ok[] = {
		I_MOV64_REG(R6, R1), I_LD_ABS(BPF_H, 0), I_MOV64_REG(R7, R0), I_MOV64_IMM(R8, 2),
		I_LD_IND(BPF_W, R8, 0), I_ALU64_IMM(BPF_LSH, R7, 32), I_ALU64_REG(BPF_OR, R0, R7), I_EXIT(),
	};
	struct bpf_insn past[] = {
		I_MOV64_REG(R6, R1), I_MOV64_IMM(R0, 9), I_LD_ABS(BPF_W, 3), I_MOV64_IMM(R0, 9), I_EXIT(),
	};
	struct bpf_prog *a = load(ok, ARRAY_SIZE(ok), BPF_PROG_TYPE_SOCKET_FILTER);
	struct bpf_prog *b = load(past, ARRAY_SIZE(past), BPF_PROG_TYPE_SOCKET_FILTER);
	CHECK_EQ("LD_ABS and LD_IND read big-endian", bpf_interp_run(a, &skb), 0x123400000000ull | 0x56789abc);
	CHECK_EQ("LD_ABS past the packet ends the program with 0", bpf_interp_run(b, &skb), 0);
	unload(a);
	unload(b);
}

int main(void)
{
	unit_suite = "bpf_interp";
	run_table(jit_cases, ARRAY_SIZE(jit_cases));
	run_table(own_cases, ARRAY_SIZE(own_cases));
	tail_calls();
	packet_loads();
	return unit_done();
}
