/*
 * The eBPF verifier's own vocabulary (course section: eBPF, the revolution
 * in kernel programming): what it knows about each register and each stack
 * byte at one point of one path, and the environment of one bpf_check().
 *
 * The idea the whole verifier rests on: instead of running the program, walk
 * it with *abstract* values. A register is not "5" but "a number between 0
 * and 7 whose upper 61 bits are zero", or "the map value of map M, 4 bytes
 * in". Every instruction is checked against what its operands may be, on
 * every path; a program is accepted only when no path can do harm.
 *
 * Files, in reading order:
 *   verifier.c        bpf_check(): the passes, the walk, the pending branches
 *   verifier_cfg.c    before the walk: jumps in range, no dead code, ld_imm64 maps
 *   verifier_live.c   registers still to be read, for pruning
 *   verifier_states.c checkpoints: pruning a path already proven safe, loops
 *   tnum.c            known bits: the "tristate numbers"
 *   verifier_regs.c   arithmetic: scalar bounds, pointer arithmetic
 *   verifier_branch.c conditional jumps: which way, and what each way learns
 *   verifier_mem.c    loads and stores: stack, context, map values, ringbuf memory
 *   ctx_access.c      each program type's context: what may be read or written
 *   verifier_calls.c  helper calls: argument types, results, references
 *   verifier_log.c    the log, in Linux's words; verifier_disasm.c the instructions
 *   verifier_sched.c  giving way during a long walk
 */
#ifndef KERNEL_BPF_VERIFIER_H
#define KERNEL_BPF_VERIFIER_H

#include "kernel/bpf/bpf.h"
#include "kernel/bpf/tnum.h"

/* Linux's limits and log levels. */
#define BPF_COMPLEXITY_LIMIT_JMP_SEQ 8192 /* pending branches at once */
#define BPF_MAX_VAR_OFF (1 << 29)         /* a variable offset's bound */
#define BPF_MAX_VAR_SIZ (1 << 29)         /* a helper's size argument's bound */
#define BPF_LOG_LEVEL1 1
#define BPF_LOG_LEVEL2 2
#define BPF_LOG_STATS 4
#define BPF_LOG_FIXED 8
#define BPF_LOG_MASK (BPF_LOG_LEVEL1 | BPF_LOG_LEVEL2 | BPF_LOG_STATS | BPF_LOG_FIXED)
#define BPF_REG_SIZE 8
#define MAX_BPF_STACK_SLOTS (MAX_BPF_STACK / BPF_REG_SIZE)
#define VERIFIER_MAX_REFS 16             /* ringbuf reservations held at once */
/* Checkpoints at one instruction that keep missing are dropped (Linux's
 * rule: more than 3 misses per hit, plus 3). */
#define CHECKPOINT_MISS_FACTOR 3

/* What a register may hold. Linux's names (the log prints them). */
enum vreg_type {
	NOT_INIT = 0,             /* never written: reading it is an error */
	SCALAR_VALUE,             /* a number, with bounds */
	PTR_TO_CTX,               /* the program's context (r1 at the start) */
	PTR_TO_STACK,             /* r10 plus an offset */
	CONST_PTR_TO_MAP,         /* a map, from ld_imm64 */
	PTR_TO_MAP_VALUE,         /* inside a map's value */
	PTR_TO_MAP_VALUE_OR_NULL, /* a lookup's result before the NULL check */
	PTR_TO_MEM,               /* inside a ringbuf reservation */
	PTR_TO_MEM_OR_NULL,       /* ringbuf_reserve's result before the NULL check */
};

/*
 * One register. For a scalar, var_off and the four bounds describe its
 * value. For a pointer, off is the constant part of its offset and
 * var_off/bounds the variable part (0 when there is none).
 */
struct vreg {
	uint8_t type;          /* enum vreg_type */
	int32_t off;
	uint32_t id;           /* copies of one maybe-NULL pointer share it */
	uint32_t ref_obj_id;   /* the reservation a ringbuf pointer holds, or 0 */
	uint32_t mem_size;     /* PTR_TO_MEM: the reservation's size */
	struct bpf_map *map;   /* map pointers and map values */
	struct tnum var_off;
	int64_t smin, smax;
	uint64_t umin, umax;
};

/* What one stack byte holds. */
enum stack_byte {
	STACK_INVALID = 0, /* never written (root may still read it: unknown) */
	STACK_MISC,        /* some number */
	STACK_ZERO,        /* the number 0 */
	STACK_SPILL,       /* part of a register saved whole in its 8-byte slot */
};

/* One 8-byte stack slot: its bytes (byte 0 at the lowest address) and the
 * register spilled there when the bytes are STACK_SPILL. */
struct vslot {
	uint8_t bytes[BPF_REG_SIZE]; /* enum stack_byte */
	struct vreg spilled;
};

/*
 * A path's knowledge at one instruction. Slot s is the 8 bytes at
 * r10 - 8(s+1). Only the first `slots` slots have been touched; copies
 * (pending branches, checkpoints) are allocated for that many and no more,
 * so a state costs what the program's stack use costs.
 */
struct vstate {
	struct vreg regs[MAX_BPF_REG];
	uint32_t refs[VERIFIER_MAX_REFS];     /* reservations this path holds */
	uint32_t ref_insn[VERIFIER_MAX_REFS]; /* where each was made */
	uint32_t nrefs;
	uint32_t slots;
	struct vslot stack[];
};

#define VSTATE_SIZE(slots) (sizeof(struct vstate) + (slots) * sizeof(struct vslot))

/* A branch not walked yet: where it starts and what is known there. */
struct vpending {
	uint32_t insn, from;
	uint32_t log_pos; /* level 1 forgets a finished path's lines */
	struct vstate *st;
};

struct vcheckpoint;

/* One call of bpf_check(). */
struct venv {
	struct bpf_prog *prog;
	struct bpf_insn *insns;
	uint32_t len;
	struct vstate *cur;
	uint32_t idx, prev_idx;
	uint32_t next_id;               /* for maybe-NULL pointers and references */
	/* per instruction */
	struct bpf_map **insn_map;      /* the map an ld_imm64 names */
	uint8_t *insn_flags;            /* VINSN_* */
	uint16_t *live;                 /* registers read later, before each instruction */
	struct vcheckpoint **checkpoints; /* the states kept at each prune point */
	/* branches still to walk */
	struct vpending *pending;
	uint32_t npending, pending_cap;
	struct vstate *spare;           /* a popped branch's copy, kept for the next push */
	uint32_t spare_slots;
	/* checkpoints whose paths are not all walked yet (states.c) */
	struct vopen *open;
	uint32_t nopen, open_cap;
	/* counters for limits and the summary */
	uint32_t insn_processed, prev_insn_processed;
	uint32_t jmps_processed, prev_jmps_processed;
	uint32_t total_states, peak_states, cur_states, max_states_per_insn;
	uint32_t stack_depth;
	bool pruned;                    /* the walk stopped here: a checkpoint covers it */
	struct vlog *log;
};

#define VINSN_PRUNE_POINT 1 /* a jump lands here, or follows a conditional */
#define VINSN_SEEN 2        /* the cfg pass reached it */
#define VINSN_LDIMM_HI 4    /* the second half of an ld_imm64 */

/* --- verifier.c --- */
uint32_t venv_new_id(struct venv *env);
/* Queue the other way of a branch; the pending copy, or NULL (errno set in *err). */
struct vstate *push_branch(struct venv *env, uint32_t insn, long *err);
/* dst has room for src->slots slots. */
void vstate_copy(struct vstate *dst, const struct vstate *src);
/* A compact copy (kmalloc), or NULL. */
struct vstate *vstate_dup(const struct vstate *src);

/* --- verifier_sched.c --- */
#define VERIFIER_YIELD_EVERY 1024 /* instructions walked between looks at the scheduler */
/* Other tasks had their turn; true when the loader has a signal pending. */
bool verifier_interrupted(void);

/* --- verifier_cfg.c --- */
long check_jumps(struct venv *env);
long check_cfg(struct venv *env);
long check_ld_imm64(struct venv *env, const struct bpf_insn *insn);
long resolve_ld_imm64(struct venv *env);
void release_used_maps(struct bpf_prog *prog);
void finish_ld_imm64(struct venv *env);

/* --- verifier_live.c --- */
long compute_liveness(struct venv *env);

/* --- verifier_states.c --- */
/* 1: a finished checkpoint covers the current state (stop this path);
 * 0: go on; <0: an errno (an infinite loop). */
long visit_prune_point(struct venv *env);
/* A path ended (exit, or pruned) and the next starts from npending entries. */
void close_checkpoints(struct venv *env);
void free_checkpoints(struct venv *env);

/* --- verifier_regs.c --- */
void mark_reg_not_init(struct vreg *r);
void mark_reg_unknown(struct vreg *r);
void mark_reg_known(struct vreg *r, uint64_t v);
void reg_bounds_sync(struct vreg *r);
void coerce_reg_to_size(struct vreg *r, int size);
bool reg_is_const(const struct vreg *r);
bool reg_is_pointer(const struct vreg *r);
long check_reg_arg(struct venv *env, int regno, bool is_src);
long check_alu(struct venv *env, const struct bpf_insn *insn);

/* --- verifier_branch.c --- */
long check_cond_jmp(struct venv *env, const struct bpf_insn *insn, uint32_t *next);

/* --- verifier_mem.c --- */
long check_ldx(struct venv *env, const struct bpf_insn *insn);
long check_stx(struct venv *env, const struct bpf_insn *insn);
long check_atomic(struct venv *env, const struct bpf_insn *insn);
long check_ld_abs(struct venv *env, const struct bpf_insn *insn);
/* A helper's memory argument: size bytes at reg, read or written. */
long check_helper_mem(struct venv *env, int regno, uint64_t size, bool write, bool zero_ok);
long check_map_region(struct venv *env, int regno, int32_t off, uint64_t size, uint32_t mem_size, bool zero_ok);
/* The constant a stack key holds, or -1. */
int64_t stack_const_key(struct venv *env, const struct vreg *key, uint32_t key_size);

/* --- ctx_access.c --- */
/* Whether prog_type may read (or write) size bytes at off of its context. */
bool ctx_access_ok(uint32_t prog_type, int32_t off, int size, bool write);
bool prog_type_has_ld_abs(uint32_t prog_type);

/* --- verifier_calls.c --- */
long check_helper_call(struct venv *env, const struct bpf_insn *insn);
long check_exit(struct venv *env);
const char *helper_name(int32_t id);
void release_ref_regs(struct vstate *st, uint32_t ref);

/* --- verifier_log.c --- */
struct vlog;
long vlog_init(struct venv *env, uint32_t level, char __user *buf, uint32_t size);
bool vlog_on(const struct venv *env, uint32_t levels);
__attribute__((format(printf, 2, 3))) void verbose(struct venv *env, const char *fmt, ...);
uint32_t vlog_pos(const struct venv *env);
void vlog_reset(struct venv *env, uint32_t pos);
/* The end: the summary, then -ENOSPC/-EFAULT if the log failed, else err. */
long vlog_finish(struct venv *env, long err, uint64_t start_ns);
void vlog_free(struct venv *env);
const char *reg_type_name(uint8_t type);
void print_vstate(struct venv *env, const struct vstate *st);
/* An instruction's text, its line left open for print_reg_changes(). */
void vlog_insn_line(struct venv *env, const char *text);
void print_reg_changes(struct venv *env, const struct vstate *st, const struct bpf_insn *insn);
void tnum_str(char *buf, size_t n, struct tnum t);

/* --- verifier_disasm.c --- */
void print_insn(struct venv *env, uint32_t idx, const struct bpf_insn *insn);

#endif
