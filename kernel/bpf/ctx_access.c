/*
 * What each program type may read and write of its context (course
 * section: eBPF, the revolution in kernel programming; advanced eBPF
 * tracing).
 *
 * r1 at a program's start points at its context, and each type's context is
 * a different structure: a tracepoint's record, the registers a kprobe
 * stopped, a perf sample, a packet's __sk_buff. The verifier has no
 * description of these structures beyond the rules below, Linux's rules per
 * type: the byte range, whether writes are allowed, and which access sizes.
 * Tracing contexts are read-only: a tracing program observes, it does not
 * change what it observes.
 */
#include "kernel/bpf/ctx_access.h"
#include "kernel/bpf/verifier.h"

#define FIELD_END(type, field) (__builtin_offsetof(type, field) + sizeof(((type *)0)->field))
#define IN_FIELD(off, type, field) \
	((off) >= (int32_t)__builtin_offsetof(type, field) && (off) < (int32_t)FIELD_END(type, field))

/* The common read-only rule: inside [lo, hi) and aligned to the access size. */
static bool aligned_read(int32_t off, int size, bool write, int32_t lo, int32_t hi)
{
	return !write && off >= lo && off < hi && off % size == 0;
}

/* A tracepoint's record; its first 8 bytes (the common fields) are not the program's. */
static bool tracepoint_ok(int32_t off, int size, bool write)
{
	return aligned_read(off, size, write, (int32_t)sizeof(uint64_t), BPF_TRACE_RECORD_MAX);
}

/* The raw tracepoint's arguments: at most BPF_MAX_FUNC_ARGS 64-bit words. */
static bool raw_tracepoint_ok(int32_t off, int size, bool write)
{
	return aligned_read(off, size, write, 0, (int32_t)(BPF_MAX_FUNC_ARGS * sizeof(uint64_t)));
}

/* Linux's struct pt_regs, 21 words: any aligned read that ends inside it. */
static bool kprobe_ok(int32_t off, int size, bool write)
{
	int32_t end = BPF_PT_REGS_WORDS * (int32_t)sizeof(uint64_t);
	return aligned_read(off, size, write, 0, end) && off + size <= end;
}

/* struct bpf_perf_event_data: registers read whole, sample_period and addr in any width. */
static bool perf_event_ok(int32_t off, int size, bool write)
{
	if (!aligned_read(off, size, write, 0, (int32_t)sizeof(struct bpf_perf_event_data)))
		return false;
	if (IN_FIELD(off, struct bpf_perf_event_data, sample_period) || IN_FIELD(off, struct bpf_perf_event_data, addr))
		return true;
	return size == sizeof(uint64_t);
}

/* __sk_buff fields a socket filter may not touch at all. */
static bool skb_hidden(int32_t off)
{
	return IN_FIELD(off, struct __sk_buff, tc_classid) || IN_FIELD(off, struct __sk_buff, data) ||
	       IN_FIELD(off, struct __sk_buff, data_meta) || IN_FIELD(off, struct __sk_buff, data_end) ||
	       (off >= (int32_t)__builtin_offsetof(struct __sk_buff, family) &&
		off < (int32_t)FIELD_END(struct __sk_buff, local_port)) ||
	       IN_FIELD(off, struct __sk_buff, tstamp) || IN_FIELD(off, struct __sk_buff, wire_len) ||
	       IN_FIELD(off, struct __sk_buff, hwtstamp) || IN_FIELD(off, struct __sk_buff, flow_keys) ||
	       IN_FIELD(off, struct __sk_buff, tstamp_type) || IN_FIELD(off, struct __sk_buff, pad);
}

/*
 * A socket filter: cb[] (scratch space) may be written in 4-byte words and
 * read in any width that stays inside it; sk only whole; other visible fields
 * are 32-bit and may be read narrower.
 */
static bool socket_filter_ok(int32_t off, int size, bool write)
{
	if (off < 0 || off >= (int32_t)sizeof(struct __sk_buff) || off % size || skb_hidden(off))
		return false;
	if (off >= (int32_t)__builtin_offsetof(struct __sk_buff, cb) && off < (int32_t)FIELD_END(struct __sk_buff, cb))
		return off + size <= (int32_t)FIELD_END(struct __sk_buff, cb);
	if (write)
		return false;
	if (IN_FIELD(off, struct __sk_buff, sk))
		return size == sizeof(uint64_t);
	return size <= (int)sizeof(uint32_t);
}

bool ctx_access_ok(uint32_t prog_type, int32_t off, int size, bool write)
{
	switch (prog_type) {
	case BPF_PROG_TYPE_TRACEPOINT:
		return tracepoint_ok(off, size, write);
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return raw_tracepoint_ok(off, size, write);
	case BPF_PROG_TYPE_KPROBE:
		return kprobe_ok(off, size, write);
	case BPF_PROG_TYPE_PERF_EVENT:
		return perf_event_ok(off, size, write);
	case BPF_PROG_TYPE_SOCKET_FILTER:
		return socket_filter_ok(off, size, write);
	default:
		return false;
	}
}

/* Classic packet loads (LD_ABS, LD_IND) read a packet: only packet programs have one. */
bool prog_type_has_ld_abs(uint32_t prog_type)
{
	return prog_type == BPF_PROG_TYPE_SOCKET_FILTER || prog_type == BPF_PROG_TYPE_SCHED_CLS;
}
