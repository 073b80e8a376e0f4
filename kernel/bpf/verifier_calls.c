/*
 * The verifier at a helper call and at exit (course section: eBPF, the
 * revolution in kernel programming).
 *
 * A program reaches the kernel only through helpers, and each helper's
 * prototype (bpf_func_proto(), helper_protos.c) says what each argument
 * must be: a map, a key of the map's key_size readable bytes, memory with
 * its size in the next argument, the context... The verifier checks each
 * register against it, so the helper itself can trust its arguments. The
 * result gets a type too: a lookup returns "map value or NULL", which must
 * be checked against NULL before use.
 *
 * Some results are references that must be given back: a ringbuf
 * reservation must be submitted or discarded on every path, or the program
 * is refused at exit ("Unreleased reference"). A call clobbers r1-r5.
 */
#include "kernel/bpf/verifier.h"
#include "libc/include/abi/errno.h"

/* What the arguments taught, for the later arguments and the result. */
struct call_meta {
	struct bpf_map *map;
	int64_t key;        /* a constant key, or -1 */
	int mem_regno;      /* the memory argument the next size belongs to */
	bool mem_write;
	uint64_t alloc_size;
	uint32_t release_ref;
};

static const struct {
	int32_t id;
	const char *name;
} helper_names[] = {
	{ BPF_FUNC_map_lookup_elem, "bpf_map_lookup_elem" },
	{ BPF_FUNC_map_update_elem, "bpf_map_update_elem" },
	{ BPF_FUNC_map_delete_elem, "bpf_map_delete_elem" },
	{ BPF_FUNC_probe_read, "bpf_probe_read" },
	{ BPF_FUNC_ktime_get_ns, "bpf_ktime_get_ns" },
	{ BPF_FUNC_trace_printk, "bpf_trace_printk" },
	{ BPF_FUNC_get_prandom_u32, "bpf_get_prandom_u32" },
	{ BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id" },
	{ BPF_FUNC_tail_call, "bpf_tail_call" },
	{ BPF_FUNC_get_current_pid_tgid, "bpf_get_current_pid_tgid" },
	{ BPF_FUNC_get_current_uid_gid, "bpf_get_current_uid_gid" },
	{ BPF_FUNC_get_current_comm, "bpf_get_current_comm" },
	{ BPF_FUNC_perf_event_output, "bpf_perf_event_output" },
	{ BPF_FUNC_get_stackid, "bpf_get_stackid" },
	{ BPF_FUNC_get_current_task, "bpf_get_current_task" },
	{ BPF_FUNC_probe_read_str, "bpf_probe_read_str" },
	{ BPF_FUNC_get_stack, "bpf_get_stack" },
	{ BPF_FUNC_send_signal, "bpf_send_signal" },
	{ BPF_FUNC_probe_read_user, "bpf_probe_read_user" },
	{ BPF_FUNC_probe_read_kernel, "bpf_probe_read_kernel" },
	{ BPF_FUNC_probe_read_user_str, "bpf_probe_read_user_str" },
	{ BPF_FUNC_probe_read_kernel_str, "bpf_probe_read_kernel_str" },
	{ BPF_FUNC_ktime_get_boot_ns, "bpf_ktime_get_boot_ns" },
	{ BPF_FUNC_ringbuf_output, "bpf_ringbuf_output" },
	{ BPF_FUNC_ringbuf_reserve, "bpf_ringbuf_reserve" },
	{ BPF_FUNC_ringbuf_submit, "bpf_ringbuf_submit" },
	{ BPF_FUNC_ringbuf_discard, "bpf_ringbuf_discard" },
	{ BPF_FUNC_ringbuf_query, "bpf_ringbuf_query" },
	{ BPF_FUNC_ktime_get_coarse_ns, "bpf_ktime_get_coarse_ns" },
};

const char *helper_name(int32_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(helper_names); i++)
		if (helper_names[i].id == id)
			return helper_names[i].name;
	return "unknown";
}

static long type_error(struct venv *env, int regno, const char *expected)
{
	verbose(env, "R%d type=%s expected=%s\n", regno, reg_type_name(env->cur->regs[regno].type), expected);
	return -EACCES;
}

/* The size argument of the memory argument before it. */
static long check_size_arg(struct venv *env, int regno, struct call_meta *meta, bool zero_ok)
{
	const struct vreg *r = &env->cur->regs[regno];
	if (r->type != SCALAR_VALUE)
		return type_error(env, regno, "scalar");
	if (r->smin < 0) {
		verbose(env, "R%d min value is negative, either use unsigned or 'var &= const'\n", regno);
		return -EACCES;
	}
	if (r->umin == 0 && !zero_ok) {
		verbose(env, "R%d invalid zero-sized read: u64=[%llu,%llu]\n", regno, (unsigned long long)r->umin,
			(unsigned long long)r->umax);
		return -EACCES;
	}
	if (r->umax >= BPF_MAX_VAR_SIZ) {
		verbose(env, "R%d unbounded memory access, use 'var &= const' or 'if (var < const)'\n", regno);
		return -EACCES;
	}
	return check_helper_mem(env, meta->mem_regno, r->umax, meta->mem_write, zero_ok);
}

static bool is_memory(const struct vreg *r)
{
	return r->type == PTR_TO_STACK || r->type == PTR_TO_MAP_VALUE || r->type == PTR_TO_MEM;
}

static long check_map_arg(struct venv *env, int regno, struct call_meta *meta, bool key)
{
	if (!meta->map) {
		verbose(env, "invalid map_ptr to access map->%s\n", key ? "key" : "value");
		return -EACCES;
	}
	if (!is_memory(&env->cur->regs[regno]))
		return type_error(env, regno, "fp, pkt, pkt_meta, map_key, map_value");
	uint32_t size = key ? meta->map->key_size : meta->map->value_size;
	long err = check_helper_mem(env, regno, size, false, false);
	if (!err && key)
		meta->key = stack_const_key(env, &env->cur->regs[regno], size);
	return err;
}

static long check_arg(struct venv *env, enum bpf_arg_type type, int regno, struct call_meta *meta)
{
	if (type == ARG_DONTCARE)
		return 0;
	long err = check_reg_arg(env, regno, true);
	if (err)
		return err;
	const struct vreg *r = &env->cur->regs[regno];
	switch (type) {
	case ARG_CONST_MAP_PTR:
		if (r->type != CONST_PTR_TO_MAP)
			return type_error(env, regno, "map_ptr");
		meta->map = r->map;
		return 0;
	case ARG_PTR_TO_MAP_KEY:
	case ARG_PTR_TO_MAP_VALUE:
		return check_map_arg(env, regno, meta, type == ARG_PTR_TO_MAP_KEY);
	case ARG_PTR_TO_MEM:
	case ARG_PTR_TO_UNINIT_MEM:
		if (!is_memory(r))
			return type_error(env, regno, "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf");
		meta->mem_regno = regno;
		meta->mem_write = type == ARG_PTR_TO_UNINIT_MEM;
		return 0;
	case ARG_CONST_SIZE:
	case ARG_CONST_SIZE_OR_ZERO:
		return check_size_arg(env, regno, meta, type == ARG_CONST_SIZE_OR_ZERO);
	case ARG_PTR_TO_CTX:
		if (r->type != PTR_TO_CTX)
			return type_error(env, regno, "ctx");
		if (r->off || !tnum_equals_const(r->var_off, 0)) {
			verbose(env, "dereference of modified ctx ptr R%d off=%d disallowed\n", regno, r->off);
			return -EACCES;
		}
		return 0;
	case ARG_PTR_TO_ALLOC_MEM:
		if (r->type != PTR_TO_MEM || !r->ref_obj_id)
			return type_error(env, regno, "ringbuf_mem");
		if (r->off || !tnum_equals_const(r->var_off, 0)) {
			verbose(env, "R%d must have zero offset when passed to release func\n", regno);
			return -EACCES;
		}
		meta->release_ref = r->ref_obj_id;
		return 0;
	case ARG_CONST_ALLOC_SIZE_OR_ZERO:
		if (!reg_is_const(r)) {
			verbose(env, "R%d is not a known constant'\n", regno);
			return -EACCES;
		}
		meta->alloc_size = r->var_off.value;
		return 0;
	case ARG_PTR_TO_STACK:
		return r->type == PTR_TO_STACK ? 0 : type_error(env, regno, "fp");
	default: /* ARG_ANYTHING */
		return 0;
	}
}

/* The map type a helper needs, and the helpers a special map type allows. */
static uint32_t map_type_for(int32_t func)
{
	switch (func) {
	case BPF_FUNC_tail_call:
		return BPF_MAP_TYPE_PROG_ARRAY;
	case BPF_FUNC_perf_event_output:
		return BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	case BPF_FUNC_get_stackid:
		return BPF_MAP_TYPE_STACK_TRACE;
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_reserve:
	case BPF_FUNC_ringbuf_query:
		return BPF_MAP_TYPE_RINGBUF;
	default:
		return BPF_MAP_TYPE_UNSPEC;
	}
}

static long check_map_func(struct venv *env, const struct bpf_map *map, int32_t func)
{
	uint32_t want = map_type_for(func);
	bool special = map->type == BPF_MAP_TYPE_PROG_ARRAY || map->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY ||
		       map->type == BPF_MAP_TYPE_STACK_TRACE || map->type == BPF_MAP_TYPE_RINGBUF;
	if (want == BPF_MAP_TYPE_UNSPEC ? !special : map->type == want)
		return 0;
	verbose(env, "cannot pass map_type %u into func %s#%d\n", map->type, helper_name(func), func);
	return -EINVAL;
}

/* Every register and spill pointing into reservation ref becomes a number. */
void release_ref_regs(struct vstate *st, uint32_t ref)
{
	for (int i = 0; i < MAX_BPF_REG; i++)
		if (st->regs[i].ref_obj_id == ref)
			mark_reg_unknown(&st->regs[i]);
	for (uint32_t s = 0; s < st->slots; s++)
		if (st->stack[s].bytes[0] == STACK_SPILL && st->stack[s].spilled.ref_obj_id == ref)
			mark_reg_unknown(&st->stack[s].spilled);
	for (uint32_t i = 0; i < st->nrefs; i++) {
		if (st->refs[i] == ref) {
			st->refs[i] = st->refs[--st->nrefs];
			st->ref_insn[i] = st->ref_insn[st->nrefs];
			break;
		}
	}
}

static long set_return(struct venv *env, const struct bpf_func_proto *fn, int32_t func, const struct call_meta *meta)
{
	struct vreg *r0 = &env->cur->regs[BPF_REG_0];
	switch (fn->ret_type) {
	case RET_VOID:
		mark_reg_not_init(r0);
		return 0;
	case RET_PTR_TO_MAP_VALUE_OR_NULL: {
		bool array = meta->map->type == BPF_MAP_TYPE_ARRAY || meta->map->type == BPF_MAP_TYPE_PERCPU_ARRAY;
		/* An array's element of a constant key in range always exists. */
		bool never_null = func == BPF_FUNC_map_lookup_elem && array && meta->key >= 0 &&
				  meta->key < meta->map->max_entries;
		mark_reg_known(r0, 0);
		r0->type = never_null ? PTR_TO_MAP_VALUE : PTR_TO_MAP_VALUE_OR_NULL;
		r0->map = meta->map;
		r0->id = never_null ? 0 : venv_new_id(env);
		return 0;
	}
	case RET_PTR_TO_ALLOC_MEM_OR_NULL: {
		struct vstate *st = env->cur;
		if (st->nrefs == VERIFIER_MAX_REFS) {
			verbose(env, "too many references held\n");
			return -E2BIG;
		}
		mark_reg_known(r0, 0);
		r0->type = PTR_TO_MEM_OR_NULL;
		r0->mem_size = (uint32_t)meta->alloc_size;
		r0->id = r0->ref_obj_id = venv_new_id(env);
		st->refs[st->nrefs] = r0->id;
		st->ref_insn[st->nrefs++] = env->idx;
		return 0;
	}
	default: /* RET_INTEGER */
		mark_reg_unknown(r0);
		return 0;
	}
}

static long check_call_insn(struct venv *env, const struct bpf_insn *insn)
{
	if (insn->src_reg == BPF_PSEUDO_CALL) {
		verbose(env, "calls to BPF subprograms are not supported\n");
		return -EINVAL;
	}
	if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL) {
		verbose(env, "calling kernel functions are not allowed in this program type\n");
		return -EINVAL;
	}
	if (insn->src_reg || insn->off || insn->dst_reg) {
		verbose(env, "BPF_CALL uses reserved fields\n");
		return -EINVAL;
	}
	if (insn->imm < 0 || insn->imm >= __BPF_FUNC_MAX_ID) {
		verbose(env, "invalid func %s#%d\n", helper_name(-1), insn->imm);
		return -EINVAL;
	}
	return 0;
}

long check_helper_call(struct venv *env, const struct bpf_insn *insn)
{
	long err = check_call_insn(env, insn);
	if (err)
		return err;
	int32_t func = insn->imm;
	const struct bpf_func_proto *fn = bpf_func_proto(env->prog->type, func);
	if (!fn) {
		verbose(env, "program of this type cannot use helper %s#%d\n", helper_name(func), func);
		return -EINVAL;
	}
	if (fn->gpl_only && !env->prog->gpl_compatible) {
		verbose(env, "cannot call GPL-restricted function from non-GPL compatible program\n");
		return -EINVAL;
	}
	struct call_meta meta = { .key = -1, .mem_regno = -1 };
	for (int i = 0; i < 5 && !err; i++)
		err = check_arg(env, fn->arg_type[i], BPF_REG_1 + i, &meta);
	if (!err && meta.map)
		err = check_map_func(env, meta.map, func);
	if (!err && func == BPF_FUNC_tail_call) {
		env->prog->uses_tail_call = true;
		if (env->cur->nrefs) {
			verbose(env, "tail_call would lead to reference leak\n");
			err = -EINVAL;
		}
	}
	if (!err && fn->ret_type == RET_PTR_TO_MAP_VALUE_OR_NULL && !meta.map) {
		verbose(env, "kernel subsystem misconfigured verifier\n");
		err = -EINVAL;
	}
	if (err)
		return err;
	if (meta.release_ref)
		release_ref_regs(env->cur, meta.release_ref);
	for (int i = BPF_REG_1; i <= BPF_REG_5; i++)
		mark_reg_not_init(&env->cur->regs[i]);
	return set_return(env, fn, func, &meta);
}

long check_exit(struct venv *env)
{
	long err = check_reg_arg(env, BPF_REG_0, true);
	if (err)
		return err;
	const struct vstate *st = env->cur;
	if (st->nrefs) {
		verbose(env, "Unreleased reference id=%u alloc_insn=%u\n", st->refs[0], st->ref_insn[0]);
		verbose(env, "BPF_EXIT instruction in main prog would lead to reference leak\n");
		return -EINVAL;
	}
	return 0;
}
