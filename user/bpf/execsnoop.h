/*
 * What execsnoop's BPF program (execsnoop.bpf.c) sends to the tool
 * (user/execsnoop.c) (course section: advanced eBPF tracing).
 */
#ifndef USER_BPF_EXECSNOOP_H
#define USER_BPF_EXECSNOOP_H

#include <stdint.h>

#define ES_MAX_ARGS 8 /* the first arguments only: argv[0] to argv[7] */
#define ES_ARG_LEN 48
#define ES_COMM_LEN 16

/* One execve, sent when it returns. */
struct es_event {
	uint32_t pid;
	uint32_t argc;    /* arguments read (at most ES_MAX_ARGS) */
	int64_t ret;      /* 0, or -errno */
	uint32_t more;    /* 1 if argv went on beyond ES_MAX_ARGS */
	uint32_t ppid;    /* 0 if the fork was before tracing began */
	char comm[ES_COMM_LEN];
	char args[ES_MAX_ARGS][ES_ARG_LEN];
};

#endif
