/*
 * The eBPF verifier: bpf_check() and the walk over every path (course
 * section: eBPF, the revolution in kernel programming).
 *
 * The kernel is about to run code a user wrote. It cannot trust it, and it
 * cannot test it on every input, so it proves it: it walks the program once
 * per path, with abstract register values (verifier.h), and checks every
 * instruction against what its operands may be on that path. At a
 * conditional jump whose direction is not known, the walk continues one way
 * and queues the other (push_branch); when a path ends (exit) the next
 * queued branch is taken up, until none is left. At a loop's head the same
 * instruction is met again with new knowledge, and walking on is what
 * proves the loop ends (the count of walked instructions has a limit);
 * checkpoints (verifier_states.c) stop a path that an earlier, finished
 * path already covers, and catch loops that come back unchanged.
 *
 * The passes of bpf_check(), in order, as Linux runs them:
 *   1. the log's attributes (verifier_log.c)
 *   2. the program's shape: jumps in range, the last instruction, opcodes,
 *      64-bit immediates and the maps they name (verifier_cfg.c)
 *   3. every instruction reachable (verifier_cfg.c); which registers are
 *      read later, for pruning (verifier_live.c)
 *   4. the walk (here), instruction by instruction (verifier_regs.c,
 *      verifier_branch.c, verifier_mem.c, verifier_calls.c)
 *   5. on success: the maps' addresses into the instructions, stack_depth,
 *      verified_insns; the summary line into the log.
 */
#include "kernel/bpf/verifier.h"
#include "drivers/timer.h"
#include "kernel/printk.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

uint32_t venv_new_id(struct venv *env)
{
	return ++env->next_id;
}

void vstate_copy(struct vstate *dst, const struct vstate *src)
{
	memcpy(dst, src, VSTATE_SIZE(src->slots));
}

struct vstate *vstate_dup(const struct vstate *src)
{
	struct vstate *copy = kmalloc(VSTATE_SIZE(src->slots));
	if (copy)
		vstate_copy(copy, src);
	return copy;
}

struct vstate *push_branch(struct venv *env, uint32_t insn, long *err)
{
	if (env->npending >= BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
		verbose(env, "The sequence of %u jumps is too complex.\n", env->npending + 1);
		*err = -E2BIG;
		return NULL;
	}
	if (env->npending == env->pending_cap) {
		uint32_t cap = env->pending_cap ? env->pending_cap * 2 : 16;
		struct vpending *bigger = kmalloc(cap * sizeof(*bigger));
		if (!bigger) {
			*err = -ENOMEM;
			return NULL;
		}
		if (env->npending)
			memcpy(bigger, env->pending, env->npending * sizeof(*bigger));
		kfree(env->pending);
		env->pending = bigger;
		env->pending_cap = cap;
	}
	/* A loop pushes and pops a branch each turn: reuse the last popped copy. */
	struct vstate *st = env->spare;
	if (st && env->spare_slots >= env->cur->slots) {
		env->spare = NULL;
		vstate_copy(st, env->cur);
	} else if (!(st = vstate_dup(env->cur))) {
		*err = -ENOMEM;
		return NULL;
	}
	env->pending[env->npending++] = (struct vpending){ insn, env->idx, vlog_pos(env), st };
	return st;
}

/* The next queued branch becomes the current path; false when none is left. */
static bool pop_branch(struct venv *env)
{
	close_checkpoints(env);
	if (env->npending == 0)
		return false;
	struct vpending *p = &env->pending[--env->npending];
	vstate_copy(env->cur, p->st);
	kfree(env->spare);
	env->spare = p->st;
	env->spare_slots = p->st->slots;
	env->idx = p->insn;
	env->prev_idx = p->from;
	/* Level 1 shows only the path that failed: a finished one is forgotten. */
	if (!vlog_on(env, BPF_LOG_LEVEL2))
		vlog_reset(env, p->log_pos);
	/* As Linux: level 1 continues the jump's line ("goto pc+1 3: R0=..."). */
	if (vlog_on(env, BPF_LOG_LEVEL2))
		verbose(env, "\nfrom %u to %u:", p->from, p->insn);
	else if (vlog_on(env, BPF_LOG_LEVEL1))
		verbose(env, " %u:", p->insn);
	if (vlog_on(env, BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2))
		print_vstate(env, env->cur);
	return true;
}

/* r1 is the context, r10 the frame pointer, the rest not yet written. */
static void init_state(struct vstate *st)
{
	memset(st, 0, VSTATE_SIZE(MAX_BPF_STACK_SLOTS));
	for (int i = 0; i < MAX_BPF_REG; i++)
		mark_reg_not_init(&st->regs[i]);
	mark_reg_known(&st->regs[BPF_REG_1], 0);
	st->regs[BPF_REG_1].type = PTR_TO_CTX;
	mark_reg_known(&st->regs[BPF_REG_10], 0);
	st->regs[BPF_REG_10].type = PTR_TO_STACK;
}

static long check_ja(struct venv *env, const struct bpf_insn *insn, uint32_t *next)
{
	if (insn->imm || insn->src_reg || insn->dst_reg || BPF_SRC(insn->code) != BPF_K) {
		verbose(env, "BPF_JA uses reserved fields\n");
		return -EINVAL;
	}
	*next = env->idx + insn->off + 1;
	return 0;
}

/* One instruction of the current path: 0 and *next, 1 at the path's end, or an errno. */
static long step(struct venv *env, const struct bpf_insn *insn, uint32_t *next)
{
	uint8_t cls = BPF_CLASS(insn->code);
	*next = env->idx + 1;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		return check_alu(env, insn);
	case BPF_LDX:
		return check_ldx(env, insn);
	case BPF_ST:
		return check_stx(env, insn);
	case BPF_STX:
		return BPF_MODE(insn->code) == BPF_ATOMIC ? check_atomic(env, insn) : check_stx(env, insn);
	case BPF_LD:
		if (BPF_MODE(insn->code) == BPF_IMM) {
			*next = env->idx + 2;
			return check_ld_imm64(env, insn);
		}
		return check_ld_abs(env, insn);
	}
	/* BPF_JMP and BPF_JMP32 */
	switch (BPF_OP(insn->code)) {
	case BPF_JA:
		env->jmps_processed++;
		return check_ja(env, insn, next);
	case BPF_CALL:
		env->jmps_processed++;
		return check_helper_call(env, insn);
	case BPF_EXIT: {
		env->jmps_processed++;
		long err = check_exit(env);
		return err ? err : 1;
	}
	}
	env->jmps_processed++;
	return check_cond_jmp(env, insn, next);
}

static long do_check(struct venv *env)
{
	if (vlog_on(env, BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2)) {
		verbose(env, "0:");
		print_vstate(env, env->cur);
	}
	for (;;) {
		if (++env->insn_processed > BPF_COMPLEXITY_LIMIT_INSNS) {
			verbose(env, "BPF program is too large. Processed %u insn\n", env->insn_processed);
			return -E2BIG;
		}
		if (env->insn_processed % VERIFIER_YIELD_EVERY == 0 && verifier_interrupted())
			return -EAGAIN;
		long err = 0;
		if (env->insn_flags[env->idx] & VINSN_PRUNE_POINT) {
			err = visit_prune_point(env);
			if (err < 0)
				return err;
		}
		if (err == 0) {
			const struct bpf_insn *insn = &env->insns[env->idx];
			uint32_t next;
			if (vlog_on(env, BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2))
				print_insn(env, env->idx, insn);
			err = step(env, insn, &next);
			if (err < 0)
				return err;
			if (vlog_on(env, BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2))
				print_reg_changes(env, env->cur, insn);
			if (err == 0) {
				env->prev_idx = env->idx;
				env->idx = next;
				continue;
			}
		}
		if (!pop_branch(env))
			return 0;
	}
}

static long alloc_env_arrays(struct venv *env)
{
	env->insn_map = kzalloc(env->len * sizeof(*env->insn_map));
	env->insn_flags = kzalloc(env->len);
	env->checkpoints = kzalloc(env->len * sizeof(*env->checkpoints));
	env->cur = kmalloc(VSTATE_SIZE(MAX_BPF_STACK_SLOTS));
	if (!env->insn_map || !env->insn_flags || !env->checkpoints || !env->cur)
		return -ENOMEM;
	init_state(env->cur);
	return 0;
}

static void free_env(struct venv *env)
{
	while (env->npending)
		kfree(env->pending[--env->npending].st);
	kfree(env->pending);
	kfree(env->spare);
	free_checkpoints(env);
	kfree(env->insn_map);
	kfree(env->insn_flags);
	kfree(env->live);
	kfree(env->checkpoints);
	kfree(env->cur);
	vlog_free(env);
	kfree(env);
}

long bpf_check(struct bpf_prog *prog, uint32_t log_level, char __user *log_buf, uint32_t log_size)
{
	uint64_t start_ns = clock_monotonic_ns();
	struct venv *env = kzalloc(sizeof(*env));
	if (!env)
		return -ENOMEM;
	env->prog = prog;
	env->insns = prog->insns;
	env->len = prog->len;
	prog->n_used_maps = 0;
	long err = vlog_init(env, log_level, log_buf, log_size);
	if (err) {
		kfree(env);
		return err;
	}
	err = env->len ? alloc_env_arrays(env) : -EINVAL;
	if (!err)
		err = check_jumps(env);
	if (!err)
		err = resolve_ld_imm64(env);
	if (!err)
		err = check_cfg(env);
	if (!err)
		err = compute_liveness(env);
	if (!err)
		err = do_check(env);
	prog->verified_insns = env->insn_processed;
	prog->stack_depth = ALIGN_UP(env->stack_depth, BPF_REG_SIZE);
	err = vlog_finish(env, err, start_ns);
	if (err)
		release_used_maps(prog);
	else
		finish_ld_imm64(env);
	free_env(env);
	return err;
}
