/*
 * Checking a seccomp filter before it may run (course section: seccomp;
 * eBPF -- why the kernel can run a user's program safely).
 *
 * A filter runs inside the kernel on every syscall, so it must be proven
 * harmless before it is accepted. For classic BPF the proof is short,
 * because the language is small: no backward jumps (so no loops: a filter
 * always ends, in at most `len` steps), every jump lands inside the
 * program, the last instruction returns, no division by a constant 0, no
 * shift by 32 or more, scratch memory M[0..15] is read only where every
 * path to the read wrote it first, and loads read only aligned 32-bit
 * words of struct seccomp_data. These are Linux's rules (its classic
 * checker, then seccomp's own list of allowed instructions); every refusal
 * is EINVAL, as there.
 *
 * While checking, the two "length" loads are rewritten into constants:
 * the length of seccomp_data is always 64 bytes.
 */
#include "kernel/seccomp/seccomp.h"
#include "libc/include/abi/errno.h"
#include "mm/heap.h"

/* The instructions a seccomp filter may use: everything classic BPF has
 * but packet-only loads (byte and half-word, indirect, MSH, the ancillary
 * data) and modulo. */
static bool allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
	case BPF_JMP | BPF_JA:
		return true;
	}
	if (BPF_CLASS(code) == BPF_ALU && (code & ~(BPF_OP(code) | BPF_SRC(code) | 0x07)) == 0) {
		switch (BPF_OP(code)) {
		case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_DIV:
		case BPF_AND: case BPF_OR: case BPF_XOR: case BPF_LSH: case BPF_RSH:
			return true;
		}
		return false;
	}
	if (BPF_CLASS(code) == BPF_JMP && (code & ~(BPF_OP(code) | BPF_SRC(code) | 0x07)) == 0) {
		switch (BPF_OP(code)) {
		case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET:
			return true;
		}
	}
	return false;
}

static bool is_conditional_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

/* One instruction's own rules: the operand it names must make sense. */
static int check_one(struct sock_filter *in, unsigned pc, unsigned len)
{
	if (!allowed(in->code))
		return -EINVAL;
	switch (in->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		/* An aligned word inside struct seccomp_data. */
		return in->k >= sizeof(struct seccomp_data) || (in->k & 3) ? -EINVAL : 0;
	case BPF_LD | BPF_W | BPF_LEN:
		in->code = BPF_LD | BPF_IMM;
		in->k = sizeof(struct seccomp_data);
		return 0;
	case BPF_LDX | BPF_W | BPF_LEN:
		in->code = BPF_LDX | BPF_IMM;
		in->k = sizeof(struct seccomp_data);
		return 0;
	case BPF_ALU | BPF_DIV | BPF_K:
		return in->k == 0 ? -EINVAL : 0;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		return in->k >= 32 ? -EINVAL : 0;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return in->k >= BPF_MEMWORDS ? -EINVAL : 0;
	case BPF_JMP | BPF_JA:
		/* Forward only (k is unsigned), and inside the program. */
		return in->k >= len - pc - 1 ? -EINVAL : 0;
	}
	if (is_conditional_jump(in->code) && (pc + in->jt + 1 >= len || pc + in->jf + 1 >= len))
		return -EINVAL;
	return 0;
}

/*
 * Scratch memory: a read of M[k] is allowed only if every path that
 * reaches it wrote M[k] first. Jumps only go forward, so one pass in
 * program order sees every path into an instruction before the
 * instruction itself: known[pc] collects, over the jumps into pc, the
 * cells written on all of them; falling through adds the current set.
 */
static int check_scratch_memory(const struct sock_filter *insns, unsigned len)
{
	uint16_t *known = kmalloc(len * sizeof(*known));
	if (!known)
		return -ENOMEM;
	for (unsigned pc = 0; pc < len; pc++)
		known[pc] = 0xffff; /* no path seen yet: nothing ruled out */
	uint16_t written = 0;
	int err = 0;
	for (unsigned pc = 0; pc < len && !err; pc++) {
		const struct sock_filter *in = &insns[pc];
		written &= known[pc];
		if (in->code == BPF_ST || in->code == BPF_STX) {
			written |= (uint16_t)(1u << in->k);
		} else if (in->code == (BPF_LD | BPF_MEM) || in->code == (BPF_LDX | BPF_MEM)) {
			if (!(written & (1u << in->k)))
				err = -EINVAL;
		} else if (in->code == (BPF_JMP | BPF_JA)) {
			known[pc + 1 + in->k] &= written;
			written = 0xffff; /* nothing falls through a jump */
		} else if (is_conditional_jump(in->code)) {
			known[pc + 1 + in->jt] &= written;
			known[pc + 1 + in->jf] &= written;
			written = 0xffff;
		}
	}
	kfree(known);
	return err;
}

/*
 * What a filter counts against the limit of one syscall's path. Linux
 * runs a classic program by translating it into eBPF, and counts the
 * translation's instructions, so a program's cost is that length: 3 to
 * start (A = 0, X = 0, the context pointer), 2 per return (set r0, exit),
 * 5 for a division by X (the test for 0 and its early exit), and for a
 * conditional jump 1, or 2 when neither branch falls through (JSET: when
 * the false one does not), plus 1 to load a constant that eBPF's signed
 * immediates cannot hold. Everything else is 1.
 */
unsigned seccomp_filter_cost(const struct sock_filter *insns, unsigned len)
{
	unsigned cost = 3;
	for (unsigned pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &insns[pc];
		if (BPF_CLASS(in->code) == BPF_RET)
			cost += 2;
		else if (in->code == (BPF_ALU | BPF_DIV | BPF_X))
			cost += 5;
		else if (is_conditional_jump(in->code)) {
			bool needs_ja = in->jf != 0 && (in->jt != 0 || BPF_OP(in->code) == BPF_JSET);
			cost += 1 + needs_ja + (BPF_SRC(in->code) == BPF_K && (int32_t)in->k < 0);
		} else
			cost += 1;
	}
	return cost;
}

int seccomp_check_filter(struct sock_filter *insns, unsigned len)
{
	if (len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	for (unsigned pc = 0; pc < len; pc++) {
		int err = check_one(&insns[pc], pc, len);
		if (err)
			return err;
	}
	uint16_t last = insns[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return -EINVAL; /* the program must end by returning */
	return check_scratch_memory(insns, len);
}
