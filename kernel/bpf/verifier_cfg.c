/*
 * The verifier's passes before the walk (course section: eBPF, the
 * revolution in kernel programming).
 *
 * Cheap checks of the program's shape come first, each over the whole
 * program: every jump lands inside it, it ends with exit (or a jump, never
 * falling off the end), every opcode is one the machine has, each 64-bit
 * immediate is whole and the map fds it names are maps (the program now
 * holds a reference to each). Then the control-flow graph: every
 * instruction must be reachable (dead code is refused, it would be
 * unverified code), and no jump may land in the second half of a 64-bit
 * immediate. The targets of jumps are marked as prune points, where the walk
 * keeps checkpoints (verifier_states.c).
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"
#include "mm/heap.h"

static bool is_ld_imm64(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_DW | BPF_IMM);
}

/* A jump with a target (not call or exit); its target in *to. */
static bool jump_target(const struct bpf_insn *insn, int64_t at, int64_t *to)
{
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	if (op == BPF_CALL || op == BPF_EXIT)
		return false;
	/* JMP32|JA ("gotol") keeps its longer offset in imm. */
	*to = at + 1 + (cls == BPF_JMP32 && op == BPF_JA ? insn->imm : insn->off);
	return true;
}

long check_jumps(struct venv *env)
{
	for (uint32_t i = 0; i < env->len; i++) {
		const struct bpf_insn *insn = &env->insns[i];
		int64_t to;
		if (jump_target(insn, i, &to) && (to < 0 || to >= env->len)) {
			verbose(env, "jump out of range from insn %u to %lld\n", i, (long long)to);
			return -EINVAL;
		}
	}
	uint8_t last = env->insns[env->len - 1].code;
	if (last != (BPF_JMP | BPF_EXIT) && last != (BPF_JMP | BPF_JA)) {
		verbose(env, "last insn is not an exit or jmp\n");
		return -EINVAL;
	}
	return 0;
}

static bool size_ok(uint8_t code, bool dw)
{
	return BPF_SIZE(code) != BPF_DW || dw;
}

/* Whether the machine has this opcode (Linux's instruction table). */
static bool opcode_ok(uint8_t code)
{
	uint8_t op = BPF_OP(code), mode = BPF_MODE(code);
	switch (BPF_CLASS(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_NEG)
			return BPF_SRC(code) == BPF_K;
		if (op == BPF_END)
			return BPF_CLASS(code) == BPF_ALU || BPF_SRC(code) == BPF_TO_LE;
		return op <= BPF_END;
	case BPF_JMP:
	case BPF_JMP32:
		if (op == BPF_CALL || op == BPF_EXIT)
			return BPF_CLASS(code) == BPF_JMP && BPF_SRC(code) == BPF_K;
		if (op == BPF_JA)
			return BPF_SRC(code) == BPF_K;
		return op <= BPF_JSLE;
	case BPF_LD:
		if (mode == BPF_IMM)
			return BPF_SIZE(code) == BPF_DW;
		return (mode == BPF_ABS || mode == BPF_IND) && size_ok(code, false);
	case BPF_LDX:
		return mode == BPF_MEM || (mode == BPF_MEMSX && size_ok(code, false));
	case BPF_ST:
		return mode == BPF_MEM;
	default: /* BPF_STX */
		if (mode == BPF_ATOMIC)
			return BPF_SIZE(code) == BPF_W || BPF_SIZE(code) == BPF_DW;
		return mode == BPF_MEM;
	}
}

/* One more reference on map, kept in prog->used_maps (once per map). */
static long use_map(struct venv *env, int fd, struct bpf_map **out)
{
	long err = 0;
	struct bpf_map *map = bpf_map_get_fd(fd, &err);
	if (!map) {
		verbose(env, "fd %d is not pointing to valid bpf_map\n", fd);
		return err ? err : -EBADF;
	}
	struct bpf_prog *prog = env->prog;
	for (uint32_t i = 0; i < prog->n_used_maps; i++) {
		if (prog->used_maps[i] == map) {
			bpf_map_put(map);
			*out = map;
			return 0;
		}
	}
	if (prog->n_used_maps == BPF_MAX_USED_MAPS) {
		bpf_map_put(map);
		verbose(env, "too many different maps\n");
		return -E2BIG;
	}
	prog->used_maps[prog->n_used_maps++] = map;
	*out = map;
	return 0;
}

/* The two halves of an ld_imm64 at i: shape, and the map it names. */
static long resolve_one(struct venv *env, uint32_t i)
{
	struct bpf_insn *insn = &env->insns[i];
	const struct bpf_insn *hi = insn + 1;
	if (i + 1 == env->len || hi->code || hi->dst_reg || hi->src_reg || hi->off || insn->off) {
		verbose(env, "invalid bpf_ld_imm64 insn\n");
		return -EINVAL;
	}
	env->insn_flags[i + 1] |= VINSN_LDIMM_HI;
	if (insn->src_reg == 0)
		return 0;
	if (insn->src_reg != BPF_PSEUDO_MAP_FD && insn->src_reg != BPF_PSEUDO_MAP_VALUE) {
		verbose(env, "unrecognized bpf_ld_imm64 insn\n");
		return -EINVAL;
	}
	struct bpf_map *map;
	long err = use_map(env, insn->imm, &map);
	if (err)
		return err;
	env->insn_map[i] = map;
	if (insn->src_reg == BPF_PSEUDO_MAP_FD)
		return 0;
	uint64_t addr;
	if (!map->ops || !map->ops->direct_value_addr) {
		verbose(env, "map direct value access is not supported for map type %u\n", map->type);
		return -EINVAL;
	}
	err = map->ops->direct_value_addr(map, &addr, (uint32_t)hi->imm);
	if (err) {
		verbose(env, "invalid access to map value pointer, value_size=%u off=%u\n", map->value_size,
			(uint32_t)hi->imm);
		return err;
	}
	return 0;
}

long resolve_ld_imm64(struct venv *env)
{
	for (uint32_t i = 0; i < env->len; i++) {
		const struct bpf_insn *insn = &env->insns[i];
		if (!opcode_ok(insn->code)) {
			verbose(env, "unknown opcode %02x\n", insn->code);
			return -EINVAL;
		}
		if (!is_ld_imm64(insn))
			continue;
		long err = resolve_one(env, i);
		if (err)
			return err;
		i++;
	}
	return 0;
}

/* The walk of ld_imm64: a constant, a map, or an address inside a map's value. */
long check_ld_imm64(struct venv *env, const struct bpf_insn *insn)
{
	long err = check_reg_arg(env, insn->dst_reg, false);
	if (err)
		return err;
	struct vreg *dst = &env->cur->regs[insn->dst_reg];
	if (insn->src_reg == 0) {
		mark_reg_known(dst, (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32));
		return 0;
	}
	mark_reg_known(dst, 0);
	dst->map = env->insn_map[env->idx];
	if (insn->src_reg == BPF_PSEUDO_MAP_FD) {
		dst->type = CONST_PTR_TO_MAP;
	} else {
		dst->type = PTR_TO_MAP_VALUE;
		dst->off = insn[1].imm;
	}
	return 0;
}

/* After a successful walk: each map ld_imm64 holds the address the interpreter loads. */
void finish_ld_imm64(struct venv *env)
{
	for (uint32_t i = 0; i + 1 < env->len; i++) {
		struct bpf_insn *insn = &env->insns[i];
		struct bpf_map *map = env->insn_map[i];
		if (!is_ld_imm64(insn) || !map)
			continue;
		uint64_t addr = (uint64_t)(uintptr_t)map;
		if (insn->src_reg == BPF_PSEUDO_MAP_VALUE)
			map->ops->direct_value_addr(map, &addr, (uint32_t)insn[1].imm);
		insn[0].imm = (int32_t)(uint32_t)addr;
		insn[1].imm = (int32_t)(uint32_t)(addr >> 32);
		insn->src_reg = 0;
	}
}

void release_used_maps(struct bpf_prog *prog)
{
	while (prog->n_used_maps)
		bpf_map_put(prog->used_maps[--prog->n_used_maps]);
}

/* Mark to as reached (once) and as a prune point; push it for a visit. */
static long reach(struct venv *env, uint32_t from, uint32_t to, uint32_t *todo, uint32_t *n, bool prune)
{
	if (env->insn_flags[to] & VINSN_LDIMM_HI) {
		verbose(env, "jump into the middle of ldimm64 insn %u\n", to - 1);
		return -EINVAL;
	}
	(void)from;
	if (prune)
		env->insn_flags[to] |= VINSN_PRUNE_POINT;
	if (!(env->insn_flags[to] & VINSN_SEEN)) {
		env->insn_flags[to] |= VINSN_SEEN;
		todo[(*n)++] = to;
	}
	return 0;
}

/* The instructions that can follow i, marked reached; an errno if one is bad. */
static long visit(struct venv *env, uint32_t i, uint32_t *todo, uint32_t *n)
{
	const struct bpf_insn *insn = &env->insns[i];
	int64_t to;
	if (jump_target(insn, i, &to)) {
		bool cond = BPF_OP(insn->code) != BPF_JA;
		long err = reach(env, i, (uint32_t)to, todo, n, true);
		if (err || !cond)
			return err;
		return reach(env, i, i + 1, todo, n, true);
	}
	if (insn->code == (BPF_JMP | BPF_EXIT))
		return 0;
	return reach(env, i, i + (is_ld_imm64(insn) ? 2 : 1), todo, n, false);
}

long check_cfg(struct venv *env)
{
	uint32_t *todo = kmalloc(env->len * sizeof(*todo));
	if (!todo)
		return -ENOMEM;
	uint32_t n = 0;
	long err = 0;
	env->insn_flags[0] |= VINSN_SEEN;
	todo[n++] = 0;
	while (n && !err)
		err = visit(env, todo[--n], todo, &n);
	kfree(todo);
	for (uint32_t i = 0; i < env->len && !err; i++) {
		if (!(env->insn_flags[i] & (VINSN_SEEN | VINSN_LDIMM_HI))) {
			verbose(env, "unreachable insn %u\n", i);
			err = -EINVAL;
		}
	}
	return err;
}
