/*
 * Writing eBPF programs by hand (course section: eBPF, the revolution in
 * kernel programming).
 *
 * One macro per instruction form, each an initializer of struct bpf_insn
 * (libc/include/abi/bpf.h), so a program is an array a student can read
 * line by line:
 *
 *     struct bpf_insn prog[] = {
 *             I_MOV64_IMM(BPF_REG_0, 0),   r0 = 0
 *             I_EXIT(),                    return r0
 *     };
 *
 * Used by the verifier tests (user/tests/bpf_verifier*.c) and the host unit
 * test of the verifier (tests/unit/test_bpf_verifier.c).
 */
#ifndef USER_TESTS_BPF_INSN_H
#define USER_TESTS_BPF_INSN_H

#include "libc/include/abi/bpf.h"

#define I_RAW(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }

/* dst op= src, dst op= imm; 64-bit (ALU64) and 32-bit (ALU) forms. */
#define I_ALU64_REG(op, d, s) I_RAW(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define I_ALU64_IMM(op, d, i) I_RAW(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define I_ALU32_REG(op, d, s) I_RAW(BPF_ALU | (op) | BPF_X, d, s, 0, 0)
#define I_ALU32_IMM(op, d, i) I_RAW(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define I_MOV64_REG(d, s) I_ALU64_REG(BPF_MOV, d, s)
#define I_MOV64_IMM(d, i) I_ALU64_IMM(BPF_MOV, d, i)
#define I_MOV32_IMM(d, i) I_ALU32_IMM(BPF_MOV, d, i)
#define I_MOV32_REG(d, s) I_ALU32_REG(BPF_MOV, d, s)
#define I_NEG64(d) I_RAW(BPF_ALU64 | BPF_NEG, d, 0, 0, 0)
#define I_NEG32(d) I_RAW(BPF_ALU | BPF_NEG, d, 0, 0, 0)
/* Byte order: type BPF_TO_LE or BPF_TO_BE, bits 16, 32 or 64. */
#define I_ENDIAN(type, d, bits) I_RAW(BPF_ALU | BPF_END | (type), d, 0, 0, bits)

/* The two-slot 64-bit immediate load; with src BPF_PSEUDO_MAP_FD, imm is a map fd. */
#define I_LD_IMM64_RAW(d, s, lo, hi) I_RAW(BPF_LD | BPF_DW | BPF_IMM, d, s, 0, lo), I_RAW(0, 0, 0, 0, hi)
#define I_LD_IMM64(d, v) I_LD_IMM64_RAW(d, 0, (int32_t)(uint32_t)(uint64_t)(v), (int32_t)((uint64_t)(v) >> 32))
#define I_LD_MAP_FD(d, fd) I_LD_IMM64_RAW(d, BPF_PSEUDO_MAP_FD, fd, 0)
#define I_LD_MAP_VALUE(d, fd, off) I_LD_IMM64_RAW(d, BPF_PSEUDO_MAP_VALUE, fd, off)

/* Memory: dst = *(size *)(src + off); *(size *)(dst + off) = src or imm. */
#define I_LDX(sz, d, s, o) I_RAW(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define I_STX(sz, d, s, o) I_RAW(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define I_ST(sz, d, o, i) I_RAW(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define I_ATOMIC_ADD(sz, d, s, o) I_RAW(BPF_STX | BPF_ATOMIC | (sz), d, s, o, BPF_ADD)
/* Any atomic: op is BPF_ADD, BPF_OR, BPF_AND, BPF_XOR (| BPF_FETCH), BPF_XCHG, BPF_CMPXCHG. */
#define I_ATOMIC(sz, op, d, s, o) I_RAW(BPF_STX | BPF_ATOMIC | (sz), d, s, o, op)
/* Classic packet loads (socket filters): r0 = packet[imm] or packet[src + imm]. */
#define I_LD_ABS(sz, i) I_RAW(BPF_LD | BPF_ABS | (sz), 0, 0, 0, i)
#define I_LD_IND(sz, s, i) I_RAW(BPF_LD | BPF_IND | (sz), 0, s, 0, i)

/* Jumps: off counts instructions after the next one. */
#define I_JA(o) I_RAW(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define I_JMP_IMM(op, d, i, o) I_RAW(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define I_JMP_REG(op, d, s, o) I_RAW(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define I_JMP32_IMM(op, d, i, o) I_RAW(BPF_JMP32 | (op) | BPF_K, d, 0, o, i)
#define I_JMP32_REG(op, d, s, o) I_RAW(BPF_JMP32 | (op) | BPF_X, d, s, o, 0)
#define I_CALL(fn) I_RAW(BPF_JMP | BPF_CALL, 0, 0, 0, fn)
#define I_EXIT() I_RAW(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Short names, so each program reads like assembly. */
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

#endif
