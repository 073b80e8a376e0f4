/*
 * opensnoop's BPF program (course section: advanced eBPF tracing): every
 * open and openat, with the process, the path and the result.
 *
 * The path is known at entry, the result at exit, so the two halves meet
 * in a hash map keyed by thread id: sys_enter_* stores the path's user
 * address, sys_exit_* finds it, reads the path (the memory is still the
 * caller's), and reserves a record in the ring buffer, fills it in place
 * and submits it.
 */
#include "bpf_helpers.h"
#include "opensnoop.h"
#include "tracepoints.h"

struct pending {
	uint64_t path; /* user address of the path */
	int32_t flags;
};

BPF_MAP(config, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(struct os_config), 1);
BPF_MAP(pending, BPF_MAP_TYPE_HASH, sizeof(uint32_t), sizeof(struct pending), 10240);
BPF_MAP(events, BPF_MAP_TYPE_RINGBUF, 0, 0, 256 * 1024);

static __always_inline int enter(uint64_t path, uint64_t flags)
{
	uint32_t zero = 0;
	uint64_t id = bpf_get_current_pid_tgid();
	struct os_config *c = bpf_map_lookup_elem(&config, &zero);
	if (!c || (c->tgid && c->tgid != (uint32_t)(id >> 32)))
		return 0;
	uint32_t tid = (uint32_t)id;
	struct pending p = { .path = path, .flags = (int32_t)flags };
	bpf_map_update_elem(&pending, &tid, &p, BPF_ANY);
	return 0;
}

static __always_inline int leave(int64_t ret)
{
	uint64_t id = bpf_get_current_pid_tgid();
	uint32_t tid = (uint32_t)id;
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);
	if (!p)
		return 0;
	struct os_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->pid = (uint32_t)(id >> 32);
		e->uid = (uint32_t)bpf_get_current_uid_gid();
		e->ret = ret;
		e->flags = p->flags;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bpf_probe_read_user_str(e->path, sizeof(e->path), (const void *)p->path);
		bpf_ringbuf_submit(e, 0);
	}
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int enter_openat(struct tp_sys_enter *ctx)
{
	return enter(ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_open")
int enter_open(struct tp_sys_enter *ctx)
{
	return enter(ctx->args[0], ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int exit_openat(struct tp_sys_exit *ctx)
{
	return leave(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_open")
int exit_open(struct tp_sys_exit *ctx)
{
	return leave(ctx->ret);
}

LICENSE_GPL;
