/*
 * The verifier's arithmetic: what a register may hold after each ALU
 * instruction (course section: eBPF, the revolution in kernel programming).
 *
 * A number is known by five facts kept together: its known bits (a tnum)
 * and its signed and unsigned minimum and maximum. Each operation computes
 * all five for its result; then each fact tightens the others
 * (reg_bounds_sync): a value whose upper bits are known zero has a small
 * maximum, an unsigned range below 2^63 is also a signed one, and so on.
 * Whenever an answer is not certain, it is "unknown": the verifier may be
 * less clever than the program, never more confident than the truth.
 *
 * Pointers allow only adding or subtracting a number; a constant moves the
 * pointer's fixed offset, a variable number its variable part, which every
 * later access must prove stays inside the object.
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

#define U32_MAX 0xffffffffULL

/* Linux's operator names, for messages: "R1 bitwise operator &= on pointer prohibited". */
static const char *const alu_op_str[16] = { "+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
					    "neg", "%=", "^=", "=", "s>>=", "endian", "?", "?" };

void mark_reg_not_init(struct vreg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = NOT_INIT;
}

void mark_reg_unknown(struct vreg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = SCALAR_VALUE;
	r->var_off = TNUM_UNKNOWN;
	r->smin = INT64_MIN;
	r->smax = INT64_MAX;
	r->umax = UINT64_MAX;
}

void mark_reg_known(struct vreg *r, uint64_t v)
{
	memset(r, 0, sizeof(*r));
	r->type = SCALAR_VALUE;
	r->var_off = tnum_const(v);
	r->smin = r->smax = (int64_t)v;
	r->umin = r->umax = v;
}

bool reg_is_const(const struct vreg *r)
{
	return r->type == SCALAR_VALUE && tnum_is_const(r->var_off);
}

bool reg_is_pointer(const struct vreg *r)
{
	return r->type != NOT_INIT && r->type != SCALAR_VALUE;
}

/* The bounds the known bits give. */
static void bounds_from_tnum(struct vreg *r)
{
	uint64_t sign = 1ULL << 63, lo = r->var_off.value, hi = r->var_off.value | r->var_off.mask;
	r->umin = MAX(r->umin, lo);
	r->umax = MIN(r->umax, hi);
	/* Signed: with the sign bit unknown, the smallest value sets it, the largest clears it. */
	int64_t slo = (int64_t)(lo | (r->var_off.mask & sign)), shi = (int64_t)(hi & ~(r->var_off.mask & sign));
	r->smin = MAX(r->smin, slo);
	r->smax = MIN(r->smax, shi);
}

/* Signed and unsigned ranges agree where the values cannot straddle the sign. */
static void bounds_cross(struct vreg *r)
{
	if (r->smin >= 0 || r->smax < 0 || (int64_t)r->umax >= 0 || (int64_t)r->umin < 0) {
		int64_t smin = MAX(r->smin, (int64_t)r->umin), smax = MIN(r->smax, (int64_t)r->umax);
		if (r->smin >= 0 || r->smax < 0) {
			smin = r->smin;
			smax = r->smax;
		}
		r->umin = MAX(r->umin, (uint64_t)smin);
		r->umax = MIN(r->umax, (uint64_t)smax);
		r->smin = (int64_t)r->umin;
		r->smax = (int64_t)r->umax;
	}
}

void reg_bounds_sync(struct vreg *r)
{
	bounds_from_tnum(r);
	bounds_cross(r);
	r->var_off = tnum_intersect(r->var_off, tnum_range(r->umin, r->umax));
	bounds_from_tnum(r);
}

/* Only the low size bytes of r remain, zero-extended (a narrow load, a 32-bit result). */
void coerce_reg_to_size(struct vreg *r, int size)
{
	if (size >= 8)
		return;
	uint64_t max = (1ULL << (size * 8)) - 1;
	if (r->umax > max || r->umin > r->umax) {
		r->umin = 0;
		r->umax = max;
	}
	r->var_off = tnum_cast(r->var_off, (uint8_t)size);
	r->smin = (int64_t)r->umin;
	r->smax = (int64_t)r->umax;
	reg_bounds_sync(r);
}

long check_reg_arg(struct venv *env, int regno, bool is_src)
{
	if (regno >= MAX_BPF_REG) {
		verbose(env, "R%d is invalid\n", regno);
		return -EINVAL;
	}
	if (is_src && env->cur->regs[regno].type == NOT_INIT) {
		verbose(env, "R%d !read_ok\n", regno);
		return -EACCES;
	}
	if (!is_src && regno == BPF_REG_10) {
		verbose(env, "frame pointer is read only\n");
		return -EACCES;
	}
	return 0;
}

/* a + b and a - b on ranges: exact unless a bound overflows, then unbounded. */
static void scalar_add(struct vreg *d, const struct vreg *s)
{
	int64_t smin, smax;
	if (__builtin_add_overflow(d->smin, s->smin, &smin) || __builtin_add_overflow(d->smax, s->smax, &smax)) {
		smin = INT64_MIN;
		smax = INT64_MAX;
	}
	uint64_t umin = d->umin + s->umin, umax = d->umax + s->umax;
	if (umin < d->umin || umax < d->umax) {
		umin = 0;
		umax = UINT64_MAX;
	}
	d->smin = smin, d->smax = smax, d->umin = umin, d->umax = umax;
	d->var_off = tnum_add(d->var_off, s->var_off);
}

static void scalar_sub(struct vreg *d, const struct vreg *s)
{
	int64_t smin, smax;
	if (__builtin_sub_overflow(d->smin, s->smax, &smin) || __builtin_sub_overflow(d->smax, s->smin, &smax)) {
		smin = INT64_MIN;
		smax = INT64_MAX;
	}
	uint64_t umin = d->umin - s->umax, umax = d->umax - s->umin;
	if (d->umin < s->umax) {
		umin = 0;
		umax = UINT64_MAX;
	}
	d->smin = smin, d->smax = smax, d->umin = umin, d->umax = umax;
	d->var_off = tnum_sub(d->var_off, s->var_off);
}

/* Bounds only from the known bits (bitwise results). */
static void bounds_unknown(struct vreg *d)
{
	d->smin = INT64_MIN;
	d->smax = INT64_MAX;
	d->umin = 0;
	d->umax = UINT64_MAX;
}

static void scalar_mul(struct vreg *d, const struct vreg *s)
{
	d->var_off = tnum_mul(d->var_off, s->var_off);
	if (d->umax > U32_MAX || s->umax > U32_MAX || d->smin < 0 || s->smin < 0) {
		bounds_unknown(d);
		return;
	}
	d->umin *= s->umin;
	d->umax *= s->umax;
	d->smin = (int64_t)d->umin;
	d->smax = (int64_t)d->umax;
}

static void scalar_shift(struct vreg *d, const struct vreg *s, uint8_t op, int width)
{
	if (!tnum_is_const(s->var_off) || s->var_off.value >= (uint64_t)width) {
		mark_reg_unknown(d);
		return;
	}
	uint8_t k = (uint8_t)s->var_off.value;
	if (op == BPF_LSH) {
		bool fits = k == 0 || d->umax <= (UINT64_MAX >> k);
		d->var_off = tnum_lshift(d->var_off, k);
		if (fits) {
			d->umin <<= k;
			d->umax <<= k;
			d->smin = INT64_MIN, d->smax = INT64_MAX;
		} else {
			bounds_unknown(d);
		}
	} else if (op == BPF_RSH) {
		d->var_off = tnum_rshift(d->var_off, k);
		d->umin >>= k;
		d->umax >>= k;
		d->smin = INT64_MIN, d->smax = INT64_MAX;
	} else {
		d->var_off = tnum_arshift(d->var_off, k, (uint8_t)width);
		if (width == 64) {
			d->smin >>= k;
			d->smax >>= k;
		} else {
			d->smin = INT64_MIN, d->smax = INT64_MAX;
		}
		d->umin = 0, d->umax = UINT64_MAX;
	}
}

/* dst op= src on two numbers, 64-bit. */
static void scalar_op(struct vreg *d, const struct vreg *s, uint8_t op, int width)
{
	switch (op) {
	case BPF_ADD:
		scalar_add(d, s);
		break;
	case BPF_SUB:
		scalar_sub(d, s);
		break;
	case BPF_MUL:
		scalar_mul(d, s);
		break;
	case BPF_AND:
		d->var_off = tnum_and(d->var_off, s->var_off);
		d->umax = MIN(d->umax, s->umax);
		d->umin = 0, d->smin = INT64_MIN, d->smax = INT64_MAX;
		break;
	case BPF_OR:
		d->var_off = tnum_or(d->var_off, s->var_off);
		d->umin = MAX(d->umin, s->umin);
		d->umax = UINT64_MAX, d->smin = INT64_MIN, d->smax = INT64_MAX;
		break;
	case BPF_XOR:
		d->var_off = tnum_xor(d->var_off, s->var_off);
		bounds_unknown(d);
		break;
	case BPF_LSH:
	case BPF_RSH:
	case BPF_ARSH:
		scalar_shift(d, s, op, width);
		break;
	default: /* DIV, MOD: a number, nothing more is known */
		mark_reg_unknown(d);
		break;
	}
	reg_bounds_sync(d);
}

/* The low 32 bits of r as a number of its own, zero-extended. */
static struct vreg low32(const struct vreg *r)
{
	struct vreg v = *r;
	if (v.umax > U32_MAX) {
		bounds_unknown(&v);
		coerce_reg_to_size(&v, 4);
	}
	return v;
}

/* dst op= src on numbers, 32-bit: computed on the low halves, truncated, zero-extended. */
static void scalar_op32(struct vreg *d, const struct vreg *s, uint8_t op)
{
	struct vreg a = low32(d), b = low32(s);
	if (op == BPF_ARSH) {
		/* The sign is bit 31: shift in 32 bits, bounds from the bits alone. */
		scalar_shift(&a, &b, op, 32);
		bounds_unknown(&a);
	} else {
		scalar_op(&a, &b, op, 32);
	}
	if (a.umax > U32_MAX || a.umin > a.umax)
		bounds_unknown(&a);
	coerce_reg_to_size(&a, 4);
	*d = a;
}

/* Pointer ± number (the number possibly variable); reversed: "number op= pointer". */
static long adjust_ptr(struct venv *env, const struct bpf_insn *insn, const struct vreg *ptr, const struct vreg *num,
		       bool reversed)
{
	struct vreg *dst = &env->cur->regs[insn->dst_reg];
	uint8_t op = BPF_OP(insn->code);
	const char *name = reg_type_name(ptr->type);
	if (BPF_CLASS(insn->code) != BPF_ALU64) {
		if (op == BPF_SUB) { /* allowed to root: a meaningless number */
			mark_reg_unknown(dst);
			coerce_reg_to_size(dst, 4);
			return 0;
		}
		verbose(env, "R%d 32-bit pointer arithmetic prohibited\n", insn->dst_reg);
		return -EACCES;
	}
	if (op == BPF_SUB && reversed) {
		verbose(env, "R%d tried to subtract pointer from scalar\n", insn->dst_reg);
		return -EACCES;
	}
	if (ptr->type == PTR_TO_MAP_VALUE_OR_NULL || ptr->type == PTR_TO_MEM_OR_NULL) {
		verbose(env, "R%d pointer arithmetic on %s prohibited, null-check it first\n", insn->dst_reg, name);
		return -EACCES;
	}
	if (ptr->type == CONST_PTR_TO_MAP && !(op == BPF_ADD && reg_is_const(num) && num->var_off.value == 0)) {
		verbose(env, "R%d pointer arithmetic on %s prohibited\n", insn->dst_reg, name);
		return -EACCES;
	}
	if (op == BPF_AND || op == BPF_OR || op == BPF_XOR) {
		verbose(env, "R%d bitwise operator %s on pointer prohibited\n", insn->dst_reg, alu_op_str[op >> 4]);
		return -EACCES;
	}
	if (op != BPF_ADD && op != BPF_SUB) {
		verbose(env, "R%d pointer arithmetic with %s operator prohibited\n", insn->dst_reg,
			alu_op_str[op >> 4]);
		return -EACCES;
	}
	if (reg_is_const(num)) {
		int64_t v = (int64_t)num->var_off.value;
		if (v >= BPF_MAX_VAR_OFF || v <= -BPF_MAX_VAR_OFF) {
			verbose(env, "value %lld makes %s pointer be out of bounds\n", (long long)v, name);
			return -EINVAL;
		}
	} else if (num->smin == INT64_MIN) {
		verbose(env, "math between %s pointer and register with unbounded min value is not allowed\n", name);
		return -EINVAL;
	} else if (num->smin <= -BPF_MAX_VAR_OFF) {
		verbose(env, "%s pointer offset %lld is not allowed\n", name, (long long)num->smin);
		return -EINVAL;
	}
	struct vreg p = *ptr, n = *num;
	if (reg_is_const(&n)) {
		int64_t off = op == BPF_ADD ? p.off + (int64_t)n.var_off.value : p.off - (int64_t)n.var_off.value;
		p.off = (int32_t)off;
	} else {
		struct vreg var = p; /* the variable part, as a number */
		var.type = SCALAR_VALUE;
		scalar_op(&var, &n, op, 64);
		p.var_off = var.var_off;
		p.smin = var.smin, p.smax = var.smax, p.umin = var.umin, p.umax = var.umax;
	}
	if (p.off >= BPF_MAX_VAR_OFF || p.off <= -BPF_MAX_VAR_OFF) {
		verbose(env, "%s pointer offset %d is not allowed\n", name, p.off);
		return -EINVAL;
	}
	*dst = p;
	return 0;
}

/* dst op= src where at least one is a pointer. */
static long alu_with_pointer(struct venv *env, const struct bpf_insn *insn, const struct vreg *src)
{
	struct vreg *dst = &env->cur->regs[insn->dst_reg];
	uint8_t op = BPF_OP(insn->code);
	if (reg_is_pointer(dst) && reg_is_pointer(src)) {
		if (op == BPF_SUB) { /* two pointers' distance: root may see it */
			mark_reg_unknown(dst);
			if (BPF_CLASS(insn->code) == BPF_ALU)
				coerce_reg_to_size(dst, 4);
			return 0;
		}
		verbose(env, "R%d pointer %s pointer prohibited\n", insn->dst_reg, alu_op_str[op >> 4]);
		return -EACCES;
	}
	struct vreg s = *src, d = *dst;
	if (reg_is_pointer(dst))
		return adjust_ptr(env, insn, &d, &s, false);
	return adjust_ptr(env, insn, &s, &d, true);
}

static long check_reserved(struct venv *env, const struct bpf_insn *insn)
{
	uint8_t op = BPF_OP(insn->code);
	bool k = BPF_SRC(insn->code) == BPF_K;
	if (op == BPF_NEG || op == BPF_END) {
		bool bad = insn->src_reg || insn->off ||
			   (op == BPF_NEG ? insn->imm != 0 : insn->imm != 16 && insn->imm != 32 && insn->imm != 64);
		if (bad) {
			verbose(env, "%s uses reserved fields\n", op == BPF_NEG ? "BPF_NEG" : "BPF_END");
			return -EINVAL;
		}
		return 0;
	}
	if (op == BPF_MOV) {
		bool sx = !k && BPF_CLASS(insn->code) == BPF_ALU64 &&
			  (insn->off == 8 || insn->off == 16 || insn->off == 32);
		if ((k && (insn->src_reg || insn->off)) || (!k && (insn->imm || (insn->off && !sx)))) {
			verbose(env, "BPF_MOV uses reserved fields\n");
			return -EINVAL;
		}
		return 0;
	}
	bool signed_div = insn->off == 1 && (op == BPF_DIV || op == BPF_MOD);
	if ((insn->off && !signed_div) || (k ? insn->src_reg != 0 : insn->imm != 0)) {
		verbose(env, "BPF_ALU uses reserved fields\n");
		return -EINVAL;
	}
	return 0;
}

static long check_mov(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *dst = &env->cur->regs[insn->dst_reg];
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	if (BPF_SRC(insn->code) == BPF_K) {
		mark_reg_known(dst, alu64 ? (uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm);
		return 0;
	}
	struct vreg *from = &env->cur->regs[insn->src_reg];
	if (alu64 && insn->off == 0) {
		/* Copies of a number share an id: what a compare learns of one, all learn. */
		if (from->type == SCALAR_VALUE && !from->id && !tnum_is_const(from->var_off))
			from->id = venv_new_id(env);
		*dst = *from;
		return 0;
	}
	struct vreg src = *from;
	if (src.type != SCALAR_VALUE || insn->off) { /* a pointer's low half, or sign-extension */
		bool known = reg_is_const(&src) && insn->off;
		int bits = insn->off;
		uint64_t v = src.var_off.value;
		mark_reg_unknown(dst);
		if (known)
			mark_reg_known(dst, (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits)));
		if (!alu64)
			coerce_reg_to_size(dst, 4);
		return 0;
	}
	*dst = low32(&src);
	return 0;
}

/* NEG and END (byte swaps): exact on constants, otherwise only the width is known. */
static void check_unary(struct vreg *dst, const struct bpf_insn *insn)
{
	bool alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	if (BPF_OP(insn->code) == BPF_NEG && reg_is_const(dst)) {
		uint64_t v = -dst->var_off.value;
		mark_reg_known(dst, alu64 ? v : (uint32_t)v);
		return;
	}
	bool to_le = BPF_OP(insn->code) == BPF_END && !alu64 && BPF_SRC(insn->code) == BPF_TO_LE;
	if (to_le) { /* x86 is little-endian: a truncation */
		if (dst->type != SCALAR_VALUE)
			mark_reg_unknown(dst);
		coerce_reg_to_size(dst, insn->imm / 8);
		return;
	}
	mark_reg_unknown(dst);
	if (BPF_OP(insn->code) == BPF_END)
		coerce_reg_to_size(dst, insn->imm / 8);
	else if (!alu64)
		coerce_reg_to_size(dst, 4);
}

static long do_alu(struct venv *env, const struct bpf_insn *insn);

/* An ALU instruction; a number it changed is no longer a copy of another. */
long check_alu(struct venv *env, const struct bpf_insn *insn)
{
	long err = do_alu(env, insn);
	bool copy = BPF_OP(insn->code) == BPF_MOV && BPF_CLASS(insn->code) == BPF_ALU64 &&
		    BPF_SRC(insn->code) == BPF_X && insn->off == 0;
	struct vreg *dst = &env->cur->regs[insn->dst_reg & 0xf];
	if (!err && !copy && dst->type == SCALAR_VALUE)
		dst->id = 0;
	return err;
}

static long do_alu(struct venv *env, const struct bpf_insn *insn)
{
	uint8_t op = BPF_OP(insn->code);
	bool k = BPF_SRC(insn->code) == BPF_K, alu64 = BPF_CLASS(insn->code) == BPF_ALU64;
	long err = check_reserved(env, insn);
	if (!err && !k)
		err = check_reg_arg(env, insn->src_reg, true);
	if (!err && op != BPF_MOV)
		err = check_reg_arg(env, insn->dst_reg, true);
	if (!err)
		err = check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;
	if (op == BPF_MOV)
		return check_mov(env, insn);
	struct vreg *dst = &env->cur->regs[insn->dst_reg];
	if (op == BPF_NEG || op == BPF_END) {
		if (reg_is_pointer(dst) && op == BPF_NEG) {
			verbose(env, "R%d pointer arithmetic prohibited\n", insn->dst_reg);
			return -EACCES;
		}
		check_unary(dst, insn);
		return 0;
	}
	if (k && (op == BPF_DIV || op == BPF_MOD) && insn->imm == 0) {
		verbose(env, "div by zero\n");
		return -EINVAL;
	}
	if (k && (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && (insn->imm < 0 || insn->imm >= (alu64 ? 64 : 32))) {
		verbose(env, "invalid shift %d\n", insn->imm);
		return -EINVAL;
	}
	struct vreg src;
	if (k)
		mark_reg_known(&src, alu64 ? (uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm);
	else
		src = env->cur->regs[insn->src_reg];
	if (reg_is_pointer(dst) || reg_is_pointer(&src))
		return alu_with_pointer(env, insn, &src);
	if (alu64)
		scalar_op(dst, &src, op, 64);
	else
		scalar_op32(dst, &src, op);
	return 0;
}
