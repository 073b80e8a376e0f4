/*
 * perf_event_open(2)'s ABI, as Linux's <linux/perf_event.h> defines it
 * (course section: performance profiling tools). Shared by the kernel
 * (kernel/tracing/perf_event.c and the sampling files) and the programs (user/perf/, the tests).
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

/* What a PERF_RECORD_SAMPLE holds (attr.sample_type), in Linux's bit order. */
enum perf_event_sample_format {
	PERF_SAMPLE_IP = 1U << 0,
	PERF_SAMPLE_TID = 1U << 1,
	PERF_SAMPLE_TIME = 1U << 2,
	PERF_SAMPLE_ADDR = 1U << 3,
	PERF_SAMPLE_READ = 1U << 4,
	PERF_SAMPLE_CALLCHAIN = 1U << 5,
	PERF_SAMPLE_ID = 1U << 6,
	PERF_SAMPLE_CPU = 1U << 7,
	PERF_SAMPLE_PERIOD = 1U << 8,
	PERF_SAMPLE_STREAM_ID = 1U << 9,
	PERF_SAMPLE_RAW = 1U << 10,
	PERF_SAMPLE_IDENTIFIER = 1U << 16,
};
#define PERF_SAMPLE_MAX (1U << 25) /* one beyond the highest PERF_SAMPLE_* bit Linux 6.18 knows */

/* The records of the mmap ring (struct perf_event_header's type). */
enum perf_event_type {
	PERF_RECORD_MMAP = 1,
	PERF_RECORD_LOST = 2,
	PERF_RECORD_COMM = 3,
	PERF_RECORD_EXIT = 4,
	PERF_RECORD_THROTTLE = 5,
	PERF_RECORD_UNTHROTTLE = 6,
	PERF_RECORD_FORK = 7,
	PERF_RECORD_READ = 8,
	PERF_RECORD_SAMPLE = 9,
};

#define PERF_RECORD_MISC_KERNEL 1
#define PERF_RECORD_MISC_USER 2
#define PERF_RECORD_MISC_COMM_EXEC (1U << 13)

/* Markers in a PERF_SAMPLE_CALLCHAIN: the frames after them are the kernel's, the program's. */
#define PERF_CONTEXT_KERNEL ((uint64_t)-128)
#define PERF_CONTEXT_USER ((uint64_t)-512)
#define PERF_MAX_STACK_DEPTH 127 /* kernel.perf_event_max_stack */

struct perf_event_header {
	uint32_t type;
	uint16_t misc;
	uint16_t size; /* of the whole record, header included */
};

/* The first page of the ring a perf descriptor maps (Linux's layout). */
struct perf_event_mmap_page {
	uint32_t version;
	uint32_t compat_version;
	uint32_t lock;        /* a sequence count around the fields below */
	uint32_t index;
	int64_t offset;
	uint64_t time_enabled;
	uint64_t time_running;
	uint64_t capabilities;
	uint16_t pmc_width;
	uint16_t time_shift;
	uint32_t time_mult;
	uint64_t time_offset;
	uint64_t time_zero;
	uint32_t size;
	uint32_t reserved_1;
	uint64_t time_cycles;
	uint64_t time_mask;
	uint8_t reserved[116 * 8];
	uint64_t data_head;   /* the kernel's write position, in bytes since the start */
	uint64_t data_tail;   /* what the reader has consumed (it writes this) */
	uint64_t data_offset; /* where the data pages begin in the mapping */
	uint64_t data_size;
	uint64_t aux_head, aux_tail, aux_offset, aux_size;
};
_Static_assert(__builtin_offsetof(struct perf_event_mmap_page, data_head) == 1024, "Linux's layout");
#define PERF_MMAP_CAP_BIT0_IS_DEPRECATED (1ULL << 1)

#define PERF_ATTR_SIZE_VER0 64
#define PERF_ATTR_SIZE_VER8 136

/* Bits of the flags word (the bit-fields of Linux's struct). */
#define PERF_ATTR_FLAG_DISABLED (1ULL << 0)
#define PERF_ATTR_FLAG_INHERIT (1ULL << 1)
#define PERF_ATTR_FLAG_EXCLUDE_USER (1ULL << 4)
#define PERF_ATTR_FLAG_EXCLUDE_KERNEL (1ULL << 5)
#define PERF_ATTR_FLAG_MMAP (1ULL << 8)
#define PERF_ATTR_FLAG_COMM (1ULL << 9)
#define PERF_ATTR_FLAG_FREQ (1ULL << 10)
#define PERF_ATTR_FLAG_ENABLE_ON_EXEC (1ULL << 12)
#define PERF_ATTR_FLAG_TASK (1ULL << 13)
#define PERF_ATTR_FLAG_WATERMARK (1ULL << 14)
#define PERF_ATTR_FLAG_SAMPLE_ID_ALL (1ULL << 18)
#define PERF_ATTR_FLAG_EXCLUDE_CALLCHAIN_KERNEL (1ULL << 21)
#define PERF_ATTR_FLAG_EXCLUDE_CALLCHAIN_USER (1ULL << 22)
#define PERF_ATTR_FLAG_COMM_EXEC (1ULL << 24)
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
	uint32_t wakeup_events; /* or wakeup_watermark (bytes) with PERF_ATTR_FLAG_WATERMARK */
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
#define PERF_EVENT_IOC_SET_BPF 0x40042408 /* _IOW('$', 8, u32): a BPF program's fd */
#define PERF_IOC_FLAG_GROUP 1U

#endif
