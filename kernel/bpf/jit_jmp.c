/*
 * The JIT's control flow: jumps, helper calls, tail calls and exit (course
 * section: eBPF, the revolution in kernel programming -- "from bytecode to
 * machine code").
 *
 * A conditional jump is a cmp (or test, for JSET) and a jcc; JMP32 compares
 * the low halves with 32-bit operands. The jump's displacement is the
 * distance in machine code from its end to the target instruction's start,
 * both from the last pass's layout (jit.c explains the passes).
 *
 * A helper call is a plain `call`: eBPF's r1-r5 are already the C
 * arguments and r0 is rax (jit.c's register map). The image lives within
 * 2 GiB of the kernel's code (jit_mem.c), so a 5-byte relative call
 * reaches every helper.
 *
 * A tail call, bpf_tail_call(ctx, prog_array, index), replaces this
 * program by another without returning: when the array has a program at
 * index and fewer than BPF_MAX_TAIL_CALL_CNT tail calls were made, the
 * program's stack is dropped and execution jumps into the target past its
 * register saves, so the target's exit returns to our caller. Otherwise
 * execution goes on after the call.
 */
#include "kernel/bpf/jit.h"
#include "libc/include/abi/errno.h"

/* The x86 condition under which each eBPF jump is taken. */
static int condition(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return CC_E;
	case BPF_JNE: return CC_NE;
	case BPF_JSET: return CC_NE; /* after test: some bit in common */
	case BPF_JGT: return CC_A;
	case BPF_JGE: return CC_AE;
	case BPF_JLT: return CC_B;
	case BPF_JLE: return CC_BE;
	case BPF_JSGT: return CC_G;
	case BPF_JSGE: return CC_GE;
	case BPF_JSLT: return CC_L;
	case BPF_JSLE: return CC_LE;
	default: return -1;
	}
}

/* The distance from the end of instruction i to instruction i + 1 + off;
 * false when that is outside the program. */
static bool distance(const struct jit_ctx *c, int i, int32_t off, int32_t *rel)
{
	int64_t target = (int64_t)i + 1 + off;
	if (target < 0 || target >= c->prog->len)
		return false;
	*rel = (int32_t)(jit_insn_start(c, target) - c->end[i]);
	return true;
}

static int cond_jump(struct jit_emit *e, const struct jit_ctx *c, int i)
{
	const struct bpf_insn *in = &c->prog->insns[i];
	bool is64 = BPF_CLASS(in->code) == BPF_JMP;
	int cc = condition(BPF_OP(in->code));
	int32_t rel;
	if (cc < 0 || !distance(c, i, in->off, &rel))
		return -EINVAL;
	int dst = jit_src_value(e, in->dst_reg);
	bool test = BPF_OP(in->code) == BPF_JSET;
	if (BPF_SRC(in->code) == BPF_K) {
		if (test)
			x86_test_imm(e, is64, dst, in->imm);
		else if (in->imm == 0 && (cc == CC_E || cc == CC_NE))
			x86_test_rr(e, is64, dst, dst); /* shorter than cmp with 0 */
		else
			x86_alu_imm(e, X86_CMP, is64, dst, in->imm);
	} else {
		int src = jit_src_value(e, in->src_reg);
		if (test)
			x86_test_rr(e, is64, dst, src);
		else
			x86_alu_rr(e, X86_CMP, is64, dst, src);
	}
	x86_jcc(e, cc, rel);
	return 0;
}

/* BPF_JA: off, or (JMP32, cpu v4's gotol) imm. A jump to the next
 * instruction makes no code. */
static int jump_always(struct jit_emit *e, const struct jit_ctx *c, int i)
{
	const struct bpf_insn *in = &c->prog->insns[i];
	int32_t off = BPF_CLASS(in->code) == BPF_JMP32 ? in->imm : in->off, rel;
	if (!distance(c, i, off, &rel))
		return -EINVAL;
	if (off != 0)
		x86_jmp(e, rel);
	return 0;
}

static int tail_call(struct jit_emit *e)
{
	uint32_t out[4];
	x86_alu_imm(e, X86_CMP, false, JIT_TCC, BPF_MAX_TAIL_CALL_CNT);
	out[0] = x86_jcc_fwd(e, CC_AE);
	x86_push(e, RDI); /* ctx, for the target; twice keeps rsp 16-aligned */
	x86_push(e, RDI);
	x86_mov_rr(e, true, RDI, RSI);  /* the array */
	x86_mov_rr(e, false, RSI, RDX); /* the index, as u32 */
	bool near = x86_call(e, (const void *)bpf_prog_array_entry);
	x86_pop(e, RDI);
	x86_pop(e, RDI);
	x86_test_rr(e, true, RAX, RAX);
	out[1] = x86_jcc_fwd(e, CC_E); /* no program at index */
	x86_load(e, 8, false, RAX, RAX, offsetof(struct bpf_prog, jit_tail_entry));
	x86_test_rr(e, true, RAX, RAX);
	out[2] = x86_jcc_fwd(e, CC_E); /* not JIT'd: cannot be jumped into */
	x86_alu_imm(e, X86_ADD, false, JIT_TCC, 1);
	x86_lea(e, RSP, RBP, JIT_FP_OFFSET); /* drop our stack, keep the saved registers */
	x86_jmp_reg(e, RAX);
	for (int k = 0; k < 3; k++)
		x86_patch_here(e, out[k]);
	return near ? 0 : -ERANGE;
}

static int call(struct jit_emit *e, const struct jit_ctx *c, const struct bpf_insn *in)
{
	if (in->src_reg != 0)
		return -EINVAL; /* bpf-to-bpf calls and kfuncs are not JIT'd */
	if (in->imm == BPF_FUNC_tail_call)
		return tail_call(e);
	const struct bpf_func_proto *p = bpf_func_proto(c->prog->type, in->imm);
	if (!p || !p->func)
		return -EINVAL;
	return x86_call(e, (const void *)p->func) ? 0 : -ERANGE;
}

int jit_jmp(struct jit_emit *e, const struct jit_ctx *c, int i)
{
	const struct bpf_insn *in = &c->prog->insns[i];
	if (in->src_reg > BPF_REG_10 || in->dst_reg > BPF_REG_10)
		return -EINVAL;
	switch (BPF_OP(in->code)) {
	case BPF_JA:
		return jump_always(e, c, i);
	case BPF_CALL:
		return BPF_CLASS(in->code) == BPF_JMP ? call(e, c, in) : -EINVAL;
	case BPF_EXIT:
		if (BPF_CLASS(in->code) != BPF_JMP)
			return -EINVAL;
		jit_epilogue(e);
		return 0;
	default:
		return cond_jump(e, c, i);
	}
}
