/*
 * The context a socket filter sees: Linux's struct __sk_buff (course
 * section: eBPF, the revolution in kernel programming).
 *
 * A socket filter's r1 points at this structure (192 bytes, Linux's
 * layout and offsets, so programs built for Linux read the same fields).
 * Which fields a program may read or write is ctx_access.c's business.
 */
#ifndef KERNEL_BPF_CTX_ACCESS_H
#define KERNEL_BPF_CTX_ACCESS_H

#include "kernel/types.h"

struct __sk_buff {
	uint32_t len;
	uint32_t pkt_type;
	uint32_t mark;
	uint32_t queue_mapping;
	uint32_t protocol;
	uint32_t vlan_present;
	uint32_t vlan_tci;
	uint32_t vlan_proto;
	uint32_t priority;
	uint32_t ingress_ifindex;
	uint32_t ifindex;
	uint32_t tc_index;
	uint32_t cb[5];
	uint32_t hash;
	uint32_t tc_classid;
	uint32_t data;
	uint32_t data_end;
	uint32_t napi_id;
	/* Socket fields (sk_skb programs only). */
	uint32_t family;
	uint32_t remote_ip4;
	uint32_t local_ip4;
	uint32_t remote_ip6[4];
	uint32_t local_ip6[4];
	uint32_t remote_port;
	uint32_t local_port;
	uint32_t data_meta;
	uint64_t flow_keys; /* a pointer in Linux */
	uint64_t tstamp;
	uint32_t wire_len;
	uint32_t gso_segs;
	uint64_t sk;        /* a pointer in Linux */
	uint32_t gso_size;
	uint8_t tstamp_type;
	uint8_t pad[3];
	uint64_t hwtstamp;
};

_Static_assert(sizeof(struct __sk_buff) == 192, "struct __sk_buff is Linux's 192 bytes");
_Static_assert(__builtin_offsetof(struct __sk_buff, cb) == 48, "cb[] at Linux's offset");
_Static_assert(__builtin_offsetof(struct __sk_buff, hwtstamp) == 184, "hwtstamp at Linux's offset");

/* A tracepoint's record: Linux's largest (PERF_MAX_TRACE_SIZE). */
#define BPF_TRACE_RECORD_MAX 8192

#endif
