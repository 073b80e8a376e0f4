/*
 * runqlat's BPF program (course section: advanced eBPF tracing): how long
 * tasks wait on the run queue, from becoming runnable to running, as a
 * histogram of power-of-2 slots (log2.h).
 *
 * A task becomes runnable when it is woken (sched_wakeup, or
 * sched_wakeup_new for a new task) or when it is switched out while still
 * runnable (sched_switch with prev_state 0: preempted; Linux adds 0x100
 * for "preempted", so only the low byte is looked at). It stops waiting
 * when sched_switch names it next. The time it was queued is kept in a
 * hash map keyed by pid between the two.
 */
#include "bpf_helpers.h"
#include "log2.h"
#include "runqlat.h"
#include "tracepoints.h"

BPF_MAP(config, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(struct rq_config), 1);
BPF_MAP(queued, BPF_MAP_TYPE_HASH, sizeof(uint32_t), sizeof(uint64_t), 10240);
BPF_MAP(hist, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(uint64_t), LOG2_SLOTS);

static __always_inline int enqueue(int32_t pid)
{
	if (pid == 0)
		return 0; /* the idle task */
	uint32_t key = (uint32_t)pid;
	uint64_t now = bpf_ktime_get_ns();
	bpf_map_update_elem(&queued, &key, &now, BPF_ANY);
	return 0;
}

SEC("tracepoint/sched/sched_wakeup")
int wakeup(struct tp_sched_wakeup *ctx)
{
	return enqueue(ctx->pid);
}

SEC("tracepoint/sched/sched_wakeup_new")
int wakeup_new(struct tp_sched_wakeup *ctx)
{
	return enqueue(ctx->pid);
}

SEC("tracepoint/sched/sched_switch")
int switch_task(struct tp_sched_switch *ctx)
{
	if ((ctx->prev_state & 0xff) == 0)
		enqueue(ctx->prev_pid);
	uint32_t next = (uint32_t)ctx->next_pid, zero = 0;
	uint64_t *since = bpf_map_lookup_elem(&queued, &next);
	if (!since)
		return 0;
	uint64_t waited = bpf_ktime_get_ns() - *since;
	bpf_map_delete_elem(&queued, &next);
	struct rq_config *c = bpf_map_lookup_elem(&config, &zero);
	if (!c)
		return 0;
	waited /= c->unit_ns;
	uint32_t slot = log2_slot(waited);
	uint64_t *count = bpf_map_lookup_elem(&hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

LICENSE_GPL;
