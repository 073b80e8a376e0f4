/*
 * The JIT's arithmetic: eBPF's ALU and ALU64 classes in x86_64 (course
 * section: eBPF, the revolution in kernel programming -- "from bytecode to
 * machine code").
 *
 * Most operations are one x86 instruction, because both machines have
 * two-operand arithmetic on 64-bit registers, and because an x86 32-bit
 * operation clears the upper half of its destination exactly as eBPF's
 * 32-bit ALU must. The exceptions are where x86 wants particular
 * registers or traps where eBPF has a rule:
 *
 *   division   x86 divides rdx:rax and traps on a zero divisor (and on
 *              INT_MIN / -1). eBPF gives 0 for x / 0 and leaves dst for
 *              x % 0, so the divisor is tested first, and rax/rdx -- eBPF's
 *              r0 and r3 -- are saved around the div.
 *   shifts     x86 shifts by cl only, and cl is eBPF's r4: the count is
 *              moved there with rcx saved in the scratch register.
 *   byte swaps bswap for 32 and 64 bits, rol for 16; "to little-endian" on
 *              this little-endian CPU only truncates.
 */
#include "kernel/bpf/jit.h"
#include "libc/include/abi/errno.h"

/* eBPF's operations that are one group-1 x86 instruction. */
static int group1(uint8_t op)
{
	switch (op) {
	case BPF_ADD: return X86_ADD;
	case BPF_SUB: return X86_SUB;
	case BPF_AND: return X86_AND;
	case BPF_OR: return X86_OR;
	case BPF_XOR: return X86_XOR;
	default: return -1;
	}
}

/* The 32-bit forms must leave the upper half clear even where an x86
 * instruction might not write its destination (a shift by 0). */
static void zero_extend(struct jit_emit *e, bool is64, int reg)
{
	if (!is64)
		x86_mov_rr(e, false, reg, reg);
}

/* Divide dst by JIT_TMP (known not zero): rax and rdx are borrowed. */
static void divide(struct jit_emit *e, bool is64, bool is_signed, bool mod, int dst)
{
	if (dst != RAX)
		x86_push(e, RAX);
	if (dst != RDX)
		x86_push(e, RDX);
	if (dst != RAX)
		x86_mov_rr(e, true, RAX, dst);
	if (is_signed)
		x86_sign_extend_rax(e, is64);
	else
		x86_alu_rr(e, X86_XOR, false, RDX, RDX);
	x86_div(e, is64, is_signed, JIT_TMP);
	int result = mod ? RDX : RAX;
	if (dst != result)
		x86_mov_rr(e, is64, dst, result);
	if (dst != RDX)
		x86_pop(e, RDX);
	if (dst != RAX)
		x86_pop(e, RAX);
}

/* eBPF's answers where x86 would trap: x / 0 = 0, x % 0 = x; signed
 * x / -1 = -x and x % -1 = 0 (INT_MIN / -1 traps on x86). */
static void div_by_zero(struct jit_emit *e, bool is64, bool mod, int dst)
{
	if (!mod)
		x86_alu_rr(e, X86_XOR, false, dst, dst);
	else
		zero_extend(e, is64, dst);
}

static void div_by_minus_one(struct jit_emit *e, bool is64, bool mod, int dst)
{
	if (mod)
		x86_alu_rr(e, X86_XOR, false, dst, dst);
	else
		x86_neg(e, is64, dst);
}

/* BPF_DIV and BPF_MOD; off 1 is the signed form (sdiv, smod). */
static int divmod(struct jit_emit *e, const struct bpf_insn *in, bool is64)
{
	bool mod = BPF_OP(in->code) == BPF_MOD, is_signed = in->off == 1;
	int dst = jit_reg(in->dst_reg);
	if (in->off != 0 && in->off != 1)
		return -EINVAL;
	if (BPF_SRC(in->code) == BPF_K) {
		if (in->imm == 0 || (is_signed && in->imm == -1)) {
			(in->imm == 0 ? div_by_zero : div_by_minus_one)(e, is64, mod, dst);
			return 0;
		}
		x86_mov_imm(e, is64, JIT_TMP, in->imm); /* ALU64 sign-extends imm, ALU32 takes 32 bits */
		divide(e, is64, is_signed, mod, dst);
		return 0;
	}
	x86_mov_rr(e, is64, JIT_TMP, jit_src_value(e, in->src_reg));
	x86_test_rr(e, is64, JIT_TMP, JIT_TMP);
	uint32_t to_divide = x86_jcc_fwd(e, CC_NE);
	div_by_zero(e, is64, mod, dst);
	uint32_t done1 = x86_jmp_fwd(e), done2 = 0;
	x86_patch_here(e, to_divide);
	if (is_signed) {
		x86_alu_imm(e, X86_CMP, is64, JIT_TMP, -1);
		to_divide = x86_jcc_fwd(e, CC_NE);
		div_by_minus_one(e, is64, mod, dst);
		done2 = x86_jmp_fwd(e);
		x86_patch_here(e, to_divide);
	}
	divide(e, is64, is_signed, mod, dst);
	x86_patch_here(e, done1);
	if (is_signed)
		x86_patch_here(e, done2);
	return 0;
}

static int shift(struct jit_emit *e, const struct bpf_insn *in, bool is64)
{
	uint8_t op = BPF_OP(in->code);
	enum x86_shift kind = op == BPF_LSH ? X86_SHL : op == BPF_RSH ? X86_SHR : X86_SAR;
	int dst = jit_reg(in->dst_reg);
	if (BPF_SRC(in->code) == BPF_K) {
		uint8_t count = in->imm & (is64 ? 63 : 31);
		if (count)
			x86_shift_imm(e, kind, is64, dst, count);
		zero_extend(e, is64, dst);
		return 0;
	}
	int src = jit_src_value(e, in->src_reg);
	if (src == RCX) {
		x86_shift_cl(e, kind, is64, dst);
	} else {
		/* The count must be in cl: park rcx (r4) in the scratch register. */
		x86_mov_rr(e, true, JIT_TMP, RCX);
		x86_mov_rr(e, true, RCX, src);
		x86_shift_cl(e, kind, is64, dst == RCX ? JIT_TMP : dst);
		x86_mov_rr(e, true, RCX, JIT_TMP); /* r4 back, or the result if dst was r4 */
	}
	zero_extend(e, is64, dst);
	return 0;
}

/* BPF_END: imm is the width. BPF_ALU's TO_LE/TO_BE convert from host
 * order; BPF_ALU64 (cpu v4's bswap) always swaps. */
static int byte_swap(struct jit_emit *e, const struct bpf_insn *in, bool is64)
{
	int dst = jit_reg(in->dst_reg);
	bool swap = is64 || BPF_SRC(in->code) == BPF_TO_BE;
	switch (in->imm) {
	case 16:
		if (swap)
			x86_rol16_8(e, dst);
		x86_movzx_rr(e, 2, dst, dst);
		return 0;
	case 32:
		if (swap)
			x86_bswap(e, false, dst);
		else
			x86_mov_rr(e, false, dst, dst);
		return 0;
	case 64:
		if (swap)
			x86_bswap(e, true, dst);
		return 0;
	default:
		return -EINVAL;
	}
}

/* BPF_MOV; off 8, 16 (or 32 for ALU64) is cpu v4's sign-extending movsx. */
static int move(struct jit_emit *e, const struct bpf_insn *in, bool is64)
{
	int dst = jit_reg(in->dst_reg);
	if (BPF_SRC(in->code) == BPF_K) {
		x86_mov_imm(e, is64, dst, in->imm);
		return 0;
	}
	if (in->off == 0 && is64 && in->src_reg == BPF_REG_10) {
		x86_lea(e, dst, RBP, JIT_FP_OFFSET); /* r10's value, straight into dst */
		return 0;
	}
	int src = jit_src_value(e, in->src_reg);
	if (in->off == 0) {
		if (src != dst || !is64)
			x86_mov_rr(e, is64, dst, src);
		return 0;
	}
	if (in->off != 8 && in->off != 16 && !(in->off == 32 && is64))
		return -EINVAL;
	x86_movsx_rr(e, in->off / 8, dst, src);
	zero_extend(e, is64, dst);
	return 0;
}

static int mul(struct jit_emit *e, const struct bpf_insn *in, bool is64)
{
	int dst = jit_reg(in->dst_reg);
	if (BPF_SRC(in->code) == BPF_K)
		x86_imul_imm(e, is64, dst, in->imm);
	else
		x86_imul_rr(e, is64, dst, jit_src_value(e, in->src_reg));
	return 0;
}

int jit_alu(struct jit_emit *e, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	uint8_t op = BPF_OP(in->code);
	int dst = jit_reg(in->dst_reg);
	if (in->dst_reg >= BPF_REG_10 || in->src_reg > BPF_REG_10)
		return -EINVAL; /* r10 is read-only (the verifier has said so) */
	if (in->off != 0 && op != BPF_MOV && op != BPF_DIV && op != BPF_MOD)
		return -EINVAL;
	int g = group1(op);
	if (g >= 0) {
		if (BPF_SRC(in->code) == BPF_K)
			x86_alu_imm(e, g, is64, dst, in->imm);
		else
			x86_alu_rr(e, g, is64, dst, jit_src_value(e, in->src_reg));
		return 0;
	}
	switch (op) {
	case BPF_MOV: return move(e, in, is64);
	case BPF_MUL: return mul(e, in, is64);
	case BPF_DIV:
	case BPF_MOD: return divmod(e, in, is64);
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH: return shift(e, in, is64);
	case BPF_END: return byte_swap(e, in, is64);
	case BPF_NEG:
		x86_neg(e, is64, dst);
		return 0;
	default:
		return -EINVAL;
	}
}
