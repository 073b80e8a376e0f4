/*
 * The eBPF interpreter (course section: eBPF, the revolution in kernel
 * programming).
 *
 * An eBPF program is a list of 8-byte instructions for a small 64-bit
 * machine: eleven registers (r0 the result, r1-r5 arguments, r6-r9 kept
 * across calls, r10 the read-only frame pointer) and a 512-byte stack. The
 * interpreter fetches an instruction, switches on its class (ALU, load,
 * store, jump) and does what it says. It trusts the program: the verifier
 * has proved every memory access in bounds, every register initialised and
 * every loop bounded, so there are no checks here but the ones the
 * instruction set defines itself:
 *   - 32-bit ALU operations zero the upper half of the destination;
 *   - division by zero gives 0, modulo by zero leaves the dividend
 *     (zero-extended for 32 bits), INT_MIN / -1 gives INT_MIN;
 *   - shift counts are taken modulo the width (low 6 or 5 bits);
 *   - at most BPF_MAX_TAIL_CALL_CNT tail calls, then the call falls through;
 *   - LD_ABS/LD_IND past the packet's end end the program with 0.
 * A tail call replaces the program and starts it at its first instruction
 * with the same registers and stack; a bpf-to-bpf call runs the callee on a
 * fresh frame of its own (registers r6-r10 are the caller's again after it).
 */
#include "kernel/bpf/bpf.h"
#include "kernel/bpf/map.h"

struct frame {
	uint64_t r[MAX_BPF_REG];
	uint64_t stack[MAX_BPF_STACK / 8];
};

struct run {
	const struct bpf_prog *prog;
	uint32_t tail_calls;
	uint32_t depth;        /* bpf-to-bpf frames */
	bool aborted;          /* LD_ABS out of the packet: return 0 */
};

/* --- arithmetic ---------------------------------------------------------------------------- */

static uint64_t sign_extend(uint64_t v, int bits)
{
	int shift = 64 - bits;
	return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* Signed and unsigned division and modulo, by the rules above, on 64 bits. */
static uint64_t div64(uint64_t a, uint64_t b, bool is_signed, bool mod)
{
	if (b == 0)
		return mod ? a : 0;
	if (!is_signed)
		return mod ? a % b : a / b;
	if ((int64_t)b == -1)
		return mod ? 0 : (uint64_t)0 - a; /* INT64_MIN / -1 wraps to INT64_MIN */
	return mod ? (uint64_t)((int64_t)a % (int64_t)b) : (uint64_t)((int64_t)a / (int64_t)b);
}

static uint32_t div32(uint32_t a, uint32_t b, bool is_signed, bool mod)
{
	if (b == 0)
		return mod ? a : 0;
	if (!is_signed)
		return mod ? a % b : a / b;
	if ((int32_t)b == -1)
		return mod ? 0 : (uint32_t)0 - a;
	return mod ? (uint32_t)((int32_t)a % (int32_t)b) : (uint32_t)((int32_t)a / (int32_t)b);
}

static uint64_t byte_swap(uint64_t v, int bits)
{
	if (bits == 16)
		return __builtin_bswap16((uint16_t)v);
	if (bits == 32)
		return __builtin_bswap32((uint32_t)v);
	return __builtin_bswap64(v);
}

/* BPF_END: to little-endian keeps the low bits (x86 is little-endian),
 * to big-endian swaps them; ALU64 | BPF_END swaps unconditionally. */
static uint64_t endian(const struct bpf_insn *in, uint64_t v)
{
	int bits = in->imm;
	if (BPF_CLASS(in->code) == BPF_ALU && BPF_SRC(in->code) == BPF_TO_LE)
		return bits == 64 ? v : v & ((1ull << bits) - 1);
	return byte_swap(v, bits);
}

/* MOV with off 8, 16 or 32 is MOVSX: the source's low bits sign-extended. */
static uint64_t mov(const struct bpf_insn *in, uint64_t src)
{
	return in->off ? sign_extend(src, in->off) : src;
}

static uint64_t alu64(const struct bpf_insn *in, uint64_t d, uint64_t s)
{
	switch (BPF_OP(in->code)) {
	case BPF_ADD: return d + s;
	case BPF_SUB: return d - s;
	case BPF_MUL: return d * s;
	case BPF_DIV: return div64(d, s, in->off == 1, false);
	case BPF_MOD: return div64(d, s, in->off == 1, true);
	case BPF_OR: return d | s;
	case BPF_AND: return d & s;
	case BPF_XOR: return d ^ s;
	case BPF_LSH: return d << (s & 63);
	case BPF_RSH: return d >> (s & 63);
	case BPF_ARSH: return (uint64_t)((int64_t)d >> (s & 63));
	case BPF_NEG: return (uint64_t)0 - d;
	case BPF_MOV: return mov(in, s);
	default: return endian(in, d); /* BPF_END */
	}
}

static uint32_t alu32(const struct bpf_insn *in, uint32_t d, uint32_t s)
{
	switch (BPF_OP(in->code)) {
	case BPF_ADD: return d + s;
	case BPF_SUB: return d - s;
	case BPF_MUL: return d * s;
	case BPF_DIV: return div32(d, s, in->off == 1, false);
	case BPF_MOD: return div32(d, s, in->off == 1, true);
	case BPF_OR: return d | s;
	case BPF_AND: return d & s;
	case BPF_XOR: return d ^ s;
	case BPF_LSH: return d << (s & 31);
	case BPF_RSH: return d >> (s & 31);
	case BPF_ARSH: return (uint32_t)((int32_t)d >> (s & 31));
	case BPF_NEG: return (uint32_t)0 - d;
	case BPF_MOV: return (uint32_t)mov(in, s);
	default: return (uint32_t)endian(in, d); /* BPF_END */
	}
}

static void do_alu(uint64_t *r, const struct bpf_insn *in)
{
	bool x = BPF_SRC(in->code) == BPF_X && BPF_OP(in->code) != BPF_END;
	uint64_t src = x ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
	if (BPF_CLASS(in->code) == BPF_ALU64)
		r[in->dst_reg] = alu64(in, r[in->dst_reg], src);
	else if (BPF_OP(in->code) == BPF_END)
		r[in->dst_reg] = endian(in, r[in->dst_reg]);
	else
		r[in->dst_reg] = alu32(in, (uint32_t)r[in->dst_reg], (uint32_t)src);
}

/* --- memory -------------------------------------------------------------------------------- */

static uint64_t load(uint64_t addr, int size, bool sx)
{
	switch (size) {
	case BPF_B: return sx ? (uint64_t)(int64_t) * (const int8_t *)addr : *(const uint8_t *)addr;
	case BPF_H: return sx ? (uint64_t)(int64_t) * (const int16_t *)addr : *(const uint16_t *)addr;
	case BPF_W: return sx ? (uint64_t)(int64_t) * (const int32_t *)addr : *(const uint32_t *)addr;
	default: return *(const uint64_t *)addr;
	}
}

static void store(uint64_t addr, int size, uint64_t v)
{
	switch (size) {
	case BPF_B: *(uint8_t *)addr = (uint8_t)v; break;
	case BPF_H: *(uint16_t *)addr = (uint16_t)v; break;
	case BPF_W: *(uint32_t *)addr = (uint32_t)v; break;
	default: *(uint64_t *)addr = v; break;
	}
}

/* The value an atomic read-modify-write puts in memory. */
static uint64_t atomic_new(int op, uint64_t old, uint64_t v)
{
	switch (op) {
	case BPF_ADD: return old + v;
	case BPF_AND: return old & v;
	case BPF_OR: return old | v;
	case BPF_XOR: return old ^ v;
	default: return v; /* BPF_XCHG */
	}
}

/* BPF_STX | BPF_ATOMIC: one CPU and no preemption inside a program make a
 * plain read-modify-write atomic; the compiler builtin keeps it one
 * instruction anyway, as a JIT's lock-prefixed one. */
static void do_atomic(uint64_t *r, const struct bpf_insn *in)
{
	uint64_t addr = r[in->dst_reg] + (int64_t)in->off;
	bool dw = BPF_SIZE(in->code) == BPF_DW;
	uint64_t mask = dw ? ~0ull : 0xffffffffull;
	uint64_t old = load(addr, BPF_SIZE(in->code), false);
	if (in->imm == BPF_CMPXCHG) {
		if ((r[BPF_REG_0] & mask) == old)
			store(addr, BPF_SIZE(in->code), r[in->src_reg]);
		r[BPF_REG_0] = old;
		return;
	}
	store(addr, BPF_SIZE(in->code), atomic_new(in->imm & ~BPF_FETCH, old, r[in->src_reg]) & mask);
	if (in->imm & BPF_FETCH)
		r[in->src_reg] = old;
}

/* LD_ABS / LD_IND: big-endian bytes of the packet (r6's skb) at an offset. */
static bool load_packet(uint64_t *r, const struct bpf_insn *in)
{
	const struct bpf_skb *skb = (const struct bpf_skb *)r[BPF_REG_6];
	int64_t off = (int64_t)in->imm + (BPF_MODE(in->code) == BPF_IND ? (int64_t)(int32_t)r[in->src_reg] : 0);
	int size = BPF_SIZE(in->code) == BPF_B ? 1 : BPF_SIZE(in->code) == BPF_H ? 2 : 4;
	if (off < 0 || off + size > (int64_t)skb->ctx.len)
		return false;
	uint64_t v = 0;
	for (int i = 0; i < size; i++)
		v = v << 8 | skb->data[off + i];
	r[BPF_REG_0] = v;
	return true;
}

/* --- jumps and calls ----------------------------------------------------------------------- */

static bool jump_taken(int op, uint64_t a, uint64_t b, bool is32)
{
	if (is32) { /* compare the low halves, as signed 32-bit numbers for the signed jumps */
		bool sgn = op == BPF_JSGT || op == BPF_JSGE || op == BPF_JSLT || op == BPF_JSLE;
		a = sgn ? sign_extend(a, 32) : (uint32_t)a;
		b = sgn ? sign_extend(b, 32) : (uint32_t)b;
	}
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	case BPF_JSGT: return (int64_t)a > (int64_t)b;
	case BPF_JSGE: return (int64_t)a >= (int64_t)b;
	case BPF_JSLT: return (int64_t)a < (int64_t)b;
	case BPF_JSLE: return (int64_t)a <= (int64_t)b;
	default: return false;
	}
}

/* bpf_tail_call(ctx, map, index): the program to continue with, or NULL to fall through. */
static const struct bpf_prog *tail_call_target(struct run *run, uint64_t *r)
{
	struct bpf_map *map = (struct bpf_map *)r[BPF_REG_2];
	uint32_t index = (uint32_t)r[BPF_REG_3];
	if (index >= map->max_entries || run->tail_calls >= BPF_MAX_TAIL_CALL_CNT)
		return NULL;
	const struct bpf_prog *next = bpf_prog_array_entry(map, index);
	if (next)
		run->tail_calls++;
	return next;
}

static uint64_t call_helper(const struct run *run, const uint64_t *r, int32_t id)
{
	const struct bpf_func_proto *p = bpf_func_proto(run->prog->type, id);
	if (!p)
		return 0; /* the verifier refused unknown helpers: never reached */
	return p->func(r[1], r[2], r[3], r[4], r[5]);
}

static uint64_t run_frame(struct run *run, uint32_t pc, struct frame *f);

/* A bpf-to-bpf call: the callee at pc gets r1-r5 and a frame of its own. */
static uint64_t call_subprog(struct run *run, uint32_t pc, const uint64_t *r)
{
	if (run->depth + 1 >= BPF_MAX_CALL_FRAMES)
		return 0; /* the verifier bounds the depth: never reached */
	struct frame callee = { 0 };
	for (int i = 1; i <= 5; i++)
		callee.r[i] = r[i];
	run->depth++;
	uint64_t ret = run_frame(run, pc, &callee);
	run->depth--;
	return ret;
}

/* Execute from pc until BPF_EXIT; returns r0. */
static uint64_t run_frame(struct run *run, uint32_t pc, struct frame *f)
{
	uint64_t *r = f->r;
	r[BPF_REG_10] = (uint64_t)f->stack + sizeof(f->stack);
	for (;;) {
		const struct bpf_insn *in = &run->prog->insns[pc++];
		int op = BPF_OP(in->code);
		bool is32 = BPF_CLASS(in->code) == BPF_JMP32;
		switch (BPF_CLASS(in->code)) {
		case BPF_ALU:
		case BPF_ALU64:
			do_alu(r, in);
			break;
		case BPF_LDX:
			r[in->dst_reg] = load(r[in->src_reg] + (int64_t)in->off, BPF_SIZE(in->code),
					      BPF_MODE(in->code) == BPF_MEMSX);
			break;
		case BPF_ST:
			store(r[in->dst_reg] + (int64_t)in->off, BPF_SIZE(in->code), (uint64_t)(int64_t)in->imm);
			break;
		case BPF_STX:
			if (BPF_MODE(in->code) == BPF_ATOMIC)
				do_atomic(r, in);
			else
				store(r[in->dst_reg] + (int64_t)in->off, BPF_SIZE(in->code), r[in->src_reg]);
			break;
		case BPF_LD:
			if (BPF_MODE(in->code) == BPF_IMM) { /* the 16-byte 64-bit immediate */
				r[in->dst_reg] = (uint32_t)in->imm | (uint64_t)(uint32_t)in[1].imm << 32;
				pc++;
			} else if (!load_packet(r, in)) {
				run->aborted = true;
				return 0;
			}
			break;
		default: /* BPF_JMP, BPF_JMP32 */
			if (op == BPF_EXIT)
				return r[BPF_REG_0];
			if (op == BPF_JA) {
				pc += is32 ? in->imm : in->off; /* JMP32 | JA is gotol: a 32-bit offset */
			} else if (op == BPF_CALL && in->src_reg == BPF_PSEUDO_CALL) {
				r[BPF_REG_0] = call_subprog(run, pc + in->imm, r);
				if (run->aborted)
					return 0;
			} else if (op == BPF_CALL && in->imm == BPF_FUNC_tail_call) {
				const struct bpf_prog *next = tail_call_target(run, r);
				if (next) {
					run->prog = next;
					pc = 0;
				}
			} else if (op == BPF_CALL) {
				r[BPF_REG_0] = call_helper(run, r, in->imm);
			} else {
				uint64_t b = BPF_SRC(in->code) == BPF_X ? r[in->src_reg] : (uint64_t)(int64_t)in->imm;
				if (jump_taken(op, r[in->dst_reg], b, is32))
					pc += in->off;
			}
			break;
		}
	}
}

uint64_t bpf_interp_run(const struct bpf_prog *prog, const void *ctx)
{
	struct run run = { .prog = prog };
	struct frame f;
	for (int i = 0; i < MAX_BPF_REG; i++)
		f.r[i] = 0; /* as Linux's interpreter; the stack stays as it is (the verifier checks reads) */
	f.r[BPF_REG_1] = (uint64_t)ctx;
	return run_frame(&run, 0, &f);
}
