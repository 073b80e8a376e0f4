/*
 * The verifier at a conditional jump (course section: eBPF, the revolution
 * in kernel programming).
 *
 * Two questions. Which way can it go? When the ranges decide it (r0 is 3,
 * "if r0 > 5" never jumps), only that way is walked: this is how a loop with
 * a constant bound ends, and how a branch that cannot be taken is never
 * checked. Otherwise both ways are walked, and each learns something: after
 * "if r1 > 7 goto" the fall-through knows r1 <= 7, which is what makes
 * "value + r1" a safe address later. A test of a maybe-NULL pointer against
 * 0 makes it NULL on one side and a usable pointer on the other, for every
 * copy of it (they share an id).
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"

#define U32_MAX 0xffffffffULL

/* The opposite test: what the fall-through of "if a OP b" knows. */
static uint8_t negate(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	default: return 0xff; /* BPF_JSET's "no common bit" */
	}
}

/* A 32-bit compare sees the same numbers as a 64-bit one when both fit (signed: in 31 bits). */
static bool same_as_64(const struct vreg *a, const struct vreg *b, uint8_t op)
{
	bool is_signed = op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT || op == BPF_JSLE;
	uint64_t limit = is_signed ? 0x7fffffffULL : U32_MAX;
	return a->umax <= limit && b->umax <= limit;
}

/* 1: "a OP b" always holds; 0: never; -1: it depends. */
static int test_outcome(const struct vreg *a, const struct vreg *b, uint8_t op)
{
	uint64_t known = ~(a->var_off.mask | b->var_off.mask);
	switch (op) {
	case BPF_JEQ:
	case BPF_JNE: {
		int eq = -1;
		if (reg_is_const(a) && reg_is_const(b))
			eq = a->var_off.value == b->var_off.value;
		else if (a->umin > b->umax || a->umax < b->umin || a->smin > b->smax || a->smax < b->smin ||
			 ((a->var_off.value ^ b->var_off.value) & known))
			eq = 0;
		return eq < 0 ? -1 : op == BPF_JEQ ? eq : !eq;
	}
	case BPF_JSET:
		if (a->var_off.value & b->var_off.value)
			return 1;
		return ((a->var_off.value | a->var_off.mask) & (b->var_off.value | b->var_off.mask)) ? -1 : 0;
	case BPF_JGT:
		return a->umin > b->umax ? 1 : a->umax <= b->umin ? 0 : -1;
	case BPF_JGE:
		return a->umin >= b->umax ? 1 : a->umax < b->umin ? 0 : -1;
	case BPF_JLT:
		return a->umax < b->umin ? 1 : a->umin >= b->umax ? 0 : -1;
	case BPF_JLE:
		return a->umax <= b->umin ? 1 : a->umin > b->umax ? 0 : -1;
	case BPF_JSGT:
		return a->smin > b->smax ? 1 : a->smax <= b->smin ? 0 : -1;
	case BPF_JSGE:
		return a->smin >= b->smax ? 1 : a->smax < b->smin ? 0 : -1;
	case BPF_JSLT:
		return a->smax < b->smin ? 1 : a->smin >= b->smax ? 0 : -1;
	default: /* BPF_JSLE */
		return a->smax <= b->smin ? 1 : a->smin > b->smax ? 0 : -1;
	}
}

static int branch_taken(const struct vreg *a, const struct vreg *b, uint8_t op, bool is32)
{
	/* A pointer that cannot be NULL is never equal to 0. */
	bool maybe_null = a->type == PTR_TO_MAP_VALUE_OR_NULL || a->type == PTR_TO_MEM_OR_NULL;
	if (reg_is_pointer(a) && !maybe_null && reg_is_const(b) && b->var_off.value == 0 && !is32) {
		if (op == BPF_JEQ)
			return 0;
		if (op == BPF_JNE)
			return 1;
		return -1;
	}
	if (a->type != SCALAR_VALUE || b->type != SCALAR_VALUE)
		return -1;
	if (is32 && !same_as_64(a, b, op))
		return -1;
	return test_outcome(a, b, op);
}

/* a and b after learning "a OP b". */
static void learn(struct vreg *a, struct vreg *b, uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
		a->umin = b->umin = MAX(a->umin, b->umin);
		a->umax = b->umax = MIN(a->umax, b->umax);
		a->smin = b->smin = MAX(a->smin, b->smin);
		a->smax = b->smax = MIN(a->smax, b->smax);
		a->var_off = b->var_off = tnum_intersect(a->var_off, b->var_off);
		break;
	case BPF_JNE: /* only a constant at the edge of the other's range teaches anything */
		if (reg_is_const(b)) {
			if (a->umin == b->umin && a->umin < a->umax)
				a->umin++;
			else if (a->umax == b->umin && a->umin < a->umax)
				a->umax--;
		}
		break;
	case BPF_JSET:
	case 0xff:
		/* Nothing learnt from bit tests, unlike Linux: without Linux's
		 * precision tracking, paths that learnt different bits would never
		 * prune each other where they join. */
		break;
	case BPF_JGT:
		a->umin = MAX(a->umin, b->umin + 1);
		b->umax = MIN(b->umax, a->umax - 1);
		break;
	case BPF_JGE:
		a->umin = MAX(a->umin, b->umin);
		b->umax = MIN(b->umax, a->umax);
		break;
	case BPF_JLT:
		a->umax = MIN(a->umax, b->umax - 1);
		b->umin = MAX(b->umin, a->umin + 1);
		break;
	case BPF_JLE:
		a->umax = MIN(a->umax, b->umax);
		b->umin = MAX(b->umin, a->umin);
		break;
	case BPF_JSGT:
		a->smin = MAX(a->smin, b->smin + 1);
		b->smax = MIN(b->smax, a->smax - 1);
		break;
	case BPF_JSGE:
		a->smin = MAX(a->smin, b->smin);
		b->smax = MIN(b->smax, a->smax);
		break;
	case BPF_JSLT:
		a->smax = MIN(a->smax, b->smax - 1);
		b->smin = MAX(b->smin, a->smin + 1);
		break;
	case BPF_JSLE:
		a->smax = MIN(a->smax, b->smax);
		b->smin = MAX(b->smin, a->smin);
		break;
	}
	reg_bounds_sync(a);
	reg_bounds_sync(b);
}

/* The copies of a number (same id) get what r learnt. */
static void share_bounds(struct vstate *st, const struct vreg *r)
{
	if (r->type != SCALAR_VALUE || !r->id)
		return;
	for (int i = 0; i < MAX_BPF_REG; i++)
		if (st->regs[i].type == SCALAR_VALUE && st->regs[i].id == r->id)
			st->regs[i] = *r;
	for (uint32_t s = 0; s < st->slots; s++) {
		struct vreg *sp = &st->stack[s].spilled;
		if (st->stack[s].bytes[0] == STACK_SPILL && sp->type == SCALAR_VALUE && sp->id == r->id)
			*sp = *r;
	}
}

/* Every copy of maybe-NULL pointer id becomes 0 (is_null) or a usable pointer. */
static void mark_null_checked(struct vstate *st, uint32_t id, bool is_null)
{
	struct vreg *regs[MAX_BPF_REG + MAX_BPF_STACK_SLOTS];
	int n = 0;
	for (int i = 0; i < MAX_BPF_REG; i++)
		regs[n++] = &st->regs[i];
	for (uint32_t s = 0; s < st->slots; s++)
		if (st->stack[s].bytes[0] == STACK_SPILL)
			regs[n++] = &st->stack[s].spilled;
	for (int i = 0; i < n; i++) {
		struct vreg *r = regs[i];
		if ((r->type != PTR_TO_MAP_VALUE_OR_NULL && r->type != PTR_TO_MEM_OR_NULL) || r->id != id)
			continue;
		if (is_null) {
			mark_reg_known(r, 0);
			continue;
		}
		r->type = r->type == PTR_TO_MAP_VALUE_OR_NULL ? PTR_TO_MAP_VALUE : PTR_TO_MEM;
		r->id = 0;
	}
	/* A NULL reservation holds nothing: no reference to give back. */
	if (!is_null)
		return;
	for (uint32_t i = 0; i < st->nrefs; i++) {
		if (st->refs[i] != id)
			continue;
		st->refs[i] = st->refs[st->nrefs - 1];
		st->ref_insn[i] = st->ref_insn[st->nrefs - 1];
		st->nrefs--;
		break;
	}
}

static long check_operands(struct venv *env, const struct bpf_insn *insn)
{
	bool k = BPF_SRC(insn->code) == BPF_K;
	if (k ? insn->src_reg != 0 : insn->imm != 0) {
		verbose(env, "BPF_JMP/JMP32 uses reserved fields\n");
		return -EINVAL;
	}
	long err = k ? 0 : check_reg_arg(env, insn->src_reg, true);
	return err ? err : check_reg_arg(env, insn->dst_reg, true);
}

long check_cond_jmp(struct venv *env, const struct bpf_insn *insn, uint32_t *next)
{
	long err = check_operands(env, insn);
	if (err)
		return err;
	uint8_t op = BPF_OP(insn->code);
	bool is32 = BPF_CLASS(insn->code) == BPF_JMP32, k = BPF_SRC(insn->code) == BPF_K;
	uint32_t target = env->idx + insn->off + 1;
	struct vreg imm;
	mark_reg_known(&imm, is32 ? (uint32_t)insn->imm : (uint64_t)(int64_t)insn->imm);
	struct vreg *a = &env->cur->regs[insn->dst_reg];
	struct vreg *b = k ? &imm : &env->cur->regs[insn->src_reg];
	int taken = branch_taken(a, b, op, is32);
	if (taken >= 0) {
		*next = taken ? target : env->idx + 1;
		return 0;
	}
	struct vstate *other = push_branch(env, target, &err);
	if (!other)
		return err;
	struct vreg other_imm = imm;
	struct vreg *oa = &other->regs[insn->dst_reg];
	struct vreg *ob = k ? &other_imm : &other->regs[insn->src_reg];
	bool maybe_null = a->type == PTR_TO_MAP_VALUE_OR_NULL || a->type == PTR_TO_MEM_OR_NULL;
	if (maybe_null && k && !is32 && insn->imm == 0 && (op == BPF_JEQ || op == BPF_JNE)) {
		uint32_t id = a->id;
		mark_null_checked(other, id, op == BPF_JEQ);
		mark_null_checked(env->cur, id, op == BPF_JNE);
	} else if (a->type == SCALAR_VALUE && b->type == SCALAR_VALUE && (!is32 || same_as_64(a, b, op))) {
		learn(oa, ob, op);
		learn(a, b, negate(op));
		struct vreg ta = *oa, tb = *ob, fa = *a, fb = *b;
		share_bounds(other, &ta);
		share_bounds(other, &tb);
		share_bounds(env->cur, &fa);
		share_bounds(env->cur, &fb);
	}
	*next = env->idx + 1;
	return 0;
}
