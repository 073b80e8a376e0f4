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
 * Include abi/bpf.h (or the kernel's copy) before this file.
 */
#ifndef BPF_JIT_CASES_H
#define BPF_JIT_CASES_H

#include <stdint.h>

/* Instructions, named as Linux's samples and selftests name them. */
#define BPF_RAW(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define BPF_ALU64_IMM(op, d, i) BPF_RAW(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define BPF_ALU64_REG(op, d, s) BPF_RAW(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define BPF_ALU32_IMM(op, d, i) BPF_RAW(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define BPF_ALU32_REG(op, d, s) BPF_RAW(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define BPF_MOV64_IMM(d, i) BPF_ALU64_IMM(BPF_MOV, d, i)
#define BPF_MOV64_REG(d, s) BPF_ALU64_REG(BPF_MOV, d, s)
#define BPF_MOV32_IMM(d, i) BPF_ALU32_IMM(BPF_MOV, d, i)
#define BPF_MOV32_REG(d, s) BPF_ALU32_REG(BPF_MOV, d, s)
#define BPF_NEG64(d) BPF_RAW(BPF_ALU64 | BPF_NEG, d, 0, 0, 0)
#define BPF_NEG32(d) BPF_RAW(BPF_ALU | BPF_NEG, d, 0, 0, 0)
#define BPF_ENDIAN(type, d, bits) BPF_RAW(BPF_ALU | BPF_END | (type), d, 0, 0, bits)
#define BPF_LD_IMM64(d, v)                                                   \
	BPF_RAW(BPF_LD | BPF_DW | BPF_IMM, d, 0, 0, (int32_t)(uint32_t)(v)), \
	BPF_RAW(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define BPF_LDX_MEM(sz, d, s, o) BPF_RAW(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define BPF_STX_MEM(sz, d, s, o) BPF_RAW(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define BPF_ST_MEM(sz, d, o, i) BPF_RAW(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define BPF_ATOMIC_OP(sz, op, d, s, o) BPF_RAW(BPF_STX | (sz) | BPF_ATOMIC, d, s, o, op)
#define BPF_JMP_IMM(op, d, i, o) BPF_RAW(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define BPF_JMP_REG(op, d, s, o) BPF_RAW(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define BPF_JMP32_IMM(op, d, i, o) BPF_RAW(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define BPF_JMP32_REG(op, d, s, o) BPF_RAW(BPF_JMP32 | (op) | BPF_X, d, s, o, 0)
#define BPF_JMP_A(o) BPF_RAW(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define BPF_CALL_HELPER(id) BPF_RAW(BPF_JMP | BPF_CALL, 0, 0, 0, id)
#define BPF_EXIT_INSN() BPF_RAW(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R8 BPF_REG_8
#define R9 BPF_REG_9
#define R10 BPF_REG_10

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
#define NOT_TAKEN_BIT(jump, bit) jump, BPF_ALU64_IMM(BPF_OR, R0, 1 << (bit))

#define REP5(...) __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__
#define REP10(...) REP5(__VA_ARGS__), REP5(__VA_ARGS__)
#define REP30(...) REP10(__VA_ARGS__), REP10(__VA_ARGS__), REP10(__VA_ARGS__)

static const struct jit_case jit_cases[] = {
	JIT_CASE("alu64 add sub mul", (uint64_t)-999880,
		 BPF_MOV64_IMM(R0, 7), BPF_MOV64_IMM(R1, 5), BPF_ALU64_REG(BPF_ADD, R0, R1),
		 BPF_ALU64_IMM(BPF_SUB, R0, 20), BPF_ALU64_REG(BPF_MUL, R0, R1),
		 BPF_ALU64_IMM(BPF_MUL, R0, -3), BPF_ALU64_IMM(BPF_ADD, R0, -1000000), BPF_EXIT_INSN()),
	JIT_CASE("alu32 wraps and zero-extends", 0xfffffff7,
		 BPF_MOV64_IMM(R0, -1), BPF_ALU32_IMM(BPF_ADD, R0, 1), BPF_MOV64_IMM(R1, -1),
		 BPF_MOV32_REG(R1, R1), BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_MOV32_IMM(R2, -2),
		 BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_ALU32_IMM(BPF_MUL, R0, 3), BPF_EXIT_INSN()),
	JIT_CASE("and or xor neg", 0xffffffffffffff0cull,
		 BPF_MOV64_IMM(R0, 0xff00), BPF_MOV64_IMM(R1, 0x0ff0), BPF_ALU64_REG(BPF_AND, R0, R1),
		 BPF_ALU64_IMM(BPF_OR, R0, 3), BPF_ALU64_REG(BPF_XOR, R0, R1), BPF_NEG64(R0), BPF_NEG32(R0),
		 BPF_ALU64_IMM(BPF_XOR, R0, -1), BPF_EXIT_INSN()),
	JIT_CASE("div and mod", 0x5555555555556357ull,
		 BPF_MOV64_IMM(R0, 100), BPF_MOV64_IMM(R1, 7), BPF_MOV64_REG(R2, R0),
		 BPF_ALU64_REG(BPF_DIV, R0, R1), BPF_ALU64_REG(BPF_MOD, R2, R1), BPF_ALU64_IMM(BPF_LSH, R0, 8),
		 BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_MOV64_IMM(R3, -1), BPF_ALU64_IMM(BPF_DIV, R3, 3),
		 BPF_ALU64_REG(BPF_ADD, R0, R3), BPF_EXIT_INSN()),
	JIT_CASE("division by a zero register", 75,
		 BPF_MOV64_IMM(R0, 10), BPF_MOV64_IMM(R1, 0), BPF_ALU64_REG(BPF_DIV, R0, R1),
		 BPF_MOV64_IMM(R2, 10), BPF_ALU64_REG(BPF_MOD, R2, R1), BPF_ALU64_REG(BPF_ADD, R0, R2),
		 BPF_MOV32_IMM(R3, 33), BPF_LD_IMM64(R4, 0x100000020ull), BPF_ALU32_REG(BPF_MOD, R4, R1),
		 BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_MOV32_IMM(R5, 77), BPF_ALU32_REG(BPF_DIV, R5, R1),
		 BPF_ALU64_REG(BPF_ADD, R0, R5), BPF_ALU64_REG(BPF_ADD, R0, R3), BPF_EXIT_INSN()),
	JIT_CASE("division with r0 and r3 (rax, rdx)", 73,
		 BPF_MOV64_IMM(R0, 1000), BPF_MOV64_IMM(R3, 7), BPF_ALU64_REG(BPF_DIV, R0, R3),
		 BPF_MOV64_IMM(R4, 50), BPF_ALU64_REG(BPF_MOD, R4, R0), BPF_ALU64_REG(BPF_MUL, R3, R4),
		 BPF_ALU64_REG(BPF_DIV, R0, R0), BPF_ALU64_REG(BPF_MOD, R3, R3), BPF_ALU64_REG(BPF_ADD, R0, R3),
		 BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_MOV64_IMM(R5, 90), BPF_MOV64_IMM(R6, 4),
		 BPF_ALU64_REG(BPF_DIV, R5, R6), BPF_ALU64_REG(BPF_ADD, R0, R5), BPF_EXIT_INSN()),
	JIT_CASE("shifts", 0x80000007,
		 BPF_MOV64_IMM(R0, 1), BPF_ALU64_IMM(BPF_LSH, R0, 63), BPF_ALU64_IMM(BPF_ARSH, R0, 60),
		 BPF_MOV64_REG(R1, R0), BPF_ALU64_IMM(BPF_RSH, R1, 60), BPF_ALU64_REG(BPF_XOR, R0, R1),
		 BPF_ALU32_IMM(BPF_RSH, R0, 4), BPF_MOV64_IMM(R2, 3), BPF_ALU32_REG(BPF_LSH, R0, R2),
		 BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_EXIT_INSN()),
	JIT_CASE("shifts by r4 (cl) and of r4", 0x10000118,
		 BPF_MOV64_IMM(R4, 5), BPF_MOV64_IMM(R0, 3), BPF_ALU64_REG(BPF_LSH, R0, R4),
		 BPF_ALU64_REG(BPF_LSH, R4, R4), BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_MOV64_IMM(R1, 2),
		 BPF_ALU64_REG(BPF_RSH, R4, R1), BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_MOV64_IMM(R5, -64),
		 BPF_ALU64_REG(BPF_ARSH, R5, R1), BPF_ALU64_REG(BPF_ADD, R0, R5), BPF_MOV32_IMM(R6, -1),
		 BPF_MOV64_IMM(R7, 36), BPF_ALU32_REG(BPF_RSH, R6, R7), BPF_ALU64_REG(BPF_ADD, R0, R6),
		 BPF_MOV64_IMM(R1, 0), BPF_LD_IMM64(R2, 0xffffffff00000001ull), BPF_ALU32_REG(BPF_LSH, R2, R1),
		 BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_EXIT_INSN()),
	JIT_CASE("byte swaps", 0x807060511101e1dull,
		 BPF_LD_IMM64(R0, 0x0102030405060708ull), BPF_MOV64_REG(R1, R0), BPF_ENDIAN(BPF_TO_BE, R1, 16),
		 BPF_MOV64_REG(R2, R0), BPF_ENDIAN(BPF_TO_BE, R2, 32), BPF_MOV64_REG(R3, R0),
		 BPF_ENDIAN(BPF_TO_BE, R3, 64), BPF_MOV64_REG(R4, R0), BPF_ENDIAN(BPF_TO_LE, R4, 16),
		 BPF_MOV64_REG(R5, R0), BPF_ENDIAN(BPF_TO_LE, R5, 32), BPF_ENDIAN(BPF_TO_LE, R0, 64),
		 BPF_MOV64_REG(R0, R1), BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_ALU64_REG(BPF_ADD, R0, R3),
		 BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_ALU64_REG(BPF_ADD, R0, R5), BPF_EXIT_INSN()),
	JIT_CASE("jumps, 64-bit compares", 0x16a2,
		 BPF_MOV64_IMM(R1, -5), BPF_MOV64_IMM(R2, 3), BPF_MOV64_IMM(R0, 0),
		 NOT_TAKEN_BIT(BPF_JMP_REG(BPF_JGT, R1, R2, 1), 0),
		 NOT_TAKEN_BIT(BPF_JMP_REG(BPF_JSGT, R1, R2, 1), 1),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JGE, R2, 3, 1), 2),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JSGE, R1, -5, 1), 3),
		 NOT_TAKEN_BIT(BPF_JMP_REG(BPF_JLT, R2, R1, 1), 4),
		 NOT_TAKEN_BIT(BPF_JMP_REG(BPF_JSLT, R2, R1, 1), 5),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JLE, R1, -5, 1), 6),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JSLE, R1, -6, 1), 7),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JEQ, R1, -5, 1), 8),
		 NOT_TAKEN_BIT(BPF_JMP_REG(BPF_JNE, R1, R1, 1), 9),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JSET, R1, 4, 1), 10),
		 NOT_TAKEN_BIT(BPF_JMP_REG(BPF_JSET, R2, R2, 1), 11),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JEQ, R2, 0, 1), 12),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JNE, R2, 0, 1), 13), BPF_EXIT_INSN()),
	JIT_CASE("jumps, 32-bit compares (JMP32)", 0x1e2,
		 BPF_LD_IMM64(R1, 0x1fffffffbull), BPF_LD_IMM64(R2, 0x100000003ull), BPF_MOV64_IMM(R0, 0),
		 NOT_TAKEN_BIT(BPF_JMP32_REG(BPF_JGT, R1, R2, 1), 0),
		 NOT_TAKEN_BIT(BPF_JMP32_REG(BPF_JSGT, R1, R2, 1), 1),
		 NOT_TAKEN_BIT(BPF_JMP32_IMM(BPF_JEQ, R2, 3, 1), 2),
		 NOT_TAKEN_BIT(BPF_JMP32_IMM(BPF_JSLT, R1, 0, 1), 3),
		 NOT_TAKEN_BIT(BPF_JMP32_REG(BPF_JLE, R2, R1, 1), 4),
		 NOT_TAKEN_BIT(BPF_JMP32_IMM(BPF_JNE, R1, -5, 1), 5),
		 NOT_TAKEN_BIT(BPF_JMP32_IMM(BPF_JSET, R2, 4, 1), 6),
		 NOT_TAKEN_BIT(BPF_JMP_IMM(BPF_JEQ, R2, 3, 1), 7),
		 NOT_TAKEN_BIT(BPF_JMP32_REG(BPF_JSGE, R1, R2, 1), 8), BPF_EXIT_INSN()),
	JIT_CASE("bounded loop", 500500,
		 BPF_MOV64_IMM(R0, 0), BPF_MOV64_IMM(R1, 0), BPF_ALU64_IMM(BPF_ADD, R1, 1),
		 BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_JMP_IMM(BPF_JLT, R1, 1000, -3), BPF_EXIT_INSN()),
	JIT_CASE("jumps longer than 127 bytes", 6710851,
		 BPF_MOV64_IMM(R0, 1), BPF_JMP_IMM(BPF_JEQ, R0, 1, 40),
		 REP10(BPF_LD_IMM64(R0, 0xdeadbeefcafef00dull)), REP10(BPF_LD_IMM64(R0, 0x1234567890ull)),
		 BPF_MOV64_IMM(R1, 0), REP30(BPF_ALU64_IMM(BPF_ADD, R0, 0x12345)), BPF_ALU64_IMM(BPF_ADD, R1, 1),
		 BPF_JMP_IMM(BPF_JLT, R1, 3, -32), BPF_EXIT_INSN()),
	JIT_CASE("stack, every size, r10 as a value", 0x1668978d6ull,
		 BPF_LD_IMM64(R1, 0x1122334455667788ull), BPF_STX_MEM(BPF_DW, R10, R1, -8),
		 BPF_STX_MEM(BPF_W, R10, R1, -16), BPF_STX_MEM(BPF_H, R10, R1, -20),
		 BPF_STX_MEM(BPF_B, R10, R1, -21), BPF_ST_MEM(BPF_W, R10, -28, -2),
		 BPF_ST_MEM(BPF_DW, R10, -40, -3), BPF_LDX_MEM(BPF_B, R0, R10, -8),
		 BPF_LDX_MEM(BPF_H, R2, R10, -6), BPF_ALU64_REG(BPF_ADD, R0, R2),
		 BPF_LDX_MEM(BPF_W, R3, R10, -4), BPF_ALU64_REG(BPF_ADD, R0, R3),
		 BPF_LDX_MEM(BPF_W, R4, R10, -16), BPF_ALU64_REG(BPF_ADD, R0, R4),
		 BPF_LDX_MEM(BPF_H, R5, R10, -20), BPF_ALU64_REG(BPF_ADD, R0, R5),
		 BPF_LDX_MEM(BPF_B, R6, R10, -21), BPF_ALU64_REG(BPF_ADD, R0, R6),
		 BPF_LDX_MEM(BPF_W, R7, R10, -28), BPF_ALU64_REG(BPF_ADD, R0, R7),
		 BPF_LDX_MEM(BPF_DW, R8, R10, -40), BPF_ALU64_REG(BPF_ADD, R0, R8), BPF_MOV64_REG(R1, R10),
		 BPF_ALU64_IMM(BPF_ADD, R1, -8), BPF_LDX_MEM(BPF_DW, R9, R1, 0), BPF_ALU64_IMM(BPF_RSH, R9, 56),
		 BPF_ALU64_REG(BPF_ADD, R0, R9), BPF_EXIT_INSN()),
	JIT_CASE("atomics, 64-bit", 519,
		 BPF_ST_MEM(BPF_DW, R10, -8, 10), BPF_MOV64_IMM(R1, 5),
		 BPF_ATOMIC_OP(BPF_DW, BPF_ADD, R10, R1, -8), BPF_MOV64_IMM(R2, 3),
		 BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, R10, R2, -8), BPF_MOV64_IMM(R3, 0x0f),
		 BPF_ATOMIC_OP(BPF_DW, BPF_OR | BPF_FETCH, R10, R3, -8), BPF_MOV64_IMM(R4, 0x3c),
		 BPF_ATOMIC_OP(BPF_DW, BPF_AND | BPF_FETCH, R10, R4, -8), BPF_MOV64_IMM(R5, 0xff),
		 BPF_ATOMIC_OP(BPF_DW, BPF_XOR | BPF_FETCH, R10, R5, -8), BPF_MOV64_IMM(R6, 7),
		 BPF_ATOMIC_OP(BPF_DW, BPF_XCHG, R10, R6, -8), BPF_MOV64_IMM(R0, 7), BPF_MOV64_IMM(R7, 100),
		 BPF_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, R10, R7, -8), BPF_MOV64_IMM(R0, 5), BPF_MOV64_IMM(R8, 200),
		 BPF_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, R10, R8, -8), BPF_MOV64_IMM(R9, 0x1000),
		 BPF_ATOMIC_OP(BPF_DW, BPF_OR, R10, R9, -8), BPF_ATOMIC_OP(BPF_DW, BPF_XOR, R10, R9, -8),
		 BPF_LDX_MEM(BPF_DW, R1, R10, -8), BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_ALU64_REG(BPF_ADD, R0, R2),
		 BPF_ALU64_REG(BPF_ADD, R0, R3), BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_ALU64_REG(BPF_ADD, R0, R5),
		 BPF_ALU64_REG(BPF_ADD, R0, R6), BPF_EXIT_INSN()),
	JIT_CASE("atomics, 32-bit", 0x1000000dfull,
		 BPF_ST_MEM(BPF_W, R10, -4, 0xfffffff0), BPF_ST_MEM(BPF_W, R10, -8, 0), BPF_MOV64_IMM(R1, 0x20),
		 BPF_ATOMIC_OP(BPF_W, BPF_ADD | BPF_FETCH, R10, R1, -4), BPF_LD_IMM64(R2, 0xffffffff00000003ull),
		 BPF_ATOMIC_OP(BPF_W, BPF_OR | BPF_FETCH, R10, R2, -4), BPF_LD_IMM64(R0, 0xabcdef0000000013ull),
		 BPF_MOV64_IMM(R3, 0x55), BPF_ATOMIC_OP(BPF_W, BPF_CMPXCHG, R10, R3, -4), BPF_MOV64_IMM(R4, 0x77),
		 BPF_ATOMIC_OP(BPF_W, BPF_XCHG, R10, R4, -4), BPF_ALU64_REG(BPF_ADD, R0, R1),
		 BPF_ALU64_REG(BPF_ADD, R0, R2), BPF_ALU64_REG(BPF_ADD, R0, R4), BPF_LDX_MEM(BPF_W, R5, R10, -4),
		 BPF_ALU64_REG(BPF_ADD, R0, R5), BPF_EXIT_INSN()),
	JIT_CASE("64-bit immediates", 0x80000000fffffffeull,
		 BPF_LD_IMM64(R0, 0x8000000000000001ull), BPF_LD_IMM64(R1, 0xffffffffull),
		 BPF_LD_IMM64(R2, (uint64_t)-2), BPF_ALU64_REG(BPF_ADD, R0, R1), BPF_ALU64_REG(BPF_ADD, R0, R2),
		 BPF_EXIT_INSN()),
	JIT_CASE("r6-r9 survive a helper call", 6789,
		 BPF_MOV64_IMM(R6, 6), BPF_MOV64_IMM(R7, 7), BPF_MOV64_IMM(R8, 8), BPF_MOV64_IMM(R9, 9),
		 BPF_CALL_HELPER(BPF_FUNC_get_smp_processor_id), BPF_MOV64_REG(R0, R6),
		 BPF_ALU64_IMM(BPF_MUL, R0, 10), BPF_ALU64_REG(BPF_ADD, R0, R7), BPF_ALU64_IMM(BPF_MUL, R0, 10),
		 BPF_ALU64_REG(BPF_ADD, R0, R8), BPF_ALU64_IMM(BPF_MUL, R0, 10), BPF_ALU64_REG(BPF_ADD, R0, R9),
		 BPF_EXIT_INSN()),
};

#endif
