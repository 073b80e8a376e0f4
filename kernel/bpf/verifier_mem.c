/*
 * The verifier at loads and stores (course section: eBPF, the revolution
 * in kernel programming).
 *
 * A program may touch memory only through a pointer the verifier gave it a
 * type: its 512-byte stack (r10 minus an offset), its context (each program
 * type says which bytes, ctx_access.c), a map's value (value_size bytes
 * after a successful lookup), a ringbuf reservation. For each access the
 * verifier knows the pointer's fixed offset and the range of its variable
 * part, so it checks the *whole* range of addresses the access may reach
 * against the object's size. A number is never an address.
 *
 * The stack is tracked byte by byte (verifier.h): a register saved whole
 * into an aligned slot is remembered as that register (a spill), so
 * loading it back (a fill) gives the pointer back; other stores leave
 * "some number" (or "zero"). Root may read bytes never written: they are
 * some number.
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

/* Slot s and byte b (0 = lowest address) of the stack byte at r10 + off (off < 0). */
static struct vslot *stack_slot(struct vstate *st, int64_t off, int *b)
{
	int64_t depth = -off; /* 1..512 */
	*b = BPF_REG_SIZE - 1 - (int)((depth - 1) % BPF_REG_SIZE);
	return &st->stack[(depth - 1) / BPF_REG_SIZE];
}

/* Make slots down to r10 + off exist (never-written bytes), and count the depth. */
static void grow_stack(struct venv *env, int64_t off)
{
	struct vstate *st = env->cur;
	uint32_t need = (uint32_t)((-off + BPF_REG_SIZE - 1) / BPF_REG_SIZE);
	while (st->slots < need) {
		memset(&st->stack[st->slots], 0, sizeof(st->stack[0]));
		mark_reg_not_init(&st->stack[st->slots].spilled);
		st->slots++;
	}
	env->stack_depth = MAX(env->stack_depth, (uint32_t)-off);
}

/* Bytes [off, off + size) become `type`; a spill they touch is no longer one. */
static void stack_mark(struct venv *env, int64_t off, int64_t size, uint8_t type)
{
	grow_stack(env, off);
	for (int64_t a = off; a < off + size; a++) {
		int b;
		struct vslot *slot = stack_slot(env->cur, a, &b);
		if (slot->bytes[b] == STACK_SPILL) {
			for (int i = 0; i < BPF_REG_SIZE; i++)
				if (slot->bytes[i] == STACK_SPILL)
					slot->bytes[i] = STACK_MISC;
			mark_reg_not_init(&slot->spilled);
		}
		slot->bytes[b] = type;
	}
}

/* [lo, hi) inside the stack, or the log says why not. */
static long stack_bounds(struct venv *env, int regno, int64_t lo, int64_t hi, bool write, long errno_code)
{
	if (lo >= -MAX_BPF_STACK && hi <= 0 && lo < hi)
		return 0;
	const struct vreg *r = &env->cur->regs[regno];
	const char *what = write ? "write to" : "read from";
	if (tnum_is_const(r->var_off)) {
		verbose(env, "invalid %s stack R%d off=%lld size=%lld\n", what, regno, (long long)lo,
			(long long)(hi - lo));
	} else {
		char t[48];
		tnum_str(t, sizeof(t), r->var_off);
		verbose(env, "invalid variable-offset %s stack R%d var_off=%s off=%d size=%lld\n", what, regno, t,
			(int)(lo - r->smin), (long long)(hi - lo - (r->smax - r->smin)));
		errno_code = -EINVAL; /* Linux's errno for a variable offset, direct or through a helper */
	}
	return errno_code;
}

/* The lowest and highest start of an access at reg + off. */
static void access_range(const struct vreg *r, int32_t off, int64_t *lo, int64_t *hi)
{
	if (tnum_is_const(r->var_off)) {
		*lo = *hi = r->off + off + (int64_t)r->var_off.value;
		return;
	}
	*lo = r->off + off + r->smin;
	*hi = r->off + off + r->smax;
}

static long check_stack_align(struct venv *env, const struct vreg *r, int32_t off, int size)
{
	struct tnum at = tnum_add(r->var_off, tnum_const((uint64_t)(int64_t)(r->off + off)));
	if (!((at.value | at.mask) & (uint64_t)(size - 1)))
		return 0;
	char t[48];
	tnum_str(t, sizeof(t), r->var_off);
	verbose(env, "misaligned stack access off %s+%d+%d size %d\n", t, r->off, off, size);
	return -EACCES;
}

/* A load from the stack into dst. */
static void stack_read(struct venv *env, int64_t off, int size, struct vreg *dst)
{
	int b;
	struct vslot *slot = stack_slot(env->cur, off, &b);
	bool spilled = slot->bytes[b] == STACK_SPILL && slot->bytes[0] == STACK_SPILL &&
		       slot->bytes[BPF_REG_SIZE - 1] == STACK_SPILL;
	if (spilled && size == BPF_REG_SIZE) {
		*dst = slot->spilled;
		return;
	}
	bool zero = true;
	for (int64_t a = off; a < off + size; a++)
		if (stack_slot(env->cur, a, &b)->bytes[b] != STACK_ZERO)
			zero = false;
	if (zero) {
		mark_reg_known(dst, 0);
		return;
	}
	mark_reg_unknown(dst);
	coerce_reg_to_size(dst, size);
}

/* A store to the stack; value NULL for an atomic update (some number). */
static long stack_write(struct venv *env, int64_t off, int size, const struct vreg *value)
{
	bool whole_slot = size == BPF_REG_SIZE && off % BPF_REG_SIZE == 0;
	if (value && whole_slot) {
		stack_mark(env, off, size, STACK_SPILL);
		int b;
		stack_slot(env->cur, off, &b)->spilled = *value;
		return 0;
	}
	if (value && reg_is_pointer(value)) {
		verbose(env, "invalid size of register spill\n");
		return -EACCES;
	}
	bool zero = value && reg_is_const(value) && value->var_off.value == 0;
	stack_mark(env, off, size, zero ? STACK_ZERO : STACK_MISC);
	return 0;
}

static long stack_access(struct venv *env, int regno, int32_t off, int size, bool write, const struct vreg *value,
			 struct vreg *dst)
{
	const struct vreg *r = &env->cur->regs[regno];
	int64_t lo, hi;
	access_range(r, off, &lo, &hi);
	long err = check_stack_align(env, r, off, size);
	if (!err)
		err = stack_bounds(env, regno, lo, hi + size, write, -EACCES);
	if (err)
		return err;
	grow_stack(env, lo);
	if (lo != hi) { /* a variable offset: any of the bytes may be the ones */
		if (write)
			stack_mark(env, lo, hi + size - lo, STACK_MISC);
		else
			mark_reg_unknown(dst), coerce_reg_to_size(dst, size);
		return 0;
	}
	if (write)
		return stack_write(env, lo, size, value);
	stack_read(env, lo, size, dst);
	return 0;
}

long check_map_region(struct venv *env, int regno, int32_t off, uint64_t size, uint32_t mem_size, bool zero_ok)
{
	const struct vreg *r = &env->cur->regs[regno];
	bool map = r->type == PTR_TO_MAP_VALUE;
	if (r->smin < 0 && (r->smin == INT64_MIN || off + r->smin != (int32_t)(off + r->smin) || off + r->smin < 0)) {
		verbose(env, "R%d min value is negative, either use unsigned index or do a if (index >=0) check.\n", regno);
		return -EACCES;
	}
	const char *which[2] = { "min", "max" };
	for (int i = 0; i < 2; i++) {
		if (i == 1 && r->umax >= BPF_MAX_VAR_OFF) {
			verbose(env, "R%d unbounded memory access, make sure to bounds check any such access\n", regno);
			return -EACCES;
		}
		/* Both ends are small here: the checks above bound them. */
		int64_t at = off + (i == 0 ? r->smin : (int64_t)r->umax);
		if (at >= 0 && (size > 0 || zero_ok) && (uint64_t)at + size <= mem_size)
			continue;
		if (map)
			verbose(env, "invalid access to map value, value_size=%u off=%lld size=%llu\n", mem_size,
				(long long)at, (unsigned long long)size);
		else
			verbose(env, "invalid access to memory, mem_size=%u off=%lld size=%llu\n", mem_size,
				(long long)at, (unsigned long long)size);
		verbose(env, "R%d %s value is outside of the allowed memory range\n", regno, which[i]);
		return -EACCES;
	}
	return 0;
}

static long ctx_access(struct venv *env, int regno, int32_t off, int size, bool write)
{
	const struct vreg *r = &env->cur->regs[regno];
	if (r->off) {
		verbose(env, "dereference of modified ctx ptr R%d off=%d disallowed\n", regno, r->off);
		return -EACCES;
	}
	if (!tnum_equals_const(r->var_off, 0)) {
		char t[48];
		tnum_str(t, sizeof(t), r->var_off);
		verbose(env, "variable ctx access var_off=%s disallowed\n", t);
		return -EACCES;
	}
	if (!ctx_access_ok(env->prog->type, off, size, write)) {
		verbose(env, "invalid bpf_context access off=%d size=%d\n", off, size);
		return -EACCES;
	}
	return 0;
}

static long map_value_access(struct venv *env, int regno, int32_t off, int size, bool write)
{
	const struct vreg *r = &env->cur->regs[regno];
	uint32_t flags = r->map->map_flags;
	if (write && (flags & BPF_F_RDONLY_PROG)) {
		verbose(env, "write into map forbidden, value_size=%u off=%d size=%d\n", r->map->value_size,
			r->off + off, size);
		return -EACCES;
	}
	if (!write && (flags & BPF_F_WRONLY_PROG)) {
		verbose(env, "read from map forbidden, value_size=%u off=%d size=%d\n", r->map->value_size,
			r->off + off, size);
		return -EACCES;
	}
	return check_map_region(env, regno, r->off + off, (uint64_t)size, r->map->value_size, false);
}

/*
 * size bytes at regs[regno] + off. A read leaves what was read in *dst; a
 * write stores *value (NULL: some number).
 */
static long check_mem_access(struct venv *env, int regno, int32_t off, int size, bool write,
			     const struct vreg *value, struct vreg *dst)
{
	const struct vreg *r = &env->cur->regs[regno];
	long err;
	switch (r->type) {
	case PTR_TO_STACK:
		return stack_access(env, regno, off, size, write, value, dst);
	case PTR_TO_CTX:
		err = ctx_access(env, regno, off, size, write);
		break;
	case PTR_TO_MAP_VALUE:
		err = map_value_access(env, regno, off, size, write);
		break;
	case PTR_TO_MEM:
		err = check_map_region(env, regno, r->off + off, (uint64_t)size, r->mem_size, false);
		break;
	default:
		verbose(env, "R%d invalid mem access '%s'\n", regno, reg_type_name(r->type));
		return -EACCES;
	}
	if (!err && !write) {
		mark_reg_unknown(dst);
		coerce_reg_to_size(dst, size);
	}
	return err;
}

static int size_bytes(uint8_t code)
{
	static const int bytes[4] = { 4, 2, 1, 8 }; /* BPF_W, BPF_H, BPF_B, BPF_DW */
	return bytes[BPF_SIZE(code) >> 3];
}

long check_ldx(struct venv *env, const struct bpf_insn *insn)
{
	if (insn->imm) {
		verbose(env, "BPF_LDX uses reserved fields\n");
		return -EINVAL;
	}
	long err = check_reg_arg(env, insn->src_reg, true);
	if (!err)
		err = check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;
	struct vreg loaded;
	int size = size_bytes(insn->code);
	err = check_mem_access(env, insn->src_reg, insn->off, size, false, NULL, &loaded);
	if (err)
		return err;
	if (BPF_MODE(insn->code) == BPF_MEMSX && loaded.type == SCALAR_VALUE) /* sign-extended: any number */
		mark_reg_unknown(&loaded);
	env->cur->regs[insn->dst_reg] = loaded;
	return 0;
}

/* BPF_STX (a register) and BPF_ST (an immediate). */
long check_stx(struct venv *env, const struct bpf_insn *insn)
{
	bool imm = BPF_CLASS(insn->code) == BPF_ST;
	if (imm ? insn->src_reg != 0 : insn->imm != 0) {
		verbose(env, "%s uses reserved fields\n", imm ? "BPF_ST" : "BPF_STX");
		return -EINVAL;
	}
	long err = imm ? 0 : check_reg_arg(env, insn->src_reg, true);
	if (!err)
		err = check_reg_arg(env, insn->dst_reg, true);
	if (err)
		return err;
	struct vreg value;
	if (imm)
		mark_reg_known(&value, (uint64_t)(int64_t)insn->imm);
	else
		value = env->cur->regs[insn->src_reg];
	return check_mem_access(env, insn->dst_reg, insn->off, size_bytes(insn->code), true, &value, NULL);
}

static bool atomic_op_ok(int32_t imm)
{
	int32_t op = imm & ~BPF_FETCH;
	if (imm == BPF_XCHG || imm == BPF_CMPXCHG)
		return true;
	return op == BPF_ADD || op == BPF_OR || op == BPF_AND || op == BPF_XOR;
}

long check_atomic(struct venv *env, const struct bpf_insn *insn)
{
	if (!atomic_op_ok(insn->imm)) {
		verbose(env, "BPF_ATOMIC uses invalid atomic opcode %02x\n", insn->imm);
		return -EINVAL;
	}
	long err = check_reg_arg(env, insn->src_reg, true);
	if (!err)
		err = check_reg_arg(env, insn->dst_reg, true);
	if (!err && insn->imm == BPF_CMPXCHG)
		err = check_reg_arg(env, BPF_REG_0, true);
	if (err)
		return err;
	const struct vreg *r = &env->cur->regs[insn->dst_reg];
	if (r->type != PTR_TO_STACK && r->type != PTR_TO_MAP_VALUE && r->type != PTR_TO_MEM) {
		verbose(env, "BPF_ATOMIC stores into R%d %s is not allowed\n", insn->dst_reg, reg_type_name(r->type));
		return -EACCES;
	}
	int size = size_bytes(insn->code);
	struct vreg old;
	err = check_mem_access(env, insn->dst_reg, insn->off, size, false, NULL, &old);
	if (!err)
		err = check_mem_access(env, insn->dst_reg, insn->off, size, true, NULL, NULL);
	if (err)
		return err;
	int fetched = insn->imm == BPF_CMPXCHG ? BPF_REG_0 : (insn->imm & BPF_FETCH) ? insn->src_reg : -1;
	if (fetched >= 0) {
		mark_reg_unknown(&env->cur->regs[fetched]);
		coerce_reg_to_size(&env->cur->regs[fetched], size);
	}
	return 0;
}

long check_ld_abs(struct venv *env, const struct bpf_insn *insn)
{
	if (!prog_type_has_ld_abs(env->prog->type)) {
		verbose(env, "BPF_LD_[ABS|IND] instructions not allowed for this program type\n");
		return -EINVAL;
	}
	bool abs = BPF_MODE(insn->code) == BPF_ABS;
	if (insn->dst_reg || insn->off || (abs && insn->src_reg)) {
		verbose(env, "BPF_LD_[ABS|IND] uses reserved fields\n");
		return -EINVAL;
	}
	long err = check_reg_arg(env, BPF_REG_6, true);
	if (!err && !abs)
		err = check_reg_arg(env, insn->src_reg, true);
	if (err)
		return err;
	if (env->cur->nrefs) {
		verbose(env, "BPF_LD_[ABS|IND] cannot be mixed with socket references\n");
		return -EINVAL;
	}
	if (env->cur->regs[BPF_REG_6].type != PTR_TO_CTX) {
		verbose(env, "at the time of BPF_LD_ABS|IND R6 != pointer to skb\n");
		return -EINVAL;
	}
	/* The load is a hidden call: r1-r5 are clobbered, r0 holds the bytes. */
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		mark_reg_not_init(&env->cur->regs[i]);
	mark_reg_unknown(&env->cur->regs[BPF_REG_0]);
	return 0;
}

long check_helper_mem(struct venv *env, int regno, uint64_t size, bool write, bool zero_ok)
{
	const struct vreg *r = &env->cur->regs[regno];
	switch (r->type) {
	case PTR_TO_STACK: {
		if (size == 0) {
			if (zero_ok)
				return 0;
			verbose(env, "invalid zero-sized read\n");
			return -EACCES;
		}
		int64_t lo, hi;
		access_range(r, 0, &lo, &hi);
		long err = stack_bounds(env, regno, lo, hi + (int64_t)size, write, -EINVAL);
		if (err)
			return err;
		if (write)
			stack_mark(env, lo, hi + (int64_t)size - lo, STACK_MISC);
		else
			grow_stack(env, lo);
		return 0;
	}
	case PTR_TO_MAP_VALUE:
		return check_map_region(env, regno, r->off, size, r->map->value_size, zero_ok);
	case PTR_TO_MEM:
		return check_map_region(env, regno, r->off, size, r->mem_size, zero_ok);
	default:
		verbose(env, "R%d type=%s expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem\n", regno,
			reg_type_name(r->type));
		return -EACCES;
	}
}

int64_t stack_const_key(struct venv *env, const struct vreg *key, uint32_t key_size)
{
	if (key->type != PTR_TO_STACK || !tnum_is_const(key->var_off))
		return -1;
	int64_t off = key->off + (int64_t)key->var_off.value;
	if (off < -MAX_BPF_STACK || off + key_size > 0)
		return -1;
	struct vreg v;
	stack_read(env, off, (int)MIN(key_size, BPF_REG_SIZE), &v);
	if (!reg_is_const(&v) || key_size > BPF_REG_SIZE)
		return -1;
	return (int64_t)v.var_off.value;
}
