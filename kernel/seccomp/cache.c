/*
 * The allow cache: skipping filters whose verdict is known in advance
 * (course section: seccomp; performance -- doing work once instead of on
 * every call).
 *
 * Most filters are allow-lists that look only at the syscall's number and
 * architecture: for getpid they answer ALLOW whatever the arguments are.
 * That answer can be computed once, when the filter is installed, for
 * every syscall number: run the filter with the number and architecture
 * known and everything else unknown; if it reaches "return ALLOW" without
 * reading anything unknown, the number is always allowed. A bit per number
 * keeps the result, ANDed with the bits of the filters below (a call is
 * skippable only if every filter of the stack allows it). On a syscall,
 * one bit test then replaces running the whole stack.
 *
 * As Linux's cache does, the emulation understands only the instructions
 * such filters use (loads of nr and arch, AND, the jumps on constants,
 * RET); anything else makes the answer "unknown", and the filters run.
 */
#include "kernel/seccomp/seccomp.h"
#include "kernel/syscall.h"

/* Does f return ALLOW for syscall nr, whatever the arguments? */
static bool always_allows(const struct seccomp_filter *f, int nr)
{
	uint32_t a = 0;
	for (unsigned pc = 0; pc < f->len; pc++) {
		const struct sock_filter *in = &f->insns[pc];
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k == offsetof(struct seccomp_data, nr))
				a = (uint32_t)nr;
			else if (in->k == offsetof(struct seccomp_data, arch))
				a = AUDIT_ARCH_X86_64;
			else
				return false; /* the arguments or the address: unknown */
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= in->k;
			break;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == in->k ? in->jt : in->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > in->k ? in->jt : in->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= in->k ? in->jt : in->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & in->k) ? in->jt : in->jf;
			break;
		case BPF_RET | BPF_K:
			return in->k == SECCOMP_RET_ALLOW;
		default:
			return false;
		}
	}
	return false; /* (not reached: the checker saw the program end in RET) */
}

void seccomp_cache_prepare(struct seccomp_filter *f)
{
	for (int nr = 0; nr < NR_SYSCALLS; nr++) {
		bool below = !f->prev || seccomp_cache_allows(f->prev, nr);
		if (below && always_allows(f, nr))
			f->allow_cache[nr / 64] |= 1ull << (nr % 64);
	}
}
