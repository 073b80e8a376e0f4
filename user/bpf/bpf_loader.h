/*
 * What the loader test's BPF program (bpf_loader.bpf.c) and the test
 * (user/tests/bpf_loader.c) share (course section: eBPF, programs written
 * in C).
 */
#ifndef USER_BPF_LOADER_TEST_H
#define USER_BPF_LOADER_TEST_H

#include <stdint.h>

#define LT_PATH_MAX 64

/* One openat seen, sent through the ring buffer and the perf buffer. */
struct lt_event {
	uint32_t pid; /* the thread group (the process) */
	uint32_t tid;
	int64_t dfd;
	char path[LT_PATH_MAX];
};

#endif
