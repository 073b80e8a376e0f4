/*
 * syscount's BPF program (course section: advanced eBPF tracing): counts
 * and times every syscall, by number, and fills a histogram of the time
 * each call took (power-of-2 slots of nanoseconds, log2.h).
 *
 * Entry notes the time and the number per thread, exit adds up. Three
 * ways to see every syscall: Linux's raw_syscalls:sys_enter/sys_exit
 * tracepoints; the raw tracepoints sys_enter/sys_exit (context: the
 * tracepoint's arguments, (regs, id) and (regs, ret)); or, where neither
 * exists, one program attached to every syscalls:sys_enter_NAME event and
 * one to every sys_exit_NAME (their records start alike). The tool loads
 * the first pair the kernel has; all go through the two functions below.
 */
#include "bpf_helpers.h"
#include "log2.h"
#include "syscount.h"
#include "tracepoints.h"

struct start {
	uint64_t ns;
	uint32_t nr;
};

BPF_MAP(config, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(struct sc_config), 1);
BPF_MAP(starts, BPF_MAP_TYPE_HASH, sizeof(uint32_t), sizeof(struct start), 10240);
BPF_MAP(stats, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(struct sc_stat), SC_MAX_NR);
BPF_MAP(hist, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(uint64_t), LOG2_SLOTS);

static __always_inline int on_enter(int64_t nr)
{
	uint32_t zero = 0;
	uint64_t id = bpf_get_current_pid_tgid();
	struct sc_config *c = bpf_map_lookup_elem(&config, &zero);
	if (!c || (c->tgid && c->tgid != (uint32_t)(id >> 32)) || nr < 0 || nr >= SC_MAX_NR)
		return 0;
	uint32_t tid = (uint32_t)id;
	struct start s = { .ns = bpf_ktime_get_ns(), .nr = (uint32_t)nr };
	bpf_map_update_elem(&starts, &tid, &s, BPF_ANY);
	return 0;
}

static __always_inline int on_exit(int64_t ret)
{
	uint32_t tid = (uint32_t)bpf_get_current_pid_tgid();
	struct start *s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;
	uint64_t ns = bpf_ktime_get_ns() - s->ns;
	uint32_t nr = s->nr;
	bpf_map_delete_elem(&starts, &tid);
	struct sc_stat *st = bpf_map_lookup_elem(&stats, &nr);
	if (st) {
		__sync_fetch_and_add(&st->count, 1);
		__sync_fetch_and_add(&st->ns, ns);
		if (ret < 0 && ret > -4096)
			__sync_fetch_and_add(&st->errors, 1);
	}
	uint32_t slot = log2_slot(ns);
	uint64_t *h = bpf_map_lookup_elem(&hist, &slot);
	if (h)
		__sync_fetch_and_add(h, 1);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_enter(struct tp_raw_sys_enter *ctx)
{
	return on_enter(ctx->id);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int tp_exit(struct tp_raw_sys_exit *ctx)
{
	return on_exit(ctx->ret);
}

SEC("raw_tracepoint/sys_enter")
int raw_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return on_enter((int64_t)ctx->args[1]);
}

SEC("raw_tracepoint/sys_exit")
int raw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_exit((int64_t)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_*")
int each_enter(struct tp_sys_enter *ctx)
{
	return on_enter(ctx->nr);
}

SEC("tracepoint/syscalls/sys_exit_*")
int each_exit(struct tp_sys_exit *ctx)
{
	return on_exit(ctx->ret);
}

LICENSE_GPL;
