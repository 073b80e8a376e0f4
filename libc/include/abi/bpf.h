/*
 * bpf(2)'s ABI, as Linux's <linux/bpf.h> defines it (course sections: eBPF,
 * the revolution in kernel programming; advanced eBPF tracing). Shared by
 * the kernel (kernel/bpf/), the loader and tools (user/bpf/) and the tests.
 *
 * Only the parts sysgate implements are here, with Linux's numbers and
 * layouts, so a program built against Linux's header works unchanged.
 */
#ifndef ABI_BPF_H
#define ABI_BPF_H

#include <stdint.h>

/* --- the instruction: 8 bytes, opcode, two 4-bit registers, offset, immediate --- */
struct bpf_insn {
	uint8_t code;
	uint8_t dst_reg : 4;
	uint8_t src_reg : 4;
	int16_t off;
	int32_t imm;
};

/* The low 3 bits of code: the instruction class. */
#define BPF_CLASS(code) ((code) & 0x07)
#define BPF_LD 0x00
#define BPF_LDX 0x01
#define BPF_ST 0x02
#define BPF_STX 0x03
#define BPF_ALU 0x04   /* 32-bit arithmetic */
#define BPF_JMP 0x05   /* 64-bit compares, call, exit */
#define BPF_JMP32 0x06 /* 32-bit compares */
#define BPF_ALU64 0x07

/* Loads and stores: size (bits 3-4) and mode (bits 5-7). */
#define BPF_SIZE(code) ((code) & 0x18)
#define BPF_W 0x00
#define BPF_H 0x08
#define BPF_B 0x10
#define BPF_DW 0x18
#define BPF_MODE(code) ((code) & 0xe0)
#define BPF_IMM 0x00 /* BPF_LD | BPF_DW | BPF_IMM: the 16-byte 64-bit immediate load */
#define BPF_ABS 0x20 /* classic BPF packet loads (seccomp: struct seccomp_data) */
#define BPF_IND 0x40
#define BPF_MEM 0x60
#define BPF_LEN 0x80 /* classic BPF */
#define BPF_MSH 0xa0 /* classic BPF */
#define BPF_MEMSX 0x80
#define BPF_ATOMIC 0xc0

/* Arithmetic and jumps: operation (bits 4-7) and source (bit 3). */
#define BPF_OP(code) ((code) & 0xf0)
#define BPF_SRC(code) ((code) & 0x08)
#define BPF_K 0x00 /* the immediate */
#define BPF_X 0x08 /* the source register */

#define BPF_ADD 0x00
#define BPF_SUB 0x10
#define BPF_MUL 0x20
#define BPF_DIV 0x30
#define BPF_OR 0x40
#define BPF_AND 0x50
#define BPF_LSH 0x60
#define BPF_RSH 0x70
#define BPF_NEG 0x80
#define BPF_MOD 0x90
#define BPF_XOR 0xa0
#define BPF_MOV 0xb0
#define BPF_ARSH 0xc0
#define BPF_END 0xd0 /* byte swap: BPF_TO_LE or BPF_TO_BE in the source bit */
#define BPF_TO_LE 0x00
#define BPF_TO_BE 0x08

#define BPF_JA 0x00
#define BPF_JEQ 0x10
#define BPF_JGT 0x20
#define BPF_JGE 0x30
#define BPF_JSET 0x40
#define BPF_JNE 0x50
#define BPF_JSGT 0x60
#define BPF_JSGE 0x70
#define BPF_CALL 0x80
#define BPF_EXIT 0x90
#define BPF_JLT 0xa0
#define BPF_JLE 0xb0
#define BPF_JSLT 0xc0
#define BPF_JSLE 0xd0

/* BPF_ATOMIC's operation, in imm. */
#define BPF_FETCH 0x01
#define BPF_XCHG (0xe0 | BPF_FETCH)
#define BPF_CMPXCHG (0xf0 | BPF_FETCH)

/* Registers: r0 return value, r1-r5 arguments, r6-r9 kept across calls, r10 frame pointer. */
enum {
	BPF_REG_0 = 0,
	BPF_REG_1,
	BPF_REG_2,
	BPF_REG_3,
	BPF_REG_4,
	BPF_REG_5,
	BPF_REG_6,
	BPF_REG_7,
	BPF_REG_8,
	BPF_REG_9,
	BPF_REG_10,
	MAX_BPF_REG,
};
#define MAX_BPF_STACK 512

/* src_reg of the 64-bit immediate load: what imm names. */
#define BPF_PSEUDO_MAP_FD 1    /* imm is a map fd: the kernel puts the map's address */
#define BPF_PSEUDO_MAP_VALUE 2 /* imm is a map fd, the next imm an offset into its value */
#define BPF_PSEUDO_BTF_ID 3
#define BPF_PSEUDO_FUNC 4
#define BPF_PSEUDO_MAP_IDX 5
#define BPF_PSEUDO_MAP_IDX_VALUE 6
/* src_reg of a call: imm is a helper number (0), a relative call (1), a kfunc (2). */
#define BPF_PSEUDO_CALL 1
#define BPF_PSEUDO_KFUNC_CALL 2

/* --- the commands (the first argument of bpf(2)) --- */
enum bpf_cmd {
	BPF_MAP_CREATE = 0,
	BPF_MAP_LOOKUP_ELEM = 1,
	BPF_MAP_UPDATE_ELEM = 2,
	BPF_MAP_DELETE_ELEM = 3,
	BPF_MAP_GET_NEXT_KEY = 4,
	BPF_PROG_LOAD = 5,
	BPF_OBJ_PIN = 6,
	BPF_OBJ_GET = 7,
	BPF_PROG_ATTACH = 8,
	BPF_PROG_DETACH = 9,
	BPF_PROG_TEST_RUN = 10,
	BPF_PROG_GET_NEXT_ID = 11,
	BPF_MAP_GET_NEXT_ID = 12,
	BPF_PROG_GET_FD_BY_ID = 13,
	BPF_MAP_GET_FD_BY_ID = 14,
	BPF_OBJ_GET_INFO_BY_FD = 15,
	BPF_PROG_QUERY = 16,
	BPF_RAW_TRACEPOINT_OPEN = 17,
	BPF_BTF_LOAD = 18,
	BPF_BTF_GET_FD_BY_ID = 19,
	BPF_TASK_FD_QUERY = 20,
	BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21,
	BPF_MAP_FREEZE = 22,
	BPF_BTF_GET_NEXT_ID = 23,
	BPF_MAP_LOOKUP_BATCH = 24,
	BPF_MAP_LOOKUP_AND_DELETE_BATCH = 25,
	BPF_MAP_UPDATE_BATCH = 26,
	BPF_MAP_DELETE_BATCH = 27,
	BPF_LINK_CREATE = 28,
	BPF_LINK_UPDATE = 29,
	BPF_LINK_GET_FD_BY_ID = 30,
	BPF_LINK_GET_NEXT_ID = 31,
	BPF_ENABLE_STATS = 32,
	BPF_ITER_CREATE = 33,
	BPF_LINK_DETACH = 34,
	BPF_PROG_BIND_MAP = 35,
};

enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC = 0,
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum bpf_prog_type {
	BPF_PROG_TYPE_UNSPEC = 0,
	BPF_PROG_TYPE_SOCKET_FILTER = 1,
	BPF_PROG_TYPE_KPROBE = 2,
	BPF_PROG_TYPE_SCHED_CLS = 3,
	BPF_PROG_TYPE_TRACEPOINT = 5,
	BPF_PROG_TYPE_XDP = 6,
	BPF_PROG_TYPE_PERF_EVENT = 7,
	BPF_PROG_TYPE_RAW_TRACEPOINT = 17,
	BPF_PROG_TYPE_TRACING = 26,
	BPF_PROG_TYPE_SYSCALL = 31,
};

/* BPF_MAP_UPDATE_ELEM's flags. */
#define BPF_ANY 0
#define BPF_NOEXIST 1
#define BPF_EXIST 2
#define BPF_F_LOCK 4

/* BPF_MAP_CREATE's map_flags. */
#define BPF_F_NO_PREALLOC (1U << 0)
#define BPF_F_NO_COMMON_LRU (1U << 1)
#define BPF_F_NUMA_NODE (1U << 2)
#define BPF_F_RDONLY (1U << 3)
#define BPF_F_WRONLY (1U << 4)
#define BPF_F_STACK_BUILD_ID (1U << 5)
#define BPF_F_ZERO_SEED (1U << 6)
#define BPF_F_RDONLY_PROG (1U << 7)
#define BPF_F_WRONLY_PROG (1U << 8)
#define BPF_F_CLONE (1U << 9)
#define BPF_F_MMAPABLE (1U << 10)

/* BPF_PROG_LOAD's prog_flags. */
#define BPF_F_STRICT_ALIGNMENT (1U << 0)
#define BPF_F_ANY_ALIGNMENT (1U << 1)

/* perf_event_output's flags, get_stackid's and get_stack's flags. */
#define BPF_F_INDEX_MASK 0xffffffffULL
#define BPF_F_CURRENT_CPU BPF_F_INDEX_MASK
#define BPF_F_SKIP_FIELD_MASK 0xffULL
#define BPF_F_USER_STACK (1ULL << 8)
#define BPF_F_FAST_STACK_CMP (1ULL << 9)
#define BPF_F_REUSE_STACKID (1ULL << 10)
#define BPF_F_USER_BUILD_ID (1ULL << 11)

/* ringbuf_output's, ringbuf_submit's and ringbuf_discard's flags. */
#define BPF_RB_NO_WAKEUP (1ULL << 0)
#define BPF_RB_FORCE_WAKEUP (1ULL << 1)
/* ringbuf_query's what. */
#define BPF_RB_AVAIL_DATA 0
#define BPF_RB_RING_SIZE 1
#define BPF_RB_CONS_POS 2
#define BPF_RB_PROD_POS 3

/*
 * A ring buffer map, as user space maps it: page 0 the consumer position
 * (user writable), page 1 the producer position (read-only), then the data
 * pages, mapped twice in a row so a record never wraps. Each record starts
 * with an 8-byte header: its length with two flag bits, and the offset back
 * to the map's first data page (in pages).
 */
#define BPF_RINGBUF_BUSY_BIT (1U << 31)
#define BPF_RINGBUF_DISCARD_BIT (1U << 30)
#define BPF_RINGBUF_HDR_SZ 8

/* The helpers a program calls (BPF_CALL's imm), with Linux's numbers. */
enum bpf_func_id {
	BPF_FUNC_unspec = 0,
	BPF_FUNC_map_lookup_elem = 1,
	BPF_FUNC_map_update_elem = 2,
	BPF_FUNC_map_delete_elem = 3,
	BPF_FUNC_probe_read = 4,
	BPF_FUNC_ktime_get_ns = 5,
	BPF_FUNC_trace_printk = 6,
	BPF_FUNC_get_prandom_u32 = 7,
	BPF_FUNC_get_smp_processor_id = 8,
	BPF_FUNC_tail_call = 12,
	BPF_FUNC_get_current_pid_tgid = 14,
	BPF_FUNC_get_current_uid_gid = 15,
	BPF_FUNC_get_current_comm = 16,
	BPF_FUNC_perf_event_output = 25,
	BPF_FUNC_get_stackid = 27,
	BPF_FUNC_get_current_task = 35,
	BPF_FUNC_probe_read_str = 45,
	BPF_FUNC_get_stack = 67,
	BPF_FUNC_send_signal = 109,
	BPF_FUNC_probe_read_user = 112,
	BPF_FUNC_probe_read_kernel = 113,
	BPF_FUNC_probe_read_user_str = 114,
	BPF_FUNC_probe_read_kernel_str = 115,
	BPF_FUNC_ktime_get_boot_ns = 125,
	BPF_FUNC_ringbuf_output = 130,
	BPF_FUNC_ringbuf_reserve = 131,
	BPF_FUNC_ringbuf_submit = 132,
	BPF_FUNC_ringbuf_discard = 133,
	BPF_FUNC_ringbuf_query = 134,
	BPF_FUNC_ktime_get_coarse_ns = 160,
	__BPF_FUNC_MAX_ID = 212,
};

#define BPF_OBJ_NAME_LEN 16U
#define BPF_TAG_SIZE 8

/*
 * bpf(2)'s second argument: one struct per command, all overlaid. The
 * kernel reads at most sizeof(union bpf_attr) and requires any bytes the
 * caller passes beyond that to be zero (E2BIG otherwise), as Linux does.
 */
union bpf_attr {
	struct { /* BPF_MAP_CREATE */
		uint32_t map_type;
		uint32_t key_size;
		uint32_t value_size;
		uint32_t max_entries;
		uint32_t map_flags;
		uint32_t inner_map_fd;
		uint32_t numa_node;
		char map_name[BPF_OBJ_NAME_LEN];
		uint32_t map_ifindex;
		uint32_t btf_fd;
		uint32_t btf_key_type_id;
		uint32_t btf_value_type_id;
		uint32_t btf_vmlinux_value_type_id;
		uint64_t map_extra;
	};

	struct { /* BPF_MAP_{LOOKUP,UPDATE,DELETE}_ELEM, BPF_MAP_GET_NEXT_KEY */
		uint32_t map_fd;
		uint64_t key __attribute__((aligned(8)));
		union {
			uint64_t value __attribute__((aligned(8)));
			uint64_t next_key __attribute__((aligned(8)));
		};
		uint64_t flags;
	};

	struct { /* BPF_PROG_LOAD */
		uint32_t prog_type;
		uint32_t insn_cnt;
		uint64_t insns __attribute__((aligned(8)));
		uint64_t license __attribute__((aligned(8)));
		uint32_t log_level; /* 0 none, 1 the path that failed, 2 every instruction */
		uint32_t log_size;
		uint64_t log_buf __attribute__((aligned(8)));
		uint32_t kern_version;
		uint32_t prog_flags;
		char prog_name[BPF_OBJ_NAME_LEN];
		uint32_t prog_ifindex;
		uint32_t expected_attach_type;
		uint32_t prog_btf_fd;
		uint32_t func_info_rec_size;
		uint64_t func_info __attribute__((aligned(8)));
		uint32_t func_info_cnt;
		uint32_t line_info_rec_size;
		uint64_t line_info __attribute__((aligned(8)));
		uint32_t line_info_cnt;
		uint32_t attach_btf_id;
		uint32_t attach_prog_fd;
		uint32_t core_relo_cnt;
		uint64_t fd_array __attribute__((aligned(8)));
		uint64_t core_relos __attribute__((aligned(8)));
		uint32_t core_relo_rec_size;
	};

	struct { /* BPF_OBJ_PIN, BPF_OBJ_GET */
		uint64_t pathname __attribute__((aligned(8)));
		uint32_t bpf_fd;
		uint32_t file_flags;
	};

	struct { /* BPF_PROG_TEST_RUN */
		uint32_t prog_fd;
		uint32_t retval;
		uint32_t data_size_in;
		uint32_t data_size_out;
		uint64_t data_in __attribute__((aligned(8)));
		uint64_t data_out __attribute__((aligned(8)));
		uint32_t repeat;
		uint32_t duration;
		uint32_t ctx_size_in;
		uint32_t ctx_size_out;
		uint64_t ctx_in __attribute__((aligned(8)));
		uint64_t ctx_out __attribute__((aligned(8)));
		uint32_t flags;
		uint32_t cpu;
		uint32_t batch_size;
	} test;

	struct { /* BPF_{PROG,MAP}_GET_NEXT_ID, BPF_{PROG,MAP}_GET_FD_BY_ID */
		union {
			uint32_t start_id;
			uint32_t prog_id;
			uint32_t map_id;
			uint32_t btf_id;
			uint32_t link_id;
		};
		uint32_t next_id;
		uint32_t open_flags;
	};

	struct { /* BPF_OBJ_GET_INFO_BY_FD */
		uint32_t bpf_fd;
		uint32_t info_len;
		uint64_t info __attribute__((aligned(8)));
	} info;

	struct { /* BPF_RAW_TRACEPOINT_OPEN */
		uint64_t name;
		uint32_t prog_fd;
	} raw_tracepoint;
} __attribute__((aligned(8)));

/* What BPF_OBJ_GET_INFO_BY_FD writes for a program (Linux's layout, 232 bytes). */
struct bpf_prog_info {
	uint32_t type;
	uint32_t id;
	uint8_t tag[BPF_TAG_SIZE];
	uint32_t jited_prog_len;
	uint32_t xlated_prog_len;
	uint64_t jited_prog_insns __attribute__((aligned(8)));
	uint64_t xlated_prog_insns __attribute__((aligned(8)));
	uint64_t load_time; /* ns since boot */
	uint32_t created_by_uid;
	uint32_t nr_map_ids;
	uint64_t map_ids __attribute__((aligned(8)));
	char name[BPF_OBJ_NAME_LEN];
	uint32_t ifindex;
	uint32_t gpl_compatible : 1;
	uint32_t : 31;
	uint64_t netns_dev;
	uint64_t netns_ino;
	uint32_t nr_jited_ksyms;
	uint32_t nr_jited_func_lens;
	uint64_t jited_ksyms __attribute__((aligned(8)));
	uint64_t jited_func_lens __attribute__((aligned(8)));
	uint32_t btf_id;
	uint32_t func_info_rec_size;
	uint64_t func_info __attribute__((aligned(8)));
	uint32_t nr_func_info;
	uint32_t nr_line_info;
	uint64_t line_info __attribute__((aligned(8)));
	uint64_t jited_line_info __attribute__((aligned(8)));
	uint32_t nr_jited_line_info;
	uint32_t line_info_rec_size;
	uint32_t jited_line_info_rec_size;
	uint32_t nr_prog_tags;
	uint64_t prog_tags __attribute__((aligned(8)));
	uint64_t run_time_ns;
	uint64_t run_cnt;
	uint64_t recursion_misses;
	uint32_t verified_insns;
	uint32_t attach_btf_obj_id;
	uint32_t attach_btf_id;
	uint32_t : 32;
} __attribute__((aligned(8)));

/* What BPF_OBJ_GET_INFO_BY_FD writes for a map (Linux's layout, 88 bytes). */
struct bpf_map_info {
	uint32_t type;
	uint32_t id;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	char name[BPF_OBJ_NAME_LEN];
	uint32_t ifindex;
	uint32_t btf_vmlinux_value_type_id;
	uint64_t netns_dev;
	uint64_t netns_ino;
	uint32_t btf_id;
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	uint32_t : 32;
	uint64_t map_extra;
} __attribute__((aligned(8)));

/* The context of a BPF_PROG_TYPE_RAW_TRACEPOINT program: the tracepoint's arguments. */
struct bpf_raw_tracepoint_args {
	uint64_t args[0];
};

/* The context of a BPF_PROG_TYPE_PERF_EVENT program (regs is struct pt_regs, 168 bytes). */
struct bpf_perf_event_data {
	uint64_t regs[21];
	uint64_t sample_period;
	uint64_t addr;
};

/* PERF_EVENT_IOC_SET_BPF is in abi/perf_event.h. */

#endif
