/*
 * The verifier's case table (course section: eBPF, the revolution in kernel
 * programming): hand-written programs, each with the verdict Linux gives
 * (accepted, or the errno) and for a refusal a distinctive part of Linux's
 * log. The table itself is in bpf_verifier_cases1.inc (the instruction set,
 * registers, the stack, contexts), bpf_verifier_cases2.inc (maps,
 * helpers, branches, loops) and bpf_verifier_cases3.inc (pruning, bounds,
 * references, map types).
 *
 * Shared by user/tests/bpf_verifier.c (bpf(BPF_PROG_LOAD) on Linux and on
 * sysgate) and tests/unit/test_bpf_verifier.c (bpf_check() on the host).
 * Maps are named by the placeholder fds below; the runner makes the maps
 * and puts their real fds into the ld_imm64 instructions.
 */
#ifndef USER_TESTS_BPF_VERIFIER_CASES_H
#define USER_TESTS_BPF_VERIFIER_CASES_H

#include <errno.h>
#include <stdbool.h>

#include "bpf_insn.h"

/* Placeholders the runner replaces with the fd of a map it made. */
#define FD_ARRAY 1001   /* ARRAY: key 4 bytes, value 8 bytes, 4 entries */
#define FD_HASH 1002    /* HASH: key 8 bytes, value 16 bytes, 16 entries */
#define FD_RINGBUF 1003 /* RINGBUF: 4096 bytes */
#define FD_GLOBAL 1004  /* ARRAY of one 16-byte value, as a program's globals */
#define FD_FIRST_PLACEHOLDER FD_ARRAY
#define FD_LAST_PLACEHOLDER FD_GLOBAL
#define FD_NOT_OPEN 999 /* left as it is: no such descriptor */

struct vcase {
	const char *name;
	uint32_t prog_type;
	const struct bpf_insn *insns;
	uint32_t len;
	int err;         /* 0: accepted; otherwise Linux's errno */
	const char *log; /* for a refusal: text Linux's log contains */
};

#define PROG(...) (const struct bpf_insn[]){ __VA_ARGS__ }, \
	(uint32_t)(sizeof((struct bpf_insn[]){ __VA_ARGS__ }) / sizeof(struct bpf_insn))
#define ACCEPT(name, type, ...) { name, type, PROG(__VA_ARGS__), 0, NULL }
#define REJECT(name, type, err, log, ...) { name, type, PROG(__VA_ARGS__), err, log }

/* Short names of program types, so each case reads like assembly. */
#define TP BPF_PROG_TYPE_TRACEPOINT
#define RAW BPF_PROG_TYPE_RAW_TRACEPOINT
#define KP BPF_PROG_TYPE_KPROBE
#define PE BPF_PROG_TYPE_PERF_EVENT
#define SK BPF_PROG_TYPE_SOCKET_FILTER

/* r0 = lookup(map, &key) with a 4-byte key 0 at fp-4 (6 slots). */
#define LOOKUP_KEY0(fd)                                        \
	I_ST(BPF_W, R10, -4, 0), I_MOV64_REG(R2, R10),         \
	I_ALU64_IMM(BPF_ADD, R2, -4), I_LD_MAP_FD(R1, fd),     \
	I_CALL(BPF_FUNC_map_lookup_elem)

/* r0 = lookup(hash, &key) with an 8-byte key 0 at fp-8 (6 slots). */
#define LOOKUP_HASH_KEY0                                       \
	I_ST(BPF_DW, R10, -8, 0), I_MOV64_REG(R2, R10),        \
	I_ALU64_IMM(BPF_ADD, R2, -8), I_LD_MAP_FD(R1, FD_HASH), \
	I_CALL(BPF_FUNC_map_lookup_elem)

/* if bit k of r6 then r2 = 1 else r2 = 2 (4 slots); r2 is never read. */
#define DIAMOND(k)                                                        \
	I_JMP_IMM(BPF_JSET, R6, 1 << (k), 2), I_MOV64_IMM(R2, 1), I_JA(1), \
	I_MOV64_IMM(R2, 2)

static const struct vcase vcases[] = {
#include "bpf_verifier_cases1.inc"
#include "bpf_verifier_cases2.inc"
#include "bpf_verifier_cases3.inc"
};

#define N_VCASES (sizeof(vcases) / sizeof(vcases[0]))

#endif
