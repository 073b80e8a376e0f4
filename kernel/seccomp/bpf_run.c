/*
 * Running a seccomp filter: a classic BPF interpreter (course section:
 * seccomp; eBPF -- the classic machine that eBPF grew from).
 *
 * The machine is tiny: a 32-bit accumulator A, an index register X, sixteen
 * 32-bit scratch cells M[], and the program counter. A and X start at 0.
 * Loads read 32-bit words of struct seccomp_data (the call's number, the
 * architecture, the instruction pointer and the six arguments, 64-bit
 * values as two words, low word first). Arithmetic is on 32 bits, and
 * wraps. Jumps only go forward, so the loop below runs at most `len`
 * times: filter_check.c proved that, and that every operand is in range,
 * before the filter was accepted -- this loop trusts it and checks nothing.
 *
 * Linux translates classic programs into eBPF and runs them with its eBPF
 * interpreter or JIT; the results are the same, and so is the one runtime
 * rule left: dividing by an X of 0 ends the program with 0 (KILL_THREAD).
 */
#include "kernel/seccomp/seccomp.h"
#include "libc/include/string.h"

static uint32_t load_word(const struct seccomp_data *d, uint32_t offset)
{
	uint32_t w;
	memcpy(&w, (const char *)d + offset, sizeof(w));
	return w;
}

static uint32_t alu(uint16_t code, uint32_t a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_ADD: return a + operand;
	case BPF_SUB: return a - operand;
	case BPF_MUL: return a * operand;
	case BPF_DIV: return a / operand; /* operand != 0: the caller saw to it */
	case BPF_AND: return a & operand;
	case BPF_OR:  return a | operand;
	case BPF_XOR: return a ^ operand;
	case BPF_LSH: return a << (operand & 31);
	case BPF_RSH: return a >> (operand & 31);
	case BPF_NEG: return -a;
	}
	return a; /* unreachable: the checker allowed no other operation */
}

static bool condition(uint16_t code, uint32_t a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:  return a == operand;
	case BPF_JGT:  return a > operand;
	case BPF_JGE:  return a >= operand;
	case BPF_JSET: return (a & operand) != 0;
	}
	return false;
}

uint32_t seccomp_bpf_run(const struct seccomp_filter *f, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS];
	for (unsigned pc = 0;; pc++) {
		const struct sock_filter *in = &f->insns[pc];
		uint16_t code = in->code;
		uint32_t operand = BPF_SRC(code) == BPF_X ? x : in->k;
		switch (BPF_CLASS(code)) {
		case BPF_LD:
			a = BPF_MODE(code) == BPF_ABS ? load_word(d, in->k)
			    : BPF_MODE(code) == BPF_MEM ? mem[in->k]
							 : in->k; /* BPF_IMM */
			break;
		case BPF_LDX:
			x = BPF_MODE(code) == BPF_MEM ? mem[in->k] : in->k;
			break;
		case BPF_ST:
			mem[in->k] = a;
			break;
		case BPF_STX:
			mem[in->k] = x;
			break;
		case BPF_ALU:
			if (BPF_OP(code) == BPF_DIV && operand == 0)
				return 0; /* only X can be 0 here */
			a = alu(code, a, operand);
			break;
		case BPF_JMP:
			if (BPF_OP(code) == BPF_JA)
				pc += in->k;
			else
				pc += condition(code, a, operand) ? in->jt : in->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(code) == BPF_A ? a : in->k;
		case BPF_MISC:
			if (BPF_MISCOP(code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
}
