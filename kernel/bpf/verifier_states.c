/*
 * Checkpoints: not walking twice what is already proven, and catching loops
 * that never end (course section: eBPF, the revolution in kernel
 * programming).
 *
 * Walking every path costs 2^n for n branches in a row. But paths meet
 * again, and if the walk arrives at an instruction knowing *less* than an
 * earlier arrival whose continuation was proven safe (every range inside
 * the old one, the same pointers), then this continuation is safe too: it
 * is pruned. So at prune points (jump targets) the walk keeps checkpoints,
 * copies of its state.
 *
 * A checkpoint may prune only once every path leaving it has been walked
 * ("closed"). Paths are walked depth first with a stack of pending branches,
 * so a checkpoint made while n branches were pending has walked all its
 * descendants as soon as fewer than n are left... and a path ends. An open
 * checkpoint that the walk meets again with exactly the same state is a
 * loop that cannot make progress: "infinite loop detected".
 *
 * Checkpoints that never match are dropped (Linux's rule: more than three
 * misses per hit), so a long loop's walk does not keep every iteration.
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct vcheckpoint {
	struct vcheckpoint *next; /* the others at this instruction */
	uint32_t miss, hit;
	uint32_t open_slot;       /* in env->open while open */
	struct vstate st;         /* compact: st.slots slots; last */
};

/* An open checkpoint, or a dropped one's place (cp NULL): its depth still counts. */
struct vopen {
	struct vcheckpoint *cp;
	uint32_t depth; /* pending branches when it was made */
};

#define CLOSED UINT32_MAX

/* Pairs of ids seen together: old id a must always meet the same cur id b. */
struct idmap {
	uint32_t old[2 * MAX_BPF_REG + MAX_BPF_STACK_SLOTS + VERIFIER_MAX_REFS];
	uint32_t cur[2 * MAX_BPF_REG + MAX_BPF_STACK_SLOTS + VERIFIER_MAX_REFS];
	uint32_t n;
};

static bool ids_match(struct idmap *m, uint32_t old, uint32_t cur)
{
	if (!old || !cur)
		return old == cur;
	for (uint32_t i = 0; i < m->n; i++)
		if (m->old[i] == old || m->cur[i] == cur)
			return m->old[i] == old && m->cur[i] == cur;
	m->old[m->n] = old;
	m->cur[m->n++] = cur;
	return true;
}

static bool range_within(const struct vreg *old, const struct vreg *cur)
{
	return old->smin <= cur->smin && old->smax >= cur->smax && old->umin <= cur->umin && old->umax >= cur->umax &&
	       tnum_in(old->var_off, cur->var_off);
}

/* Whatever the old register allowed the rest of the path to do, the current one allows. */
static bool reg_covers(const struct vreg *old, const struct vreg *cur, struct idmap *m, bool exact)
{
	if (old->type == NOT_INIT && !exact) /* never read on the proven path */
		return true;
	if (old->type != cur->type)
		return false;
	switch (old->type) {
	case NOT_INIT:
		return true;
	case SCALAR_VALUE:
		/* A link between copies the old path may have used must exist here too. */
		if (old->id && !ids_match(m, old->id, cur->id))
			return false;
		if (exact)
			return old->smin == cur->smin && old->smax == cur->smax && old->umin == cur->umin &&
			       old->umax == cur->umax && old->var_off.value == cur->var_off.value &&
			       old->var_off.mask == cur->var_off.mask;
		return range_within(old, cur);
	case CONST_PTR_TO_MAP:
		return old->map == cur->map;
	default:
		if (old->off != cur->off || old->map != cur->map || old->mem_size != cur->mem_size)
			return false;
		if (!ids_match(m, old->id, cur->id) || !ids_match(m, old->ref_obj_id, cur->ref_obj_id))
			return false;
		if (exact || old->type == PTR_TO_STACK || old->type == PTR_TO_CTX)
			return old->var_off.value == cur->var_off.value && old->var_off.mask == cur->var_off.mask &&
			       old->smin == cur->smin && old->umax == cur->umax;
		return range_within(old, cur);
	}
}

static uint8_t byte_at(const struct vstate *st, uint32_t s, int b)
{
	return s < st->slots ? st->stack[s].bytes[b] : STACK_INVALID;
}

static bool slot_has_pointer(const struct vstate *st, uint32_t s)
{
	return s < st->slots && st->stack[s].bytes[0] == STACK_SPILL && reg_is_pointer(&st->stack[s].spilled);
}

/* The old slot s's bytes allow at least what the current ones do (exact: are the same). */
static bool slot_covers(const struct vstate *old, const struct vstate *cur, uint32_t s, struct idmap *m, bool exact)
{
	bool old_spill = byte_at(old, s, 0) == STACK_SPILL, cur_spill = byte_at(cur, s, 0) == STACK_SPILL;
	if (exact) {
		for (int b = 0; b < BPF_REG_SIZE; b++)
			if (byte_at(old, s, b) != byte_at(cur, s, b))
				return false;
		return !old_spill || reg_covers(&old->stack[s].spilled, &cur->stack[s].spilled, m, true);
	}
	if (old_spill)
		return cur_spill && reg_covers(&old->stack[s].spilled, &cur->stack[s].spilled, m, false);
	/* Old: some number (or nothing) here; a pointer would be new knowledge. */
	if (slot_has_pointer(cur, s))
		return false;
	for (int b = 0; b < BPF_REG_SIZE; b++)
		if (byte_at(old, s, b) == STACK_ZERO && byte_at(cur, s, b) != STACK_ZERO)
			return false;
	return true;
}

/* Registers dead here (live: the bits of those still to be read) do not count. */
static bool state_covers(const struct vstate *old, const struct vstate *cur, uint16_t live, bool exact)
{
	static struct idmap m; /* the walk is not reentrant: one map is enough */
	m.n = 0;
	if (old->nrefs != cur->nrefs)
		return false;
	for (uint32_t i = 0; i < old->nrefs; i++)
		if (!ids_match(&m, old->refs[i], cur->refs[i]))
			return false;
	for (int i = 0; i < MAX_BPF_REG; i++)
		if (((live >> i) & 1) && !reg_covers(&old->regs[i], &cur->regs[i], &m, exact))
			return false;
	uint32_t slots = MAX(old->slots, cur->slots);
	for (uint32_t s = 0; s < slots; s++)
		if (!slot_covers(old, cur, s, &m, exact))
			return false;
	return true;
}

static void drop(struct venv *env, struct vcheckpoint **link)
{
	struct vcheckpoint *cp = *link;
	*link = cp->next;
	if (cp->open_slot != CLOSED)
		env->open[cp->open_slot].cp = NULL;
	kfree(cp);
	env->cur_states--;
}

static long add_checkpoint(struct venv *env)
{
	if (env->nopen == env->open_cap) {
		uint32_t cap = env->open_cap ? env->open_cap * 2 : 64;
		struct vopen *bigger = kmalloc(cap * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		if (env->nopen)
			memcpy(bigger, env->open, env->nopen * sizeof(*bigger));
		kfree(env->open);
		env->open = bigger;
		env->open_cap = cap;
	}
	struct vcheckpoint *cp = kmalloc(sizeof(*cp) + VSTATE_SIZE(env->cur->slots) - sizeof(struct vstate));
	if (!cp)
		return -ENOMEM;
	vstate_copy(&cp->st, env->cur);
	cp->miss = cp->hit = 0;
	cp->open_slot = env->nopen;
	env->open[env->nopen++] = (struct vopen){ cp, env->npending };
	cp->next = env->checkpoints[env->idx];
	env->checkpoints[env->idx] = cp;
	env->total_states++;
	env->cur_states++;
	env->peak_states = MAX(env->peak_states, env->cur_states);
	return 0;
}

static long infinite_loop(struct venv *env, const struct vcheckpoint *cp)
{
	verbose(env, "infinite loop detected at insn %u\n", env->idx);
	verbose(env, "cur state:");
	print_vstate(env, env->cur);
	verbose(env, "old state:");
	print_vstate(env, &cp->st);
	return -EINVAL;
}

long visit_prune_point(struct venv *env)
{
	uint32_t n = 0;
	uint16_t live = env->live[env->idx] | (1u << BPF_REG_10);
	for (struct vcheckpoint **link = &env->checkpoints[env->idx]; *link;) {
		struct vcheckpoint *cp = *link;
		n++;
		if (cp->open_slot != CLOSED) {
			if (state_covers(&cp->st, env->cur, live, true))
				return infinite_loop(env, cp);
		} else if (state_covers(&cp->st, env->cur, live, false)) {
			cp->hit++;
			if (vlog_on(env, BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2))
				verbose(env, "%u: safe\n", env->idx);
			return 1;
		}
		if (++cp->miss > cp->hit * CHECKPOINT_MISS_FACTOR + CHECKPOINT_MISS_FACTOR) {
			drop(env, link);
			continue;
		}
		link = &cp->next;
	}
	env->max_states_per_insn = MAX(env->max_states_per_insn, n);
	/* Like Linux: a new checkpoint only after at least 2 jumps and 8 instructions. */
	if (env->jmps_processed - env->prev_jmps_processed < 2 || env->insn_processed - env->prev_insn_processed < 8)
		return 0;
	env->prev_jmps_processed = env->jmps_processed;
	env->prev_insn_processed = env->insn_processed;
	return add_checkpoint(env);
}

void close_checkpoints(struct venv *env)
{
	uint32_t left = env->npending ? env->npending - 1 : 0;
	while (env->nopen && (env->npending == 0 || env->open[env->nopen - 1].depth > left)) {
		struct vcheckpoint *cp = env->open[--env->nopen].cp;
		if (cp)
			cp->open_slot = CLOSED;
	}
}

void free_checkpoints(struct venv *env)
{
	for (uint32_t i = 0; env->checkpoints && i < env->len; i++)
		while (env->checkpoints[i])
			drop(env, &env->checkpoints[i]);
	kfree(env->open);
}
