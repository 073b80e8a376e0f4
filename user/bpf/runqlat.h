/*
 * What runqlat's BPF program (runqlat.bpf.c) and the tool (user/runqlat.c)
 * share (course section: advanced eBPF tracing).
 */
#ifndef USER_BPF_RUNQLAT_H
#define USER_BPF_RUNQLAT_H

#include <stdint.h>

struct rq_config {
	uint64_t unit_ns; /* 1000 for microseconds, 1000000 for milliseconds */
};

#endif
