/*
 * eBPF programs with known results, for the JIT's tests (course section:
 * eBPF, the revolution in kernel programming -- "from bytecode to machine
 * code").
 *
 * One table, two users: tests/unit/test_bpf_jit.c JITs each program on the
 * host and runs the machine code; user/tests/bpf_jit.c loads each one with
 * bpf(2) and runs it by BPF_PROG_TEST_RUN, JIT'd and interpreted, on
 * sysgate and on Linux. So every program here is one Linux's verifier
 * accepts as a socket filter, and each case targets a place where the
 * translation to x86 is not one-for-one: 32-bit zero-extension, division
 * (x86 traps on 0 and wants rax/rdx), shifts (x86 wants the count in cl,
 * eBPF's r4), jumps whose size depends on their distance, atomics, the
 * stack below r10, registers kept across helper calls.
 *
 * Instructions are written with bpf_insn.h's macros.
 */
#ifndef BPF_JIT_CASES_H
#define BPF_JIT_CASES_H

#include <stdint.h>

#include "bpf_insn.h"

#define JIT_CASE_MAX 96

struct jit_case {
	const char *name;
	uint64_t want;
	uint32_t len;
	struct bpf_insn insns[JIT_CASE_MAX];
};

#define JIT_CASE(nm, w, ...) \
	{ nm, w, sizeof((struct bpf_insn[]){ __VA_ARGS__ }) / sizeof(struct bpf_insn), { __VA_ARGS__ } }

/* "if taken, skip setting the bit": the result's bits are the jumps NOT taken. */
#define NOT_TAKEN_BIT(jump, bit) jump, I_ALU64_IMM(BPF_OR, R0, 1 << (bit))

#define REP5(...) __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__
#define REP10(...) REP5(__VA_ARGS__), REP5(__VA_ARGS__)
#define REP30(...) REP10(__VA_ARGS__), REP10(__VA_ARGS__), REP10(__VA_ARGS__)

static const struct jit_case jit_cases[] = {
	JIT_CASE("alu64 add sub mul", (uint64_t)-999880,
		 I_MOV64_IMM(R0, 7), I_MOV64_IMM(R1, 5), I_ALU64_REG(BPF_ADD, R0, R1),
		 I_ALU64_IMM(BPF_SUB, R0, 20), I_ALU64_REG(BPF_MUL, R0, R1),
		 I_ALU64_IMM(BPF_MUL, R0, -3), I_ALU64_IMM(BPF_ADD, R0, -1000000), I_EXIT()),
	JIT_CASE("alu32 wraps and zero-extends", 0xfffffff7,
		 I_MOV64_IMM(R0, -1), I_ALU32_IMM(BPF_ADD, R0, 1), I_MOV64_IMM(R1, -1),
		 I_MOV32_REG(R1, R1), I_ALU64_REG(BPF_ADD, R0, R1), I_MOV32_IMM(R2, -2),
		 I_ALU64_REG(BPF_ADD, R0, R2), I_ALU32_IMM(BPF_MUL, R0, 3), I_EXIT()),
	JIT_CASE("and or xor neg", 0xffffffffffffff0cull,
		 I_MOV64_IMM(R0, 0xff00), I_MOV64_IMM(R1, 0x0ff0), I_ALU64_REG(BPF_AND, R0, R1),
		 I_ALU64_IMM(BPF_OR, R0, 3), I_ALU64_REG(BPF_XOR, R0, R1), I_NEG64(R0), I_NEG32(R0),
		 I_ALU64_IMM(BPF_XOR, R0, -1), I_EXIT()),
	JIT_CASE("div and mod", 0x5555555555556357ull,
		 I_MOV64_IMM(R0, 100), I_MOV64_IMM(R1, 7), I_MOV64_REG(R2, R0),
		 I_ALU64_REG(BPF_DIV, R0, R1), I_ALU64_REG(BPF_MOD, R2, R1), I_ALU64_IMM(BPF_LSH, R0, 8),
		 I_ALU64_REG(BPF_ADD, R0, R2), I_MOV64_IMM(R3, -1), I_ALU64_IMM(BPF_DIV, R3, 3),
		 I_ALU64_REG(BPF_ADD, R0, R3), I_EXIT()),
	JIT_CASE("division by a zero register", 75,
		 I_MOV64_IMM(R0, 10), I_MOV64_IMM(R1, 0), I_ALU64_REG(BPF_DIV, R0, R1),
		 I_MOV64_IMM(R2, 10), I_ALU64_REG(BPF_MOD, R2, R1), I_ALU64_REG(BPF_ADD, R0, R2),
		 I_MOV32_IMM(R3, 33), I_LD_IMM64(R4, 0x100000020ull), I_ALU32_REG(BPF_MOD, R4, R1),
		 I_ALU64_REG(BPF_ADD, R0, R4), I_MOV32_IMM(R5, 77), I_ALU32_REG(BPF_DIV, R5, R1),
		 I_ALU64_REG(BPF_ADD, R0, R5), I_ALU64_REG(BPF_ADD, R0, R3), I_EXIT()),
	JIT_CASE("division with r0 and r3 (rax, rdx)", 73,
		 I_MOV64_IMM(R0, 1000), I_MOV64_IMM(R3, 7), I_ALU64_REG(BPF_DIV, R0, R3),
		 I_MOV64_IMM(R4, 50), I_ALU64_REG(BPF_MOD, R4, R0), I_ALU64_REG(BPF_MUL, R3, R4),
		 I_ALU64_REG(BPF_DIV, R0, R0), I_ALU64_REG(BPF_MOD, R3, R3), I_ALU64_REG(BPF_ADD, R0, R3),
		 I_ALU64_REG(BPF_ADD, R0, R4), I_MOV64_IMM(R5, 90), I_MOV64_IMM(R6, 4),
		 I_ALU64_REG(BPF_DIV, R5, R6), I_ALU64_REG(BPF_ADD, R0, R5), I_EXIT()),
	JIT_CASE("shifts", 0x80000007,
		 I_MOV64_IMM(R0, 1), I_ALU64_IMM(BPF_LSH, R0, 63), I_ALU64_IMM(BPF_ARSH, R0, 60),
		 I_MOV64_REG(R1, R0), I_ALU64_IMM(BPF_RSH, R1, 60), I_ALU64_REG(BPF_XOR, R0, R1),
		 I_ALU32_IMM(BPF_RSH, R0, 4), I_MOV64_IMM(R2, 3), I_ALU32_REG(BPF_LSH, R0, R2),
		 I_ALU64_REG(BPF_ADD, R0, R1), I_EXIT()),
	JIT_CASE("shifts by r4 (cl) and of r4", 0x10000118,
		 I_MOV64_IMM(R4, 5), I_MOV64_IMM(R0, 3), I_ALU64_REG(BPF_LSH, R0, R4),
		 I_ALU64_REG(BPF_LSH, R4, R4), I_ALU64_REG(BPF_ADD, R0, R4), I_MOV64_IMM(R1, 2),
		 I_ALU64_REG(BPF_RSH, R4, R1), I_ALU64_REG(BPF_ADD, R0, R4), I_MOV64_IMM(R5, -64),
		 I_ALU64_REG(BPF_ARSH, R5, R1), I_ALU64_REG(BPF_ADD, R0, R5), I_MOV32_IMM(R6, -1),
		 I_MOV64_IMM(R7, 36), I_ALU32_REG(BPF_RSH, R6, R7), I_ALU64_REG(BPF_ADD, R0, R6),
		 I_MOV64_IMM(R1, 0), I_LD_IMM64(R2, 0xffffffff00000001ull), I_ALU32_REG(BPF_LSH, R2, R1),
		 I_ALU64_REG(BPF_ADD, R0, R2), I_EXIT()),
	JIT_CASE("byte swaps", 0x807060511101e1dull,
		 I_LD_IMM64(R0, 0x0102030405060708ull), I_MOV64_REG(R1, R0), I_ENDIAN(BPF_TO_BE, R1, 16),
		 I_MOV64_REG(R2, R0), I_ENDIAN(BPF_TO_BE, R2, 32), I_MOV64_REG(R3, R0),
		 I_ENDIAN(BPF_TO_BE, R3, 64), I_MOV64_REG(R4, R0), I_ENDIAN(BPF_TO_LE, R4, 16),
		 I_MOV64_REG(R5, R0), I_ENDIAN(BPF_TO_LE, R5, 32), I_ENDIAN(BPF_TO_LE, R0, 64),
		 I_MOV64_REG(R0, R1), I_ALU64_REG(BPF_ADD, R0, R2), I_ALU64_REG(BPF_ADD, R0, R3),
		 I_ALU64_REG(BPF_ADD, R0, R4), I_ALU64_REG(BPF_ADD, R0, R5), I_EXIT()),
	JIT_CASE("jumps, 64-bit compares", 0x16a2,
		 I_MOV64_IMM(R1, -5), I_MOV64_IMM(R2, 3), I_MOV64_IMM(R0, 0),
		 NOT_TAKEN_BIT(I_JMP_REG(BPF_JGT, R1, R2, 1), 0),
		 NOT_TAKEN_BIT(I_JMP_REG(BPF_JSGT, R1, R2, 1), 1),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JGE, R2, 3, 1), 2),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JSGE, R1, -5, 1), 3),
		 NOT_TAKEN_BIT(I_JMP_REG(BPF_JLT, R2, R1, 1), 4),
		 NOT_TAKEN_BIT(I_JMP_REG(BPF_JSLT, R2, R1, 1), 5),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JLE, R1, -5, 1), 6),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JSLE, R1, -6, 1), 7),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JEQ, R1, -5, 1), 8),
		 NOT_TAKEN_BIT(I_JMP_REG(BPF_JNE, R1, R1, 1), 9),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JSET, R1, 4, 1), 10),
		 NOT_TAKEN_BIT(I_JMP_REG(BPF_JSET, R2, R2, 1), 11),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JEQ, R2, 0, 1), 12),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JNE, R2, 0, 1), 13), I_EXIT()),
	JIT_CASE("jumps, 32-bit compares (JMP32)", 0x1e2,
		 I_LD_IMM64(R1, 0x1fffffffbull), I_LD_IMM64(R2, 0x100000003ull), I_MOV64_IMM(R0, 0),
		 NOT_TAKEN_BIT(I_JMP32_REG(BPF_JGT, R1, R2, 1), 0),
		 NOT_TAKEN_BIT(I_JMP32_REG(BPF_JSGT, R1, R2, 1), 1),
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JEQ, R2, 3, 1), 2),
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JSLT, R1, 0, 1), 3),
		 NOT_TAKEN_BIT(I_JMP32_REG(BPF_JLE, R2, R1, 1), 4),
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JNE, R1, -5, 1), 5),
		 NOT_TAKEN_BIT(I_JMP32_IMM(BPF_JSET, R2, 4, 1), 6),
		 NOT_TAKEN_BIT(I_JMP_IMM(BPF_JEQ, R2, 3, 1), 7),
		 NOT_TAKEN_BIT(I_JMP32_REG(BPF_JSGE, R1, R2, 1), 8), I_EXIT()),
	JIT_CASE("bounded loop", 500500,
		 I_MOV64_IMM(R0, 0), I_MOV64_IMM(R1, 0), I_ALU64_IMM(BPF_ADD, R1, 1),
		 I_ALU64_REG(BPF_ADD, R0, R1), I_JMP_IMM(BPF_JLT, R1, 1000, -3), I_EXIT()),
	JIT_CASE("jumps longer than 127 bytes", 6710851,
		 I_MOV64_IMM(R0, 1), I_JMP_IMM(BPF_JEQ, R0, 1, 40),
		 REP10(I_LD_IMM64(R0, 0xdeadbeefcafef00dull)), REP10(I_LD_IMM64(R0, 0x1234567890ull)),
		 I_MOV64_IMM(R1, 0), REP30(I_ALU64_IMM(BPF_ADD, R0, 0x12345)), I_ALU64_IMM(BPF_ADD, R1, 1),
		 I_JMP_IMM(BPF_JLT, R1, 3, -32), I_EXIT()),
	JIT_CASE("stack, every size, r10 as a value", 0x1668978d6ull,
		 I_LD_IMM64(R1, 0x1122334455667788ull), I_STX(BPF_DW, R10, R1, -8),
		 I_STX(BPF_W, R10, R1, -16), I_STX(BPF_H, R10, R1, -20),
		 I_STX(BPF_B, R10, R1, -21), I_ST(BPF_W, R10, -28, -2),
		 I_ST(BPF_DW, R10, -40, -3), I_LDX(BPF_B, R0, R10, -8),
		 I_LDX(BPF_H, R2, R10, -6), I_ALU64_REG(BPF_ADD, R0, R2),
		 I_LDX(BPF_W, R3, R10, -4), I_ALU64_REG(BPF_ADD, R0, R3),
		 I_LDX(BPF_W, R4, R10, -16), I_ALU64_REG(BPF_ADD, R0, R4),
		 I_LDX(BPF_H, R5, R10, -20), I_ALU64_REG(BPF_ADD, R0, R5),
		 I_LDX(BPF_B, R6, R10, -21), I_ALU64_REG(BPF_ADD, R0, R6),
		 I_LDX(BPF_W, R7, R10, -28), I_ALU64_REG(BPF_ADD, R0, R7),
		 I_LDX(BPF_DW, R8, R10, -40), I_ALU64_REG(BPF_ADD, R0, R8), I_MOV64_REG(R1, R10),
		 I_ALU64_IMM(BPF_ADD, R1, -8), I_LDX(BPF_DW, R9, R1, 0), I_ALU64_IMM(BPF_RSH, R9, 56),
		 I_ALU64_REG(BPF_ADD, R0, R9), I_EXIT()),
	JIT_CASE("atomics, 64-bit", 519,
		 I_ST(BPF_DW, R10, -8, 10), I_MOV64_IMM(R1, 5),
		 I_ATOMIC(BPF_DW, BPF_ADD, R10, R1, -8), I_MOV64_IMM(R2, 3),
		 I_ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, R10, R2, -8), I_MOV64_IMM(R3, 0x0f),
		 I_ATOMIC(BPF_DW, BPF_OR | BPF_FETCH, R10, R3, -8), I_MOV64_IMM(R4, 0x3c),
		 I_ATOMIC(BPF_DW, BPF_AND | BPF_FETCH, R10, R4, -8), I_MOV64_IMM(R5, 0xff),
		 I_ATOMIC(BPF_DW, BPF_XOR | BPF_FETCH, R10, R5, -8), I_MOV64_IMM(R6, 7),
		 I_ATOMIC(BPF_DW, BPF_XCHG, R10, R6, -8), I_MOV64_IMM(R0, 7), I_MOV64_IMM(R7, 100),
		 I_ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R7, -8), I_MOV64_IMM(R0, 5), I_MOV64_IMM(R8, 200),
		 I_ATOMIC(BPF_DW, BPF_CMPXCHG, R10, R8, -8), I_MOV64_IMM(R9, 0x1000),
		 I_ATOMIC(BPF_DW, BPF_OR, R10, R9, -8), I_ATOMIC(BPF_DW, BPF_XOR, R10, R9, -8),
		 I_LDX(BPF_DW, R1, R10, -8), I_ALU64_REG(BPF_ADD, R0, R1), I_ALU64_REG(BPF_ADD, R0, R2),
		 I_ALU64_REG(BPF_ADD, R0, R3), I_ALU64_REG(BPF_ADD, R0, R4), I_ALU64_REG(BPF_ADD, R0, R5),
		 I_ALU64_REG(BPF_ADD, R0, R6), I_EXIT()),
	JIT_CASE("atomics, 32-bit", 0x1000000dfull,
		 I_ST(BPF_W, R10, -4, 0xfffffff0), I_ST(BPF_W, R10, -8, 0), I_MOV64_IMM(R1, 0x20),
		 I_ATOMIC(BPF_W, BPF_ADD | BPF_FETCH, R10, R1, -4), I_LD_IMM64(R2, 0xffffffff00000003ull),
		 I_ATOMIC(BPF_W, BPF_OR | BPF_FETCH, R10, R2, -4), I_LD_IMM64(R0, 0xabcdef0000000013ull),
		 I_MOV64_IMM(R3, 0x55), I_ATOMIC(BPF_W, BPF_CMPXCHG, R10, R3, -4), I_MOV64_IMM(R4, 0x77),
		 I_ATOMIC(BPF_W, BPF_XCHG, R10, R4, -4), I_ALU64_REG(BPF_ADD, R0, R1),
		 I_ALU64_REG(BPF_ADD, R0, R2), I_ALU64_REG(BPF_ADD, R0, R4), I_LDX(BPF_W, R5, R10, -4),
		 I_ALU64_REG(BPF_ADD, R0, R5), I_EXIT()),
	JIT_CASE("64-bit immediates", 0x80000000fffffffeull,
		 I_LD_IMM64(R0, 0x8000000000000001ull), I_LD_IMM64(R1, 0xffffffffull),
		 I_LD_IMM64(R2, (uint64_t)-2), I_ALU64_REG(BPF_ADD, R0, R1), I_ALU64_REG(BPF_ADD, R0, R2),
		 I_EXIT()),
	JIT_CASE("r6-r9 survive a helper call", 6789,
		 I_MOV64_IMM(R6, 6), I_MOV64_IMM(R7, 7), I_MOV64_IMM(R8, 8), I_MOV64_IMM(R9, 9),
		 I_CALL(BPF_FUNC_get_smp_processor_id), I_MOV64_REG(R0, R6),
		 I_ALU64_IMM(BPF_MUL, R0, 10), I_ALU64_REG(BPF_ADD, R0, R7), I_ALU64_IMM(BPF_MUL, R0, 10),
		 I_ALU64_REG(BPF_ADD, R0, R8), I_ALU64_IMM(BPF_MUL, R0, 10), I_ALU64_REG(BPF_ADD, R0, R9),
		 I_EXIT()),
};

#endif
