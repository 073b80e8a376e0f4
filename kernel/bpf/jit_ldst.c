/*
 * The JIT's memory instructions: loads, stores, atomics and the 64-bit
 * immediate load (course section: eBPF, the revolution in kernel
 * programming -- "from bytecode to machine code").
 *
 * An eBPF access [reg + off] is an x86 memory operand [reg + disp]: the
 * verifier has proved the address safe, so the JIT adds no checks. The
 * stack is [r10 + off], which is [rbp + off - 40] here (jit.c: the saved
 * registers sit between rbp and the program's stack).
 *
 * Atomics are x86's locked instructions: add/or/and/xor with a lock
 * prefix; "fetch" add is xadd; xchg locks by itself; cmpxchg compares rax
 * -- eBPF's r0, as eBPF's cmpxchg does. Fetching or, and and xor have no
 * x86 instruction: they are a cmpxchg loop (read, compute, store if
 * nobody changed it meanwhile, else retry).
 *
 * Classic BPF's packet loads (LD_ABS, LD_IND), which socket filters still
 * use, call a small C function: they check the packet's length, and past
 * its end the program stops and returns 0.
 */
#include "kernel/bpf/jit.h"
#include "libc/include/abi/errno.h"

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

/* [bpf_reg + off] as an x86 base and displacement. */
static void address(int bpf_reg, int16_t off, int *base, int32_t *disp)
{
	*base = jit_reg(bpf_reg);
	*disp = off + (bpf_reg == BPF_REG_10 ? JIT_FP_OFFSET : 0);
}

static int load(struct jit_emit *e, const struct bpf_insn *in)
{
	int base, size = size_bytes(in->code);
	int32_t disp;
	bool sign = BPF_MODE(in->code) == BPF_MEMSX;
	if (in->dst_reg >= BPF_REG_10 || (sign && size == 8))
		return -EINVAL;
	address(in->src_reg, in->off, &base, &disp);
	x86_load(e, size, sign, jit_reg(in->dst_reg), base, disp);
	return 0;
}

/* or/and/xor with fetch: rax is cmpxchg's, so r0 waits in JIT_AX_SAVE,
 * and a base or source that was r0 is read from there. */
static void fetch_loop(struct jit_emit *e, enum x86_alu op, int size, int base, int32_t disp, int src)
{
	x86_mov_rr(e, true, JIT_AX_SAVE, RAX);
	int b = base == RAX ? JIT_AX_SAVE : base, s = src == RAX ? JIT_AX_SAVE : src;
	x86_load(e, size, false, RAX, b, disp);
	uint32_t retry = e->len;
	x86_mov_rr(e, true, JIT_TMP, RAX);
	x86_alu_rr(e, op, size == 8, JIT_TMP, s);
	x86_lock(e);
	x86_op_mem(e, size, 0x0fb1, JIT_TMP, b, disp); /* cmpxchg [mem], tmp */
	x86_jcc(e, CC_NE, (int32_t)retry - (int32_t)(e->len + 2));
	if (src != RAX) {
		x86_mov_rr(e, size == 8, src, RAX); /* the old value */
		x86_mov_rr(e, true, RAX, JIT_AX_SAVE);
	}
}

static int atomic(struct jit_emit *e, const struct bpf_insn *in, int base, int32_t disp)
{
	int size = size_bytes(in->code);
	if (size != 4 && size != 8)
		return -EINVAL;
	bool fetch = in->imm & BPF_FETCH;
	if (fetch && in->src_reg == BPF_REG_10)
		return -EINVAL; /* would write r10 */
	int src = jit_src_value(e, in->src_reg);
	enum x86_alu op;
	switch (in->imm & ~BPF_FETCH) {
	case BPF_ADD:
		x86_lock(e);
		x86_op_mem(e, size, fetch ? 0x0fc1 : 0x01, src, base, disp); /* xadd, or add */
		return 0;
	case BPF_OR: op = X86_OR; break;
	case BPF_AND: op = X86_AND; break;
	case BPF_XOR: op = X86_XOR; break;
	case BPF_XCHG & ~BPF_FETCH:
		if (!fetch)
			return -EINVAL;
		x86_op_mem(e, size, 0x87, src, base, disp); /* xchg: locked by itself */
		return 0;
	case BPF_CMPXCHG & ~BPF_FETCH:
		if (!fetch)
			return -EINVAL;
		x86_lock(e);
		x86_op_mem(e, size, 0x0fb1, src, base, disp);
		if (size == 4)
			x86_mov_rr(e, false, RAX, RAX); /* r0 = (u32)old, also when equal */
		return 0;
	default:
		return -EINVAL;
	}
	if (!fetch) {
		x86_lock(e);
		x86_op_mem(e, size, op * 8 + 1, src, base, disp); /* lock or/and/xor [mem], src */
	} else {
		fetch_loop(e, op, size, base, disp, src);
	}
	return 0;
}

static int store(struct jit_emit *e, const struct bpf_insn *in)
{
	int base;
	int32_t disp;
	address(in->dst_reg, in->off, &base, &disp);
	if (BPF_CLASS(in->code) == BPF_ST) {
		if (BPF_MODE(in->code) != BPF_MEM)
			return -EINVAL;
		x86_store_imm(e, size_bytes(in->code), base, disp, in->imm);
		return 0;
	}
	if (BPF_MODE(in->code) == BPF_ATOMIC)
		return atomic(e, in, base, disp);
	if (BPF_MODE(in->code) != BPF_MEM)
		return -EINVAL;
	x86_store(e, size_bytes(in->code), base, disp, jit_src_value(e, in->src_reg));
	return 0;
}

/* BPF_LD | BPF_DW | BPF_IMM: 64 bits in two halves. The verifier has
 * already turned map references into the maps' addresses. */
static int load_imm64(struct jit_emit *e, const struct bpf_insn *in)
{
	if (in->dst_reg >= BPF_REG_10)
		return -EINVAL;
	uint64_t v = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
	x86_mov_imm64(e, jit_reg(in->dst_reg), v);
	return 0;
}

/* What JIT'd code gets from packet_load: in rax and rdx, as the SysV ABI
 * returns a two-word struct. */
struct packet_word {
	uint64_t value;
	uint64_t ok; /* 0: past the packet's end */
};

/* LD_ABS/LD_IND's read: size bytes of the packet at off, big-endian (the
 * network's order), as the interpreter reads them. */
static struct packet_word packet_load(const struct bpf_skb *skb, int64_t off, uint64_t size)
{
	struct packet_word w = { 0, 0 };
	if (off < 0 || off + (int64_t)size > (int64_t)skb->ctx.len)
		return w;
	for (uint64_t i = 0; i < size; i++)
		w.value = w.value << 8 | skb->data[off + i];
	w.ok = 1;
	return w;
}

/* Classic BPF's packet loads, r0 = packet[imm] or packet[(s32)src + imm],
 * from the socket buffer in r6. A call, which may clobber r1-r5 as the
 * verifier knows; past the packet's end the program ends, returning 0. */
static int load_packet(struct jit_emit *e, const struct bpf_insn *in)
{
	int size = size_bytes(in->code);
	if (size == 8 || in->src_reg >= BPF_REG_10)
		return -EINVAL;
	if (BPF_MODE(in->code) == BPF_IND) {
		x86_movsx_rr(e, 4, RSI, jit_reg(in->src_reg));
		x86_alu_imm(e, X86_ADD, true, RSI, in->imm);
	} else {
		x86_mov_imm(e, true, RSI, in->imm);
	}
	x86_mov_rr(e, true, RDI, jit_reg(BPF_REG_6));
	x86_mov_imm(e, false, RDX, size);
	bool near = x86_call(e, (const void *)packet_load);
	x86_test_rr(e, true, RDX, RDX);
	uint32_t ok = x86_jcc_fwd(e, CC_NE);
	x86_alu_rr(e, X86_XOR, false, RAX, RAX);
	jit_epilogue(e);
	x86_patch_here(e, ok);
	return near ? 0 : -ERANGE;
}

int jit_ldst(struct jit_emit *e, const struct bpf_insn *in)
{
	if (in->src_reg > BPF_REG_10 || in->dst_reg > BPF_REG_10)
		return -EINVAL;
	switch (BPF_CLASS(in->code)) {
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_ABS || BPF_MODE(in->code) == BPF_IND)
			return load_packet(e, in);
		return jit_is_ld_imm64(in) ? load_imm64(e, in) : -EINVAL;
	case BPF_LDX:
		if (BPF_MODE(in->code) != BPF_MEM && BPF_MODE(in->code) != BPF_MEMSX)
			return -EINVAL;
		return load(e, in);
	default:
		return store(e, in);
	}
}
