/*
 * perf_event_open(2)'s ABI, as Linux's <linux/perf_event.h> defines it
 * (course section: performance profiling tools). Shared by the kernel
 * (kernel/tracing/perf_event.c) and the programs (user/perf.c, the tests).
 */
#ifndef ABI_PERF_EVENT_H
#define ABI_PERF_EVENT_H

#include <stdint.h>

enum perf_type_id {
	PERF_TYPE_HARDWARE = 0,
	PERF_TYPE_SOFTWARE = 1,
	PERF_TYPE_TRACEPOINT = 2,
	PERF_TYPE_HW_CACHE = 3,
	PERF_TYPE_RAW = 4,
	PERF_TYPE_BREAKPOINT = 5,
};

enum perf_sw_ids {
	PERF_COUNT_SW_CPU_CLOCK = 0,
	PERF_COUNT_SW_TASK_CLOCK = 1,
	PERF_COUNT_SW_PAGE_FAULTS = 2,
	PERF_COUNT_SW_CONTEXT_SWITCHES = 3,
	PERF_COUNT_SW_CPU_MIGRATIONS = 4,
	PERF_COUNT_SW_PAGE_FAULTS_MIN = 5,
	PERF_COUNT_SW_PAGE_FAULTS_MAJ = 6,
	PERF_COUNT_SW_ALIGNMENT_FAULTS = 7,
	PERF_COUNT_SW_EMULATION_FAULTS = 8,
	PERF_COUNT_SW_DUMMY = 9,
	PERF_COUNT_SW_BPF_OUTPUT = 10,
	PERF_COUNT_SW_CGROUP_SWITCHES = 11,
	PERF_COUNT_SW_MAX = 12,
};

enum perf_event_read_format {
	PERF_FORMAT_TOTAL_TIME_ENABLED = 1U << 0,
	PERF_FORMAT_TOTAL_TIME_RUNNING = 1U << 1,
	PERF_FORMAT_ID = 1U << 2,
	PERF_FORMAT_GROUP = 1U << 3,
	PERF_FORMAT_LOST = 1U << 4,
	PERF_FORMAT_MAX = 1U << 5,
};

#define PERF_SAMPLE_MAX (1U << 25) /* one beyond the highest PERF_SAMPLE_* bit Linux 6.18 knows */

#define PERF_ATTR_SIZE_VER0 64
#define PERF_ATTR_SIZE_VER8 136

/* Bits of the flags word (the bit-fields of Linux's struct). */
#define PERF_ATTR_FLAG_DISABLED (1ULL << 0)
#define PERF_ATTR_FLAG_INHERIT (1ULL << 1)
#define PERF_ATTR_FLAG_EXCLUDE_USER (1ULL << 4)
#define PERF_ATTR_FLAG_EXCLUDE_KERNEL (1ULL << 5)
#define PERF_ATTR_FLAG_FREQ (1ULL << 10)
#define PERF_ATTR_FLAG_ENABLE_ON_EXEC (1ULL << 12)
#define PERF_ATTR_FLAGS_RESERVED (~0ULL << 38) /* __reserved_1 */

/* Linux's struct perf_event_attr (PERF_ATTR_SIZE_VER8, 136 bytes), with the
 * bit-fields as one flags word. */
struct perf_event_attr {
	uint32_t type;
	uint32_t size;
	uint64_t config;
	uint64_t sample_period; /* or sample_freq with PERF_ATTR_FLAG_FREQ */
	uint64_t sample_type;
	uint64_t read_format;
	uint64_t flags;
	uint32_t wakeup_events;
	uint32_t bp_type;
	uint64_t config1;
	uint64_t config2;
	uint64_t branch_sample_type;
	uint64_t sample_regs_user;
	uint32_t sample_stack_user;
	int32_t clockid;
	uint64_t sample_regs_intr;
	uint32_t aux_watermark;
	uint16_t sample_max_stack;
	uint16_t reserved_2;
	uint32_t aux_sample_size;
	uint32_t aux_action;
	uint64_t sig_data;
	uint64_t config3;
};

#define PERF_FLAG_FD_NO_GROUP (1UL << 0)
#define PERF_FLAG_FD_OUTPUT (1UL << 1)
#define PERF_FLAG_PID_CGROUP (1UL << 2)
#define PERF_FLAG_FD_CLOEXEC (1UL << 3)

/* ioctl numbers: _IO('$', n), _IOW('$', 4, u64), _IOR('$', 7, u64 *). */
#define PERF_EVENT_IOC_ENABLE 0x2400
#define PERF_EVENT_IOC_DISABLE 0x2401
#define PERF_EVENT_IOC_REFRESH 0x2402
#define PERF_EVENT_IOC_RESET 0x2403
#define PERF_EVENT_IOC_PERIOD 0x40082404
#define PERF_EVENT_IOC_SET_OUTPUT 0x2405
#define PERF_EVENT_IOC_ID 0x80082407
#define PERF_EVENT_IOC_SET_BPF 0x40042408 /* _IOW('$', 8, __u32): attach a BPF program by its fd */
#define PERF_IOC_FLAG_GROUP 1U

#endif
