/*
 * The eBPF JIT's inner contract (course section: eBPF, the revolution in
 * kernel programming -- "from bytecode to machine code").
 *
 * bpf.h promises bpf_jit_compile() and bpf_jit_free(); this header is how
 * the JIT's own files talk to each other:
 *
 *   jit_emit.c     an x86_64 instruction encoder: opcodes, REX, ModRM, SIB
 *   jit.c          the driver: register map, prologue, passes until sizes converge
 *   jit_alu.c      arithmetic: ALU and ALU64, division, shifts, byte swaps
 *   jit_ldst.c     loads, stores, atomics, the 64-bit immediate load
 *   jit_jmp.c      jumps, helper calls, tail calls, exit
 *   jit_mem.c      executable memory, write-xor-execute
 *   jit_ksyms.c    JIT'd programs in /proc/kallsyms and in oops backtraces
 */
#ifndef KERNEL_BPF_JIT_H
#define KERNEL_BPF_JIT_H

#include "kernel/bpf/bpf.h"

/* --- the encoder (jit_emit.c) --- */

/* x86_64's 16 general registers, numbered as the CPU encodes them: the low
 * 3 bits go into ModRM (or the opcode), the 4th into a REX prefix. */
enum x86_reg {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* The "/digit" of the group-1 arithmetic opcodes (81 /digit, 83 /digit):
 * the same number, times 8, plus 1 is the register-register form. */
enum x86_alu { X86_ADD = 0, X86_OR = 1, X86_AND = 4, X86_SUB = 5, X86_XOR = 6, X86_CMP = 7 };

/* The "/digit" of the shift group (C1 /digit ib, D3 /digit). */
enum x86_shift { X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 };

/* Condition codes: jcc is 70+cc (rel8) or 0F 80+cc (rel32). */
enum x86_cond {
	CC_B = 0x2,  /* below: unsigned < */
	CC_AE = 0x3, /* unsigned >= */
	CC_E = 0x4,
	CC_NE = 0x5,
	CC_BE = 0x6, /* unsigned <= */
	CC_A = 0x7,  /* above: unsigned > */
	CC_L = 0xc,  /* signed < */
	CC_GE = 0xd,
	CC_LE = 0xe,
	CC_G = 0xf,
};

/* The longest machine code one eBPF instruction becomes (a tail call). */
#define JIT_INSN_MAX 128

/* Machine code for one eBPF instruction, built here, then copied into the
 * image. ip: the address buf[0] will have in the image (0 while sizing). */
struct jit_emit {
	uint8_t buf[JIT_INSN_MAX];
	uint32_t len;
	uint64_t ip;
};

static inline bool is_s8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool is_s32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

void x86_byte(struct jit_emit *e, uint8_t b);
void x86_imm32(struct jit_emit *e, uint32_t v);
/* Operand size in bytes (1, 2, 4, 8) says which prefixes an instruction needs. */
void x86_op_rr(struct jit_emit *e, int size, uint32_t opcode, int reg, int rm);
void x86_op_mem(struct jit_emit *e, int size, uint32_t opcode, int reg, int base, int32_t disp);

void x86_mov_rr(struct jit_emit *e, bool is64, int dst, int src);
void x86_mov_imm(struct jit_emit *e, bool is64, int dst, int32_t imm);
void x86_mov_imm64(struct jit_emit *e, int dst, uint64_t imm);
void x86_alu_rr(struct jit_emit *e, enum x86_alu op, bool is64, int dst, int src);
void x86_alu_imm(struct jit_emit *e, enum x86_alu op, bool is64, int dst, int32_t imm);
void x86_shift_imm(struct jit_emit *e, enum x86_shift op, bool is64, int dst, uint8_t count);
void x86_shift_cl(struct jit_emit *e, enum x86_shift op, bool is64, int dst);
void x86_imul_rr(struct jit_emit *e, bool is64, int dst, int src);
void x86_imul_imm(struct jit_emit *e, bool is64, int dst, int32_t imm);
void x86_neg(struct jit_emit *e, bool is64, int dst);
void x86_div(struct jit_emit *e, bool is64, bool is_signed, int src);
void x86_sign_extend_rax(struct jit_emit *e, bool is64); /* cqo / cdq: rdx:rax */
void x86_test_rr(struct jit_emit *e, bool is64, int a, int b);
void x86_test_imm(struct jit_emit *e, bool is64, int reg, int32_t imm);
void x86_movzx_rr(struct jit_emit *e, int from_size, int dst, int src);
void x86_movsx_rr(struct jit_emit *e, int from_size, int dst, int src);
void x86_bswap(struct jit_emit *e, bool is64, int reg);
void x86_rol16_8(struct jit_emit *e, int reg);
void x86_load(struct jit_emit *e, int size, bool sign, int dst, int base, int32_t disp);
void x86_store(struct jit_emit *e, int size, int base, int32_t disp, int src);
void x86_store_imm(struct jit_emit *e, int size, int base, int32_t disp, int32_t imm);
void x86_lea(struct jit_emit *e, int dst, int base, int32_t disp);
void x86_push(struct jit_emit *e, int reg);
void x86_pop(struct jit_emit *e, int reg);
void x86_ret(struct jit_emit *e);
void x86_jmp_reg(struct jit_emit *e, int reg);
/* Jumps to a place rel bytes after the jump's end: the short form when it fits. */
void x86_jcc(struct jit_emit *e, enum x86_cond cc, int32_t rel);
void x86_jmp(struct jit_emit *e, int32_t rel);
/* A forward short jump to a place within this instruction: returns where
 * its displacement is, for x86_patch_here() once the place is reached. */
uint32_t x86_jcc_fwd(struct jit_emit *e, enum x86_cond cc);
uint32_t x86_jmp_fwd(struct jit_emit *e);
void x86_patch_here(struct jit_emit *e, uint32_t at);
/* call rel32 to a kernel function; false if the image is too far from it. */
bool x86_call(struct jit_emit *e, const void *fn);
void x86_lock(struct jit_emit *e);

/* --- the translation (jit.c, jit_alu.c, jit_ldst.c, jit_jmp.c) --- */

/*
 * Registers the JIT keeps for itself (jit.c explains the choice):
 * JIT_TMP is scratch within one instruction, JIT_FP_VAL holds eBPF r10's
 * value when an instruction uses it as a number, JIT_AX_SAVE keeps r0
 * while an atomic loop needs rax, JIT_TCC counts tail calls.
 */
#define JIT_TMP R11
#define JIT_FP_VAL R10
#define JIT_AX_SAVE R9
#define JIT_TCC R12
/* The registers the prologue saves below the saved rbp; eBPF r10 (the top
 * of the program's stack) is rbp minus their size. */
#define JIT_SAVED_REGS 5
#define JIT_FP_OFFSET (-8 * JIT_SAVED_REGS)

struct jit_ctx {
	const struct bpf_prog *prog;
	uint32_t *end;         /* end[i]: offset after instruction i, from the last pass */
	uint32_t prologue_len; /* offset of instruction 0 */
	uint32_t tail_entry;   /* offset of the tail-call entry */
	uint64_t image;        /* the image's address in the final pass, 0 before */
};

static inline bool jit_is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM);
}

/* The x86 register holding eBPF register r (r10: rbp, see JIT_FP_OFFSET). */
int jit_reg(int bpf_reg);
/* Where instruction i starts, by the last pass. */
uint32_t jit_insn_start(const struct jit_ctx *c, int i);

/* Each translates one instruction (two for ld_imm64) into e; 0 or -EINVAL
 * (an instruction the JIT does not know: the program stays interpreted). */
int jit_alu(struct jit_emit *e, const struct bpf_insn *in);
int jit_ldst(struct jit_emit *e, const struct bpf_insn *in);
int jit_jmp(struct jit_emit *e, const struct jit_ctx *c, int i);
void jit_epilogue(struct jit_emit *e);

/* An eBPF register read as a value: its x86 register, after materialising
 * r10 (rbp + JIT_FP_OFFSET) into JIT_FP_VAL when it is r10. */
int jit_src_value(struct jit_emit *e, int bpf_reg);

/* --- executable memory (jit_mem.c) --- */

/* size bytes of image, writable and not executable, filled with int3; NULL
 * when memory runs out. */
void *jit_mem_alloc(uint32_t size);
/* Make the image read-only and executable: nothing writes it again. */
void jit_mem_seal(void *image, uint32_t size);
void jit_mem_free(void *image, uint32_t size);

/* --- symbols (jit_ksyms.c) --- */
void jit_ksym_add(const struct bpf_prog *prog);
void jit_ksym_del(const struct bpf_prog *prog);
/* "bpf_prog_<tag>_<name>+0x<off>" for an address inside a JIT'd program. */
bool bpf_jit_format_symbol(char *buf, size_t size, uint64_t addr);
struct proc_text;
/* /proc/kallsyms's lines for the JIT'd programs. */
void bpf_jit_kallsyms(struct proc_text *t);

#endif
