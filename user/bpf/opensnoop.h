/*
 * What opensnoop's BPF program (opensnoop.bpf.c) sends to the tool
 * (user/opensnoop.c) (course section: advanced eBPF tracing).
 */
#ifndef USER_BPF_OPENSNOOP_H
#define USER_BPF_OPENSNOOP_H

#include <stdint.h>

#define OS_PATH_MAX 256
#define OS_COMM_LEN 16

/* What the tool asks for: only this process (0: every one). */
struct os_config {
	uint32_t tgid;
};

/* One open or openat, sent when it returns. */
struct os_event {
	uint32_t pid;
	uint32_t uid;
	int64_t ret; /* the fd, or -errno */
	int32_t flags;
	char comm[OS_COMM_LEN];
	char path[OS_PATH_MAX];
};

#endif
