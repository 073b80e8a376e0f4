/*
 * What syscount's BPF program (syscount.bpf.c) and the tool
 * (user/syscount.c) share (course section: advanced eBPF tracing).
 */
#ifndef USER_BPF_SYSCOUNT_H
#define USER_BPF_SYSCOUNT_H

#include <stdint.h>

#define SC_MAX_NR 512 /* x86_64's syscall numbers are below this */

/* What the tool asks for: only this process (0: every one). */
struct sc_config {
	uint32_t tgid;
};

/* The counts of one syscall number, an element of the `stats` array. */
struct sc_stat {
	uint64_t count;
	uint64_t errors;
	uint64_t ns; /* time inside the call, summed */
};

#endif
