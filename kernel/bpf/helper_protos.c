/*
 * Which kernel functions a BPF program may call, and with what (course
 * section: eBPF, the revolution in kernel programming).
 *
 * A program cannot call any kernel function: only helpers, by number
 * (BPF_CALL's imm, Linux's enum bpf_func_id). Each has a prototype that
 * the verifier checks every call against -- "r1 must be a map, r2 a
 * pointer to key_size initialised bytes" -- and what it returns ("a
 * pointer to a map value, or NULL": the program must test it before using
 * it). Which helpers a program sees depends on its type, as in Linux: every
 * type gets the map and time helpers; tracing programs (kprobe,
 * tracepoint, raw tracepoint, perf event) also get the current task's ids,
 * trace_printk, the probe_read family and the stack. Helpers marked
 * gpl_only need a GPL-compatible license.
 */
#include "kernel/bpf/helpers.h"

#define PROTO(fn, nm, ret, ...) { .func = fn, .name = nm, .ret_type = ret, .arg_type = { __VA_ARGS__ } }

static const struct bpf_func_proto map_lookup = PROTO(bpf_map_lookup_elem_fn, "bpf_map_lookup_elem",
	RET_PTR_TO_MAP_VALUE_OR_NULL, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY);
static const struct bpf_func_proto map_update = PROTO(bpf_map_update_elem_fn, "bpf_map_update_elem",
	RET_INTEGER, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE, ARG_ANYTHING);
static const struct bpf_func_proto map_delete = PROTO(bpf_map_delete_elem_fn, "bpf_map_delete_elem",
	RET_INTEGER, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY);
static const struct bpf_func_proto ktime_get_ns = PROTO(bpf_ktime_get_ns_fn, "bpf_ktime_get_ns", RET_INTEGER);
static const struct bpf_func_proto ktime_get_boot_ns =
	PROTO(bpf_ktime_get_ns_fn, "bpf_ktime_get_boot_ns", RET_INTEGER); /* sysgate never suspends */
static const struct bpf_func_proto ktime_get_coarse_ns =
	PROTO(bpf_ktime_get_ns_fn, "bpf_ktime_get_coarse_ns", RET_INTEGER);
static const struct bpf_func_proto prandom = PROTO(bpf_get_prandom_u32_fn, "bpf_get_prandom_u32", RET_INTEGER);
static const struct bpf_func_proto smp_id =
	PROTO(bpf_get_smp_processor_id_fn, "bpf_get_smp_processor_id", RET_INTEGER);
/* No function: the interpreter and the JIT jump to the next program themselves. */
static const struct bpf_func_proto tail_call = PROTO(NULL, "bpf_tail_call", RET_VOID, ARG_PTR_TO_CTX,
	ARG_CONST_MAP_PTR, ARG_ANYTHING);
static const struct bpf_func_proto pid_tgid =
	PROTO(bpf_get_current_pid_tgid_fn, "bpf_get_current_pid_tgid", RET_INTEGER);
static const struct bpf_func_proto uid_gid =
	PROTO(bpf_get_current_uid_gid_fn, "bpf_get_current_uid_gid", RET_INTEGER);
static const struct bpf_func_proto comm = PROTO(bpf_get_current_comm_fn, "bpf_get_current_comm", RET_INTEGER,
	ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE);
static const struct bpf_func_proto current_task = { .func = bpf_get_current_task_fn,
	.name = "bpf_get_current_task", .ret_type = RET_INTEGER, .gpl_only = true };
static const struct bpf_func_proto trace_printk = { .func = bpf_trace_printk_fn, .name = "bpf_trace_printk",
	.ret_type = RET_INTEGER, .arg_type = { ARG_PTR_TO_MEM, ARG_CONST_SIZE }, .gpl_only = true };

#define PROBE_READ(fn, nm)                                                                                \
	{ .func = fn, .name = nm, .ret_type = RET_INTEGER, .gpl_only = true,                             \
	  .arg_type = { ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING } }
static const struct bpf_func_proto probe_read = PROBE_READ(bpf_probe_read_compat_fn, "bpf_probe_read");
static const struct bpf_func_proto probe_read_str = PROBE_READ(bpf_probe_read_compat_str_fn, "bpf_probe_read_str");
static const struct bpf_func_proto probe_read_user = PROBE_READ(bpf_probe_read_user_fn, "bpf_probe_read_user");
static const struct bpf_func_proto probe_read_kernel = PROBE_READ(bpf_probe_read_kernel_fn, "bpf_probe_read_kernel");
static const struct bpf_func_proto probe_read_user_str =
	PROBE_READ(bpf_probe_read_user_str_fn, "bpf_probe_read_user_str");
static const struct bpf_func_proto probe_read_kernel_str =
	PROBE_READ(bpf_probe_read_kernel_str_fn, "bpf_probe_read_kernel_str");
static const struct bpf_func_proto get_stack = { .func = bpf_get_stack_fn, .name = "bpf_get_stack",
	.ret_type = RET_INTEGER, .gpl_only = true,
	.arg_type = { ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING } };

/* The map-owned helpers (map_ringbuf.c, map_perf_event_array.c). */
static const struct bpf_func_proto ringbuf_output = PROTO(bpf_ringbuf_output_fn, "bpf_ringbuf_output",
	RET_INTEGER, ARG_CONST_MAP_PTR, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING);
static const struct bpf_func_proto ringbuf_reserve = PROTO(bpf_ringbuf_reserve_fn, "bpf_ringbuf_reserve",
	RET_PTR_TO_ALLOC_MEM_OR_NULL, ARG_CONST_MAP_PTR, ARG_CONST_ALLOC_SIZE_OR_ZERO, ARG_ANYTHING);
static const struct bpf_func_proto ringbuf_submit =
	PROTO(bpf_ringbuf_submit_fn, "bpf_ringbuf_submit", RET_VOID, ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING);
static const struct bpf_func_proto ringbuf_discard =
	PROTO(bpf_ringbuf_discard_fn, "bpf_ringbuf_discard", RET_VOID, ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING);
static const struct bpf_func_proto ringbuf_query =
	PROTO(bpf_ringbuf_query_fn, "bpf_ringbuf_query", RET_INTEGER, ARG_CONST_MAP_PTR, ARG_ANYTHING);
static const struct bpf_func_proto perf_event_output = { .func = bpf_perf_event_output_fn,
	.name = "bpf_perf_event_output", .ret_type = RET_INTEGER, .gpl_only = true,
	.arg_type = { ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO } };

/* Every program type's helpers (Linux's bpf_base_func_proto, for a privileged loader). */
static const struct bpf_func_proto *base_proto(int32_t id)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem: return &map_lookup;
	case BPF_FUNC_map_update_elem: return &map_update;
	case BPF_FUNC_map_delete_elem: return &map_delete;
	case BPF_FUNC_ktime_get_ns: return &ktime_get_ns;
	case BPF_FUNC_ktime_get_boot_ns: return &ktime_get_boot_ns;
	case BPF_FUNC_ktime_get_coarse_ns: return &ktime_get_coarse_ns;
	case BPF_FUNC_get_prandom_u32: return &prandom;
	case BPF_FUNC_get_smp_processor_id: return &smp_id;
	case BPF_FUNC_tail_call: return &tail_call;
	case BPF_FUNC_trace_printk: return &trace_printk;
	case BPF_FUNC_probe_read_user: return &probe_read_user;
	case BPF_FUNC_probe_read_kernel: return &probe_read_kernel;
	case BPF_FUNC_probe_read_user_str: return &probe_read_user_str;
	case BPF_FUNC_probe_read_kernel_str: return &probe_read_kernel_str;
	case BPF_FUNC_get_current_task: return &current_task;
	case BPF_FUNC_ringbuf_output: return &ringbuf_output;
	case BPF_FUNC_ringbuf_reserve: return &ringbuf_reserve;
	case BPF_FUNC_ringbuf_submit: return &ringbuf_submit;
	case BPF_FUNC_ringbuf_discard: return &ringbuf_discard;
	case BPF_FUNC_ringbuf_query: return &ringbuf_query;
	default: return NULL;
	}
}

/* What tracing programs add (Linux's bpf_tracing_func_proto and kin). */
static const struct bpf_func_proto *tracing_proto(int32_t id)
{
	switch (id) {
	case BPF_FUNC_get_current_pid_tgid: return &pid_tgid;
	case BPF_FUNC_get_current_uid_gid: return &uid_gid;
	case BPF_FUNC_get_current_comm: return &comm;
	case BPF_FUNC_probe_read: return &probe_read;
	case BPF_FUNC_probe_read_str: return &probe_read_str;
	case BPF_FUNC_get_stack: return &get_stack;
	case BPF_FUNC_perf_event_output: return &perf_event_output;
	case BPF_FUNC_ktime_get_coarse_ns: return NULL; /* not NMI-safe: Linux refuses it to tracing */
	default: return base_proto(id);
	}
}

const struct bpf_func_proto *bpf_func_proto(uint32_t prog_type, int32_t func_id)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		return tracing_proto(func_id);
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return base_proto(func_id);
	default:
		return NULL;
	}
}
