/*
 * execsnoop's BPF program (course section: advanced eBPF tracing): every
 * execve, with its arguments and its result.
 *
 * The arguments must be read at entry (after a successful exec they are
 * gone with the old memory), the result is known at exit. The record is
 * too big for the 512-byte BPF stack, so it lives in a hash map keyed by
 * thread id from entry to exit: entry creates it as a copy of a zeroed
 * value (the one element of the `zero` array map) and fills it through the
 * pointer lookup returns; exit adds the result and the command name (by
 * then the new program's) and copies the record into the ring buffer.
 * The loop over argv has a constant bound and is unrolled by clang, so
 * every argument's slot is at a constant offset the verifier can check.
 *
 * The parent's pid comes from sched_process_fork, remembered per child in
 * an LRU hash (old entries make room for new ones by themselves): a
 * short-lived command is gone from /proc before the tool could look.
 */
#include "bpf_helpers.h"
#include "execsnoop.h"
#include "tracepoints.h"

BPF_MAP(zero, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(struct es_event), 1);
BPF_MAP(execs, BPF_MAP_TYPE_HASH, sizeof(uint32_t), sizeof(struct es_event), 1024);
BPF_MAP(events, BPF_MAP_TYPE_RINGBUF, 0, 0, 256 * 1024);
BPF_MAP(parents, BPF_MAP_TYPE_LRU_HASH, sizeof(uint32_t), sizeof(uint32_t), 10240);

SEC("tracepoint/sched/sched_process_fork")
int fork(struct tp_sched_process_fork *ctx)
{
	uint32_t child = (uint32_t)ctx->child_pid, parent = (uint32_t)ctx->parent_pid;
	bpf_map_update_elem(&parents, &child, &parent, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int enter_execve(struct tp_sys_enter *ctx)
{
	uint32_t key = 0;
	uint64_t id = bpf_get_current_pid_tgid();
	uint32_t tid = (uint32_t)id;
	struct es_event *blank = bpf_map_lookup_elem(&zero, &key);
	if (!blank || bpf_map_update_elem(&execs, &tid, blank, BPF_ANY))
		return 0;
	struct es_event *e = bpf_map_lookup_elem(&execs, &tid);
	if (!e)
		return 0;
	e->pid = (uint32_t)(id >> 32);
	const char *const *argv = (const char *const *)ctx->args[1];
#pragma unroll
	for (int i = 0; i < ES_MAX_ARGS; i++) {
		const char *arg = 0;
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			return 0;
		bpf_probe_read_user_str(e->args[i], ES_ARG_LEN, arg);
		e->argc = i + 1;
	}
	const char *next = 0;
	bpf_probe_read_user(&next, sizeof(next), &argv[ES_MAX_ARGS]);
	e->more = next != 0;
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int exit_execve(struct tp_sys_exit *ctx)
{
	uint32_t tid = (uint32_t)bpf_get_current_pid_tgid();
	struct es_event *e = bpf_map_lookup_elem(&execs, &tid);
	if (!e)
		return 0;
	e->ret = ctx->ret;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	uint32_t *parent = bpf_map_lookup_elem(&parents, &e->pid);
	e->ppid = parent ? *parent : 0;
	bpf_ringbuf_output(&events, e, sizeof(*e), 0);
	bpf_map_delete_elem(&execs, &tid);
	return 0;
}

LICENSE_GPL;
