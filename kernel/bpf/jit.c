/*
 * The eBPF JIT: a verified program into x86_64 machine code (course section:
 * eBPF, the revolution in kernel programming -- "from bytecode to machine
 * code").
 *
 * eBPF was designed to be compiled this way: its eleven 64-bit registers,
 * two-operand instructions and C calling convention map almost one for one
 * onto x86_64, so most instructions become one or two machine instructions
 * and the program runs at the speed of compiled C, with none of the
 * interpreter's fetch-decode-dispatch per instruction.
 *
 * The register map (Linux's, for the same reasons):
 *
 *   eBPF  x86   why
 *   r0    rax   the return register of both
 *   r1    rdi   r1-r5 are helper arguments: the SysV ABI's first five
 *   r2    rsi   argument registers, in order -- a helper call is a plain
 *   r3    rdx   `call`, with no moving of arguments
 *   r4    rcx
 *   r5    r8
 *   r6    rbx   r6-r9 survive helper calls: callee-saved registers, which
 *   r7    r13   the C helpers preserve for us (r12 is taken: see below)
 *   r8    r14
 *   r9    r15
 *   r10   rbp   the read-only frame pointer: rbp + JIT_FP_OFFSET
 *
 * Our one departure: r10 is not rbp itself but a fixed distance below it.
 * The frame is
 *
 *   [rbp + 8]    return address          <- a normal C frame, so oops
 *   [rbp]        caller's rbp               backtraces walk through it
 *   [rbp - 8]    rbx, r12, r13, r14, r15 (saved: callee-saved in C)
 *   [rbp - 40]   <- eBPF r10: the program's stack grows down from here
 *   ...          stack_depth bytes (rounded so rsp stays 16-aligned)
 *
 * Because the saved registers sit above the program's stack, a tail call
 * can throw the stack away (rsp = rbp - 40) and jump into the next program
 * past its pushes: that program allocates its own stack_depth, and its exit
 * pops the same five registers. Every x86 register not in the map is
 * scratch (jit.h: r9, r10, r11), and r12 counts tail calls.
 *
 * Jumps: a jump is 2 bytes when the target is within 127 bytes, else 5 or
 * 6. Sizes depend on distances which depend on sizes, so the program is
 * translated repeatedly: the first pass guesses every instruction is long,
 * each pass uses the previous pass's offsets, and when a pass gives the
 * same offsets as the one before, they are exact. The last pass writes into
 * the image (jit_mem.c), which is then made read-only and executable.
 */
#include "kernel/bpf/jit.h"
#include "kernel/printk.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define JIT_MAX_PASSES 20
#define JIT_GUESS_INSN_BYTES 64 /* the first pass's guess: long jumps everywhere */

static const uint8_t reg_map[MAX_BPF_REG] = {
	[BPF_REG_0] = RAX, [BPF_REG_1] = RDI, [BPF_REG_2] = RSI, [BPF_REG_3] = RDX,
	[BPF_REG_4] = RCX, [BPF_REG_5] = R8,  [BPF_REG_6] = RBX, [BPF_REG_7] = R13,
	[BPF_REG_8] = R14, [BPF_REG_9] = R15, [BPF_REG_10] = RBP,
};

/* Pushed by the prologue in this order, popped in reverse by every exit. */
static const uint8_t saved_regs[JIT_SAVED_REGS] = { RBX, R12, R13, R14, R15 };

int jit_reg(int bpf_reg) { return reg_map[bpf_reg]; }

int jit_src_value(struct jit_emit *e, int bpf_reg)
{
	if (bpf_reg != BPF_REG_10)
		return reg_map[bpf_reg];
	x86_lea(e, JIT_FP_VAL, RBP, JIT_FP_OFFSET);
	return JIT_FP_VAL;
}

uint32_t jit_insn_start(const struct jit_ctx *c, int i)
{
	return i == 0 ? c->prologue_len : c->end[i - 1];
}

/* The stack below r10: the depth the verifier found (the most a program
 * may use when no verifier has walked it), plus 8 so that rsp is 16-aligned
 * at helper calls (the return address and six pushes are 56 bytes, 8 short
 * of a multiple of 16). */
static uint32_t frame_bytes(const struct bpf_prog *prog)
{
	uint32_t depth = prog->verified_insns ? prog->stack_depth : MAX_BPF_STACK;
	return ALIGN_UP(depth, 16u) + 8;
}

/* Entry: a C frame, the callee-saved registers, the tail-call count at 0.
 * The tail-call entry (c->tail_entry) is the stack allocation after them. */
static void prologue(struct jit_emit *e, struct jit_ctx *c)
{
	x86_push(e, RBP);
	x86_mov_rr(e, true, RBP, RSP);
	for (int i = 0; i < JIT_SAVED_REGS; i++)
		x86_push(e, saved_regs[i]);
	x86_alu_rr(e, X86_XOR, false, JIT_TCC, JIT_TCC);
	c->tail_entry = e->len;
	x86_op_rr(e, 8, 0x81, X86_SUB, RSP); /* sub rsp, imm32: always 7 bytes */
	x86_imm32(e, frame_bytes(c->prog));
}

void jit_epilogue(struct jit_emit *e)
{
	x86_lea(e, RSP, RBP, JIT_FP_OFFSET); /* drop the program's stack */
	for (int i = JIT_SAVED_REGS - 1; i >= 0; i--)
		x86_pop(e, saved_regs[i]);
	x86_pop(e, RBP);
	x86_ret(e);
}

/* One instruction into e: by its class. */
static int translate(struct jit_emit *e, const struct jit_ctx *c, int i)
{
	const struct bpf_insn *in = &c->prog->insns[i];
	if (jit_is_ld_imm64(in) && (uint32_t)i + 1 >= c->prog->len)
		return -EINVAL; /* its second half is missing */
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return jit_alu(e, in);
	case BPF_JMP:
	case BPF_JMP32:
		return jit_jmp(e, c, i);
	default:
		return jit_ldst(e, in);
	}
}

/* A pass over the whole program. With image set, writes the code there.
 * Returns the image size, or an errno; *changed says whether any
 * instruction moved since the last pass. */
static long pass(struct jit_ctx *c, uint8_t *image, bool *changed)
{
	struct jit_emit e = { .len = 0, .ip = c->image };
	prologue(&e, c);
	if (image)
		memcpy(image, e.buf, e.len);
	uint32_t pos = c->prologue_len = e.len;
	*changed = false;
	for (uint32_t i = 0; i < c->prog->len; i++) {
		e.len = 0;
		e.ip = c->image ? c->image + pos : 0;
		long err = translate(&e, c, i);
		if (err)
			return err;
		if (e.len > JIT_INSN_MAX)
			return -EFAULT; /* a bug in the JIT: never write past the buffer */
		if (image)
			memcpy(image + pos, e.buf, e.len);
		pos += e.len;
		if (c->end[i] != pos)
			*changed = true;
		c->end[i] = pos;
		if (jit_is_ld_imm64(&c->prog->insns[i]) && i + 1 < c->prog->len)
			c->end[++i] = pos; /* its second half makes no code */
	}
	return pos;
}

/* Passes until no instruction moves: then the offsets used for every jump
 * are the final ones. */
static long converge(struct jit_ctx *c)
{
	for (uint32_t i = 0; i < c->prog->len; i++)
		c->end[i] = (i + 1) * JIT_GUESS_INSN_BYTES;
	for (int n = 0; n < JIT_MAX_PASSES; n++) {
		bool changed;
		long size = pass(c, NULL, &changed);
		if (size < 0 || !changed)
			return size;
	}
	return -EFBIG; /* sizes never settled: leave it to the interpreter */
}

static void set_jited(struct bpf_prog *prog, void *image, uint32_t size, uint32_t tail_entry)
{
	prog->jit_image = image;
	prog->jit_size = size;
	prog->jit_tail_entry = (uint8_t *)image + tail_entry;
	prog->jited = (bpf_jited_fn)image;
}

/* The last pass, into the image: it must lay out exactly as the one before. */
static long emit_image(struct jit_ctx *c, struct bpf_prog *prog, uint32_t size)
{
	uint8_t *image = jit_mem_alloc(size);
	if (!image)
		return -ENOMEM;
	c->image = (uint64_t)image;
	bool changed;
	long got = pass(c, image, &changed);
	if (got != (long)size || changed) {
		if (got >= 0)
			printk("bpf jit: %s: the last pass moved code (a JIT bug)\n", prog->name);
		jit_mem_free(image, size);
		return got < 0 ? got : -EFAULT;
	}
	jit_mem_seal(image, size);
	set_jited(prog, image, size, c->tail_entry);
	return 0;
}

long bpf_jit_compile(struct bpf_prog *prog)
{
	if (prog->jited)
		return 0;
	if (!prog->len || !prog->insns)
		return -EINVAL;
	struct jit_ctx c = { .prog = prog };
	c.end = kmalloc(prog->len * sizeof(*c.end));
	if (!c.end)
		return -ENOMEM;
	long size = converge(&c);
	long err = size < 0 ? size : emit_image(&c, prog, size);
	kfree(c.end);
	if (!err)
		jit_ksym_add(prog);
	return err;
}

void bpf_jit_free(struct bpf_prog *prog)
{
	if (!prog->jit_image)
		return;
	jit_ksym_del(prog);
	jit_mem_free(prog->jit_image, prog->jit_size);
	prog->jited = NULL;
	prog->jit_image = NULL;
	prog->jit_tail_entry = NULL;
	prog->jit_size = 0;
}
