/*
 * eBPF inside the kernel: the objects and the contracts between the parts
 * (course sections: eBPF, the revolution in kernel programming; advanced
 * eBPF tracing).
 *
 * A program's life, and the file that owns each step:
 *
 *   bpf(BPF_PROG_LOAD)   syscall.c, prog.c    copy the instructions in, make a prog
 *   bpf_check()          verifier*.c          prove every path safe, or refuse with a log;
 *                                             resolve map fds to map addresses
 *   bpf_jit_compile()    jit*.c               translate to x86_64 (when bpf_jit_enable)
 *   bpf_prog_run()       interp.c or the JIT  run it on a context (a tracepoint's
 *                                             record, pt_regs, a packet...)
 *   helpers              helpers*.c           the kernel functions a program may call
 *   maps                 map_*.c              the state programs and user space share
 *
 * The user-visible ABI (instruction encoding, union bpf_attr, numbers) is
 * libc/include/abi/bpf.h; this header is what the kernel's parts promise
 * each other.
 */
#ifndef KERNEL_BPF_BPF_H
#define KERNEL_BPF_BPF_H

#include "kernel/bpf/ctx_access.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/bpf.h"

struct file;
struct poll_table;
struct regs;

/* Linux's limits, so the same programs are accepted and refused. */
#define BPF_MAXINSNS 4096             /* per program without CAP_BPF/CAP_SYS_ADMIN */
#define BPF_COMPLEXITY_LIMIT_INSNS 1000000 /* instructions the verifier may walk */
#define BPF_MAX_USED_MAPS 64
#define BPF_MAX_TAIL_CALL_CNT 33
#define BPF_MAX_FUNC_ARGS 12          /* a raw tracepoint's arguments */
#define BPF_VERIFIER_LOG_MIN 128      /* a smaller log_size with log_level != 0: EINVAL */
#define BPF_VERIFIER_LOG_MAX (UINT32_MAX >> 2)

/* --- maps --- */
struct bpf_map;

/*
 * One map type. Keys and values are kernel copies. lookup returns the
 * value's address inside the map (programs write through it) or NULL.
 */
struct bpf_map_ops {
	/* Check the attributes and allocate; an errno on failure. */
	long (*alloc)(struct bpf_map *map, const union bpf_attr *attr);
	void (*free)(struct bpf_map *map);
	void *(*lookup)(struct bpf_map *map, const void *key);
	long (*update)(struct bpf_map *map, const void *key, const void *value, uint64_t flags);
	long (*delete)(struct bpf_map *map, const void *key);
	/* key NULL: the first key. -ENOENT after the last. */
	long (*get_next_key)(struct bpf_map *map, const void *key, void *next_key);
	/* Optional, for mmap by user space (array with BPF_F_MMAPABLE, ringbuf):
	 * check a mapping's range and protection (an errno), then give the frame
	 * holding byte offset of the mapping (file_ops.mmap_frame's contract). */
	long (*mmap_check)(struct bpf_map *map, uint64_t offset, uint64_t len, int prot);
	int (*mmap_frame)(struct bpf_map *map, uint64_t offset, phys_addr_t *frame);
	/* Optional: poll/epoll on the map's fd (ringbuf: readable when data waits). */
	uint32_t (*poll)(struct bpf_map *map, struct file *f, struct poll_table *pt);
	/* Optional: the address of byte off of a single-value map (BPF_PSEUDO_MAP_VALUE). */
	long (*direct_value_addr)(const struct bpf_map *map, uint64_t *addr, uint32_t off);
};

struct bpf_map {
	const struct bpf_map_ops *ops;
	uint32_t type;        /* enum bpf_map_type */
	uint32_t key_size, value_size, max_entries, map_flags;
	uint32_t id;          /* BPF_MAP_GET_NEXT_ID, bpf_map_info.id */
	char name[BPF_OBJ_NAME_LEN];
	uint32_t refs;        /* open fds + programs using it; freed at 0 */
	uint32_t urefs;       /* open fds only: at 0, fd arrays drop their entries */
	/* PROG_ARRAY: the type and JIT state every program in it must share. */
	uint32_t owner_prog_type;
	bool owner_jited;
	struct list_node all;  /* in the list of every map, by id (kernel/bpf/ids.c) */
};

/* The ops of a map type (kernel/bpf/map_types.c), or NULL: BPF_MAP_CREATE says EINVAL. */
const struct bpf_map_ops *bpf_map_type_ops(uint32_t map_type);

/* The fd's map with one more reference, or an ERR_PTR-style errno in *err and NULL. */
struct bpf_map *bpf_map_get_fd(int fd, long *err);
void bpf_map_put(struct bpf_map *map);
/* A PROG_ARRAY's entry for a tail call: NULL when index is out of range or the slot empty. */
struct bpf_prog *bpf_prog_array_entry(struct bpf_map *map, uint32_t index);

/* --- programs --- */
typedef uint64_t (*bpf_jited_fn)(const void *ctx);

struct bpf_prog {
	uint32_t type;                 /* enum bpf_prog_type */
	uint32_t expected_attach_type;
	uint32_t len;                  /* instructions */
	struct bpf_insn *insns;        /* after the verifier's rewrites */
	uint32_t id;
	char name[BPF_OBJ_NAME_LEN];
	uint8_t tag[BPF_TAG_SIZE];
	uint32_t refs;                 /* fds, attachments, PROG_ARRAY slots */
	bool gpl_compatible;
	uid_t created_by_uid;
	uint64_t load_time_ns;

	/* Filled by the verifier. */
	uint32_t stack_depth;          /* bytes below r10 the program uses, 8-aligned */
	struct bpf_map *used_maps[BPF_MAX_USED_MAPS]; /* one reference each */
	uint32_t n_used_maps;
	uint32_t verified_insns;       /* instructions walked: bpf_prog_info.verified_insns */
	uint32_t max_ctx_offset;       /* the end of the furthest context byte it reads: a tracepoint
	                                * must have that many (EACCES), a test run's ctx_in too (EINVAL) */
	bool uses_tail_call;

	/* Filled by the JIT; jited NULL: run by the interpreter. */
	bpf_jited_fn jited;
	void *jit_image;
	uint32_t jit_size;
	void *jit_tail_entry;          /* where a tail call into this program jumps */

	uint64_t run_cnt, run_time_ns;
	struct list_node all;          /* in the list of every program, by id (kernel/bpf/ids.c) */
};

/* The fd's program with one more reference, or NULL and the errno in *err. */
struct bpf_prog *bpf_prog_get_fd(int fd, long *err);
void bpf_prog_get(struct bpf_prog *prog);
void bpf_prog_put(struct bpf_prog *prog);

/*
 * The verifier (verifier*.c). Walks every path of prog->insns; on success
 * rewrites map-fd loads to map addresses (taking references into
 * prog->used_maps) and fills stack_depth and verified_insns. log_level 0, 1
 * or 2 with a user buffer as union bpf_attr gives them. Returns 0, or
 * Linux's errno: -EACCES (unsafe), -EINVAL (malformed), -E2BIG (too
 * complex), -ENOSPC (the log did not fit), -EFAULT (bad log pointer).
 */
long bpf_check(struct bpf_prog *prog, uint32_t log_level, char __user *log_buf, uint32_t log_size);

/*
 * The interpreter (interp.c) and the JIT (jit*.c) run the same semantics:
 * 64-bit registers, 32-bit ALU zero-extends, division by zero gives 0 and
 * modulo by zero leaves dst unchanged, shifts use the low 6 (or 5) bits,
 * helpers called with r1-r5 and returning in r0, tail calls at most
 * BPF_MAX_TAIL_CALL_CNT deep.
 */
uint64_t bpf_interp_run(const struct bpf_prog *prog, const void *ctx);
/* 0 with prog->jited set, or an errno (the program then stays interpreted). */
long bpf_jit_compile(struct bpf_prog *prog);
void bpf_jit_free(struct bpf_prog *prog);
/* /proc/sys/net/core/bpf_jit_enable: programs loaded while 0 are interpreted. */
extern long bpf_jit_enable; /* long: the /proc/sys table holds longs */

static inline uint64_t bpf_prog_run(const struct bpf_prog *prog, const void *ctx)
{
	if (prog->jited)
		return prog->jited(ctx);
	return bpf_interp_run(prog, ctx);
}

/*
 * A SOCKET_FILTER program's context (r1, and r6 for LD_ABS/LD_IND): Linux's
 * struct __sk_buff first (what the program may read and write of it is
 * ctx_access.c's rule), then what the kernel keeps: the packet from the
 * byte after its Ethernet header (ctx.len bytes), which LD_ABS/LD_IND read.
 */
struct bpf_skb {
	struct __sk_buff ctx;
	const uint8_t *data;
};

/* bpf-to-bpf calls (BPF_PSEUDO_CALL) nest at most this deep, as Linux's MAX_CALL_FRAMES. */
#define BPF_MAX_CALL_FRAMES 8

/* --- helpers --- */
typedef uint64_t (*bpf_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5);

/* What the verifier knows of a helper's arguments and result. */
enum bpf_arg_type {
	ARG_DONTCARE = 0,      /* unused argument */
	ARG_ANYTHING,          /* any initialised value */
	ARG_CONST_MAP_PTR,     /* a map from ld_imm64 */
	ARG_PTR_TO_MAP_KEY,    /* key_size initialised bytes */
	ARG_PTR_TO_MAP_VALUE,  /* value_size initialised bytes */
	ARG_PTR_TO_MEM,        /* readable memory of the size in the next argument */
	ARG_PTR_TO_UNINIT_MEM, /* writable memory of the size in the next argument */
	ARG_CONST_SIZE,        /* the size of the previous argument, > 0 */
	ARG_CONST_SIZE_OR_ZERO,
	ARG_PTR_TO_CTX,
	ARG_PTR_TO_ALLOC_MEM,  /* a ringbuf_reserve result, not NULL */
	ARG_CONST_ALLOC_SIZE_OR_ZERO,
	ARG_PTR_TO_STACK,      /* the stack (trace_printk's format is ARG_PTR_TO_MEM) */
};

enum bpf_return_type {
	RET_INTEGER = 0,
	RET_VOID,
	RET_PTR_TO_MAP_VALUE_OR_NULL,
	RET_PTR_TO_ALLOC_MEM_OR_NULL, /* ringbuf_reserve: size from the constant argument */
};

struct bpf_func_proto {
	bpf_helper_fn func;
	const char *name;              /* "bpf_map_lookup_elem", for the verifier's log */
	enum bpf_return_type ret_type;
	enum bpf_arg_type arg_type[5];
	bool gpl_only;
};

/* Helpers that belong to one map type, written beside it (map_ringbuf.c,
 * map_perf_event_array.c); the proto table (helper_protos.c) names them. */
uint64_t bpf_ringbuf_output_fn(uint64_t map, uint64_t data, uint64_t size, uint64_t flags, uint64_t);
uint64_t bpf_ringbuf_reserve_fn(uint64_t map, uint64_t size, uint64_t flags, uint64_t, uint64_t);
uint64_t bpf_ringbuf_submit_fn(uint64_t sample, uint64_t flags, uint64_t, uint64_t, uint64_t);
uint64_t bpf_ringbuf_discard_fn(uint64_t sample, uint64_t flags, uint64_t, uint64_t, uint64_t);
uint64_t bpf_ringbuf_query_fn(uint64_t map, uint64_t flags, uint64_t, uint64_t, uint64_t);
uint64_t bpf_perf_event_output_fn(uint64_t ctx, uint64_t map, uint64_t flags, uint64_t data, uint64_t size);

/*
 * KPROBE and PERF_EVENT programs see Linux's struct pt_regs (21 words:
 * r15 ... rdi, orig_rax, rip, cs, eflags, rsp, ss), which is struct regs
 * without its `vector` word: BPF tools read PT_REGS_PARM1 at Linux's offset.
 */
#define BPF_PT_REGS_WORDS 21
void bpf_regs_to_pt_regs(const struct regs *r, uint64_t out[BPF_PT_REGS_WORDS]);

/* --- attaching (kernel/bpf/attach.c) --- */
/* At boot, from trace_events_init: register bpf_trace_printk's event and
 * give kernel/tracing/ the hooks that run programs on perf events. */
void bpf_tracing_init(void);
/* Raw tracepoints: the gate's syscall hooks (while bpf_raw_syscalls_active). */
extern int bpf_raw_syscalls_active;
void bpf_raw_sys_enter(const struct regs *r, long nr);
void bpf_raw_sys_exit(const struct regs *r, long ret);

/* bpf_trace_printk's trace event (helpers_printk.c), registered at boot and
 * switched on when a program that calls it is loaded, as Linux does. */
extern struct trace_event bpf_trace_printk_event;
void bpf_trace_printk_enable(void);

/* The helper prog_type may call, or NULL ("unknown func bpf_xxx#N" in the log). */
const struct bpf_func_proto *bpf_func_proto(uint32_t prog_type, int32_t func_id);

#endif
