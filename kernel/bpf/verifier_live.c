/*
 * Which registers are still to be read: liveness (course section: eBPF,
 * the revolution in kernel programming).
 *
 * Before the walk, one backward pass over the control-flow graph finds, for
 * each instruction, the registers whose value some later instruction may
 * still read. A register that is dead at a checkpoint cannot influence
 * anything after it, so two states that differ only in dead registers are
 * the same for pruning: after "if (x) r2 = 1; else r2 = 2;" with r2 never
 * read again, the second path is pruned where the paths join, and twenty
 * such branches in a row cost twenty walks, not a million.
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"
#include "mm/heap.h"

#define REG_BIT(r) ((uint16_t)(1u << (r)))
#define CALLER_SAVED (REG_BIT(0) | REG_BIT(1) | REG_BIT(2) | REG_BIT(3) | REG_BIT(4) | REG_BIT(5))
#define CALL_ARGS (CALLER_SAVED & ~REG_BIT(0))

/* The registers insn reads (*use) and writes (*def). */
static void use_def(const struct bpf_insn *insn, uint16_t *use, uint16_t *def)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code), mode = BPF_MODE(insn->code);
	uint16_t dst = REG_BIT(insn->dst_reg & 0xf), src = REG_BIT(insn->src_reg & 0xf);
	bool x = BPF_SRC(insn->code) == BPF_X;
	*use = *def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		*use = (op == BPF_MOV ? 0 : dst) | (x && op != BPF_END ? src : 0);
		*def = dst;
		return;
	case BPF_LDX:
		*use = src, *def = dst;
		return;
	case BPF_ST:
		*use = dst;
		return;
	case BPF_STX:
		*use = dst | src;
		if (mode == BPF_ATOMIC && insn->imm == BPF_CMPXCHG)
			*use |= REG_BIT(0), *def = REG_BIT(0);
		else if (mode == BPF_ATOMIC && (insn->imm & BPF_FETCH))
			*def = src;
		return;
	case BPF_LD:
		if (mode == BPF_IMM)
			*def = dst;
		else
			*use = REG_BIT(6) | (mode == BPF_IND ? src : 0), *def = CALLER_SAVED;
		return;
	}
	if (op == BPF_CALL)
		*use = CALL_ARGS, *def = CALLER_SAVED;
	else if (op == BPF_EXIT)
		*use = REG_BIT(0);
	else if (op != BPF_JA)
		*use = dst | (x ? src : 0);
}

/* The instructions that may run after i (at most two). */
static int successors(const struct venv *env, uint32_t i, uint32_t next[2])
{
	const struct bpf_insn *insn = &env->insns[i];
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	if (cls == BPF_JMP || cls == BPF_JMP32) {
		if (op == BPF_EXIT)
			return 0;
		if (op == BPF_CALL) {
			next[0] = i + 1;
			return 1;
		}
		next[0] = i + 1 + (cls == BPF_JMP32 && op == BPF_JA ? insn->imm : insn->off);
		if (op == BPF_JA)
			return 1;
		next[1] = i + 1;
		return 2;
	}
	next[0] = i + (insn->code == (BPF_LD | BPF_DW | BPF_IMM) ? 2 : 1);
	return 1;
}

long compute_liveness(struct venv *env)
{
	env->live = kzalloc(env->len * sizeof(*env->live));
	if (!env->live)
		return -ENOMEM;
	/* Backward passes until nothing changes; loops need more than one. */
	for (bool changed = true; changed;) {
		changed = false;
		for (uint32_t i = env->len; i-- > 0;) {
			if (env->insn_flags[i] & VINSN_LDIMM_HI)
				continue;
			uint32_t next[2];
			uint16_t out = 0, use, def;
			int n = successors(env, i, next);
			for (int k = 0; k < n; k++)
				out |= env->live[next[k]];
			use_def(&env->insns[i], &use, &def);
			uint16_t in = use | (out & ~def);
			if (in != env->live[i]) {
				env->live[i] = in;
				changed = true;
			}
		}
	}
	return 0;
}
