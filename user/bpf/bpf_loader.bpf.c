/*
 * The loader test's BPF program (course section: eBPF, programs written
 * in C): on every openat by the process whose pid user space wrote into
 * `target`, count it in `counts` and send the path through a ring buffer
 * and a perf buffer; and, where kprobes exist, count its getpid calls. It uses every kind of thing the loader must handle:
 * array, ringbuf and perf event array maps (relocations to each), helpers
 * that read user memory, and a tracepoint section name.
 */
#include "bpf_helpers.h"
#include "bpf_loader.h"
#include "tracepoints.h"

BPF_MAP(target, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(uint32_t), 1);
BPF_MAP(counts, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(uint64_t), 2);
BPF_MAP(events, BPF_MAP_TYPE_RINGBUF, 0, 0, 16384);
BPF_MAP(perf_events, BPF_MAP_TYPE_PERF_EVENT_ARRAY, sizeof(uint32_t), sizeof(uint32_t), 0);

SEC("tracepoint/syscalls/sys_enter_openat")
int count_openat(struct tp_sys_enter *ctx)
{
	uint32_t zero = 0;
	uint32_t *want = bpf_map_lookup_elem(&target, &zero);
	uint64_t id = bpf_get_current_pid_tgid();
	if (!want || *want != (uint32_t)(id >> 32))
		return 0;
	uint64_t *count = bpf_map_lookup_elem(&counts, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);

	struct lt_event e = { .pid = (uint32_t)(id >> 32), .tid = (uint32_t)id, .dfd = (int64_t)ctx->args[0] };
	bpf_probe_read_user_str(e.path, sizeof(e.path), (const void *)ctx->args[1]);
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}


/* A kprobe: counts the target process's getpid calls in counts[1]. The
 * test attaches it to the kernel's getpid function by name (Linux's
 * __x64_sys_getpid, sysgate's sys_getpid), where kprobes exist. */
SEC("kprobe/__x64_sys_getpid")
int count_getpid(void *regs)
{
	(void)regs;
	uint32_t zero = 0, one = 1;
	uint32_t *want = bpf_map_lookup_elem(&target, &zero);
	if (!want || *want != (uint32_t)(bpf_get_current_pid_tgid() >> 32))
		return 0;
	uint64_t *count = bpf_map_lookup_elem(&counts, &one);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

/* A program the verifier must refuse: a socket filter's context (struct
 * __sk_buff) is far smaller than 4096 bytes. The test loads it alone, to
 * see the loader print the verifier's log. */
SEC("socket")
int bad_ctx_read(void *ctx)
{
	return *(volatile int *)((char *)ctx + 4096);
}

LICENSE_GPL;
