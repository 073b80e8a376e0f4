/*
 * How long is an x86 instruction? (course section: kernel debugging
 * techniques)
 *
 * A kprobe replaces the first byte of an instruction with int3 and later
 * runs the original instruction somewhere else. Both need its length, and
 * a probe at SYMBOL+OFFSET must land on an instruction's first byte, which
 * only decoding from the function's start can tell. x86 instructions are
 * 1 to 15 bytes: prefixes (66 operand size, 67 address size, F0 F2 F3,
 * segment overrides), a REX byte (40-4F) in 64-bit mode, an opcode of one
 * byte or two (0F xx), a ModRM byte for most (with a SIB byte and a
 * displacement of 0, 1 or 4 bytes), and an immediate of 0, 1, 2, 4 or 8
 * bytes. This decoder knows the general-register instructions the kernel
 * is made of (it is built with -mgeneral-regs-only) and answers false for
 * the rest (VEX, three-byte opcodes, SSE), which are then not probed.
 *
 * It also says whether the instruction can run alone at another address
 * (steppable): not a relative jump or call (its target would move), not
 * ret/iret/int (they leave by the stack), not pushf/popf/cli/sti/hlt
 * (they read or change the flags the single step relies on). A RIP-relative
 * operand is allowed: its displacement is reported, to be adjusted.
 */
#include "kernel/tracing/kprobes.h"

enum { NONE = 0, M = 1, I8 = 2, I16 = 4, IZ = 8, IV = 16, BAD = 32, BRANCH = 64, FLOW = 128 };
/* IZ: 2 or 4 bytes (the operand size); IV: 2, 4 or 8 (mov reg, imm64). */

static uint8_t one_byte(uint8_t op)
{
	if (op < 0x40) {
		if ((op & 7) < 4)
			return M;
		if ((op & 7) == 4)
			return I8;
		if ((op & 7) == 5)
			return IZ;
		return BAD; /* push/pop segment, daa...: invalid in 64-bit mode (prefixes never get here) */
	}
	if (op >= 0x50 && op <= 0x5f)
		return NONE;
	if (op >= 0x70 && op <= 0x7f)
		return I8 | BRANCH;
	if (op >= 0x84 && op <= 0x8f)
		return M;
	if (op >= 0x90 && op <= 0x99)
		return NONE;
	if (op >= 0xb0 && op <= 0xb7)
		return I8;
	if (op >= 0xb8 && op <= 0xbf)
		return IV;
	if (op >= 0xd8 && op <= 0xdf)
		return M; /* x87 */
	switch (op) {
	case 0x63: return M;
	case 0x68: return IZ;
	case 0x69: return M | IZ;
	case 0x6a: return I8;
	case 0x6b: return M | I8;
	case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6: return M | I8;
	case 0x81: case 0xc7: return M | IZ;
	case 0x9c: case 0x9d: return NONE | FLOW; /* pushf, popf: TF */
	case 0xa8: return I8;
	case 0xa9: return IZ;
	case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xaa: case 0xab: case 0xac: case 0xad: case 0xae: case 0xaf:
		return NONE;
	case 0xc2: case 0xca: return I16 | FLOW;
	case 0xc3: case 0xcb: case 0xcc: case 0xcf: case 0xf4: case 0xfa: case 0xfb: return NONE | FLOW;
	case 0xc9: case 0xf5: case 0xf8: case 0xf9: case 0xfc: case 0xfd: return NONE;
	case 0xcd: return I8 | FLOW;
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: case 0xfe: case 0xf6: case 0xf7: return M;
	case 0xe8: case 0xe9: return IZ | BRANCH;
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xeb: return I8 | BRANCH;
	case 0xff: return M; /* inc, dec, call/jmp/push indirect: see below */
	default: return BAD;
	}
}

static uint8_t two_byte(uint8_t op)
{
	if (op >= 0x80 && op <= 0x8f)
		return IZ | BRANCH;
	if ((op >= 0x40 && op <= 0x4f) || (op >= 0x90 && op <= 0x9f) || (op >= 0x18 && op <= 0x1f))
		return M; /* cmov, setcc, nop/hints and endbr64 (F3 0F 1E FA) */
	if (op >= 0xc8 && op <= 0xcf)
		return NONE; /* bswap */
	switch (op) {
	case 0xa3: case 0xab: case 0xb3: case 0xbb: case 0xa5: case 0xad: case 0xaf:
	case 0xb0: case 0xb1: case 0xb6: case 0xb7: case 0xbe: case 0xbf: case 0xbc: case 0xbd: case 0xc0: case 0xc1:
		return M;
	case 0xa4: case 0xac: case 0xba: return M | I8;
	case 0xa2: case 0x31: return NONE; /* cpuid, rdtsc */
	default: return BAD; /* system instructions, SSE, three-byte maps: not decoded */
	}
}

static bool is_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e ||
	       b == 0x26 || b == 0x64 || b == 0x65;
}

/* ModRM, SIB and displacement: how many bytes, and where a RIP-relative disp32 is. */
static int modrm_len(const uint8_t *p, int at, int8_t *rip_disp_at)
{
	uint8_t modrm = p[at], mod = modrm >> 6, rm = modrm & 7;
	int n = 1;
	if (mod == 3)
		return n;
	if (rm == 4) {
		uint8_t base = p[at + 1] & 7;
		n++;
		if (mod == 0 && base == 5)
			return n + 4;
	}
	if (mod == 0 && rm == 5) {
		*rip_disp_at = (int8_t)(at + n);
		return n + 4;
	}
	return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

bool insn_decode(const uint8_t *p, struct insn *out)
{
	int i = 0;
	bool opsize16 = false, rex_w = false;
	while (i < 4 && is_prefix(p[i]))
		opsize16 |= p[i++] == 0x66;
	if ((p[i] & 0xf0) == 0x40)
		rex_w = (p[i++] & 8) != 0;
	uint8_t op = p[i++], kind;
	if (op == 0x0f)
		kind = two_byte(p[i++]);
	else
		kind = one_byte(op);
	if (kind & BAD)
		return false;
	out->rip_disp_at = -1;
	uint8_t reg = (p[i] >> 3) & 7;
	if (kind & M)
		i += modrm_len(p, i, &out->rip_disp_at);
	if (op == 0xf6 || op == 0xf7) /* test has an immediate, not/neg/mul/div none */
		kind |= reg < 2 ? (op == 0xf6 ? I8 : IZ) : 0;
	if (op == 0xff && (reg == 2 || reg == 3 || reg == 4 || reg == 5))
		kind |= FLOW; /* indirect call or jmp: the return address would be the copy's */
	if (kind & I8)
		i += 1;
	if (kind & I16)
		i += 2;
	if (kind & IZ)
		i += opsize16 ? 2 : 4;
	if (kind & IV)
		i += rex_w ? 8 : opsize16 ? 2 : 4;
	if (i > KPROBE_INSN_MAX)
		return false;
	out->len = (uint8_t)i;
	out->steppable = !(kind & (BRANCH | FLOW));
	return true;
}
