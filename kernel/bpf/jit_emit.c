/*
 * An x86_64 instruction encoder, just big enough for the eBPF JIT (course
 * section: eBPF, the revolution in kernel programming -- "from bytecode to
 * machine code").
 *
 * An x86_64 instruction is a row of bytes, each optional but the opcode:
 *
 *   [66] [REX] opcode [ModRM] [SIB] [displacement] [immediate]
 *
 *   66      operand-size prefix: 16-bit operands instead of 32
 *   REX     0100WRXB: W = 64-bit operands; R, X, B = the 4th bit of the
 *           ModRM.reg, SIB.index and ModRM.rm (or SIB.base, or the register
 *           in the opcode) numbers, so r8-r15 can be named. Any REX also
 *           makes byte register 4-7 mean sil/dil/spl/bpl, not ah/ch/dh/bh.
 *   ModRM   mod(2) reg(3) rm(3): mod 11 means rm is a register; otherwise rm
 *           is a base register for memory, with no (00), an 8-bit (01) or a
 *           32-bit (10) displacement. reg is the other register operand, or
 *           a "/digit" that picks the operation among a group sharing an
 *           opcode (81 /0 is add, 81 /5 sub...).
 *   SIB     scale-index-base: needed when the base is rsp or r12 (rm 100
 *           means "a SIB byte follows"); 0x24 says "base rsp, no index".
 *
 * Two exceptions to remember: rm 101 with mod 00 is rip-relative, not
 * [rbp] -- so [rbp] and [r13] are always written with a displacement of 0.
 * And 32-bit operations clear the upper half of their destination, which
 * is exactly eBPF's rule for its 32-bit ALU.
 */
#include "kernel/bpf/jit.h"

void x86_byte(struct jit_emit *e, uint8_t b)
{
	/* JIT_INSN_MAX is above what any one eBPF instruction makes. */
	if (e->len < JIT_INSN_MAX)
		e->buf[e->len] = b;
	e->len++;
}

void x86_imm32(struct jit_emit *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x86_byte(e, v >> (8 * i));
}

/* Opcodes are given as one to three bytes in one number: 0x0FAF is 0F AF. */
static void opcode_bytes(struct jit_emit *e, uint32_t opcode)
{
	if (opcode > 0xffff)
		x86_byte(e, opcode >> 16);
	if (opcode > 0xff)
		x86_byte(e, opcode >> 8);
	x86_byte(e, opcode);
}

/* The prefixes: 66 for 16-bit, then REX when W, an extended register, or
 * a byte access to register 4-7 needs one. */
static void prefixes(struct jit_emit *e, int size, int reg, int rm)
{
	if (size == 2)
		x86_byte(e, 0x66);
	uint8_t rex = (size == 8 ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((rm >> 3) & 1);
	bool byte_reg = size == 1 && ((reg & 15) >= 4 || (rm & 15) >= 4);
	if (rex || byte_reg)
		x86_byte(e, 0x40 | rex);
}

/* "op reg, rm" with both operands registers (mod 11). */
void x86_op_rr(struct jit_emit *e, int size, uint32_t opcode, int reg, int rm)
{
	prefixes(e, size, reg, rm);
	opcode_bytes(e, opcode);
	x86_byte(e, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

/* "op reg, [base + disp]": the shortest ModRM/SIB/displacement for it. */
void x86_op_mem(struct jit_emit *e, int size, uint32_t opcode, int reg, int base, int32_t disp)
{
	prefixes(e, size, reg, base);
	opcode_bytes(e, opcode);
	int mod = (disp == 0 && (base & 7) != RBP) ? 0 : is_s8(disp) ? 1 : 2;
	x86_byte(e, mod << 6 | (reg & 7) << 3 | (base & 7));
	if ((base & 7) == RSP)
		x86_byte(e, 0x24);
	if (mod == 1)
		x86_byte(e, (uint8_t)disp);
	else if (mod == 2)
		x86_imm32(e, disp);
}

static int opsize(bool is64) { return is64 ? 8 : 4; }

void x86_mov_rr(struct jit_emit *e, bool is64, int dst, int src)
{
	x86_op_rr(e, opsize(is64), 0x89, src, dst); /* 89 /r: mov rm, reg */
}

/* mov dst, imm: eBPF's ALU64 sign-extends the immediate, ALU32 takes it as is. */
void x86_mov_imm(struct jit_emit *e, bool is64, int dst, int32_t imm)
{
	if (imm == 0) {
		x86_alu_rr(e, X86_XOR, false, dst, dst); /* xor r32, r32: shortest zero */
	} else if (!is64 || imm > 0) {
		prefixes(e, 4, 0, dst);
		x86_byte(e, 0xb8 + (dst & 7)); /* B8+r id: mov r32, imm32, zero-extends */
		x86_imm32(e, imm);
	} else {
		x86_op_rr(e, 8, 0xc7, 0, dst); /* REX.W C7 /0 id: sign-extends */
		x86_imm32(e, imm);
	}
}

void x86_mov_imm64(struct jit_emit *e, int dst, uint64_t imm)
{
	if (imm <= UINT32_MAX || is_s32((int64_t)imm)) {
		x86_mov_imm(e, imm > UINT32_MAX, dst, (int32_t)imm);
		return;
	}
	prefixes(e, 8, 0, dst);
	x86_byte(e, 0xb8 + (dst & 7)); /* REX.W B8+r io: movabs */
	x86_imm32(e, (uint32_t)imm);
	x86_imm32(e, (uint32_t)(imm >> 32));
}

void x86_alu_rr(struct jit_emit *e, enum x86_alu op, bool is64, int dst, int src)
{
	x86_op_rr(e, opsize(is64), op * 8 + 1, src, dst); /* 01 add, 09 or, 21 and, 29 sub, 31 xor, 39 cmp */
}

void x86_alu_imm(struct jit_emit *e, enum x86_alu op, bool is64, int dst, int32_t imm)
{
	if (is_s8(imm)) {
		x86_op_rr(e, opsize(is64), 0x83, op, dst); /* 83 /digit ib: sign-extended byte */
		x86_byte(e, imm);
	} else {
		x86_op_rr(e, opsize(is64), 0x81, op, dst); /* 81 /digit id */
		x86_imm32(e, imm);
	}
}

void x86_shift_imm(struct jit_emit *e, enum x86_shift op, bool is64, int dst, uint8_t count)
{
	x86_op_rr(e, opsize(is64), 0xc1, op, dst); /* C1 /digit ib */
	x86_byte(e, count);
}

/* Shift by cl: the CPU masks the count to 6 bits (64-bit) or 5 (32-bit). */
void x86_shift_cl(struct jit_emit *e, enum x86_shift op, bool is64, int dst)
{
	x86_op_rr(e, opsize(is64), 0xd3, op, dst); /* D3 /digit */
}

void x86_imul_rr(struct jit_emit *e, bool is64, int dst, int src)
{
	x86_op_rr(e, opsize(is64), 0x0faf, dst, src); /* 0F AF /r: dst *= src */
}

void x86_imul_imm(struct jit_emit *e, bool is64, int dst, int32_t imm)
{
	x86_op_rr(e, opsize(is64), 0x69, dst, dst); /* 69 /r id: dst = dst * imm */
	x86_imm32(e, imm);
}

void x86_neg(struct jit_emit *e, bool is64, int dst)
{
	x86_op_rr(e, opsize(is64), 0xf7, 3, dst); /* F7 /3 */
}

/* rdx:rax / src: quotient in rax, remainder in rdx. */
void x86_div(struct jit_emit *e, bool is64, bool is_signed, int src)
{
	x86_op_rr(e, opsize(is64), 0xf7, is_signed ? 7 : 6, src); /* F7 /6 div, /7 idiv */
}

void x86_sign_extend_rax(struct jit_emit *e, bool is64)
{
	if (is64)
		x86_byte(e, 0x48); /* REX.W 99: cqo */
	x86_byte(e, 0x99);         /* 99: cdq */
}

void x86_test_rr(struct jit_emit *e, bool is64, int a, int b)
{
	x86_op_rr(e, opsize(is64), 0x85, b, a); /* 85 /r */
}

void x86_test_imm(struct jit_emit *e, bool is64, int reg, int32_t imm)
{
	x86_op_rr(e, opsize(is64), 0xf7, 0, reg); /* F7 /0 id */
	x86_imm32(e, imm);
}

/* movzx r32, r8/r16 (the upper half is cleared by the 32-bit write). The
 * byte form passes size 1 for its REX rule: sil and dil need one. */
void x86_movzx_rr(struct jit_emit *e, int from_size, int dst, int src)
{
	if (from_size == 4) {
		x86_mov_rr(e, false, dst, src);
		return;
	}
	x86_op_rr(e, from_size == 1 ? 1 : 4, from_size == 1 ? 0x0fb6 : 0x0fb7, dst, src);
}

/* movsx r64, r8/r16/r32 (REX.W 0F BE, 0F BF, 63). */
void x86_movsx_rr(struct jit_emit *e, int from_size, int dst, int src)
{
	/* REX.W is already a REX prefix: byte source 4-7 means sil/dil. */
	x86_op_rr(e, 8, from_size == 1 ? 0x0fbe : from_size == 2 ? 0x0fbf : 0x63, dst, src);
}

void x86_bswap(struct jit_emit *e, bool is64, int reg)
{
	prefixes(e, opsize(is64), 0, reg);
	x86_byte(e, 0x0f);
	x86_byte(e, 0xc8 + (reg & 7)); /* 0F C8+r */
}

/* rol r16, 8: swaps the two low bytes (a 16-bit byte swap). */
void x86_rol16_8(struct jit_emit *e, int reg)
{
	x86_op_rr(e, 2, 0xc1, 0, reg); /* 66 C1 /0 ib */
	x86_byte(e, 8);
}

/* Loads: movzx for bytes and halves, mov for 32 (zero-extends) and 64 bits;
 * sign: movsx to 64 bits (eBPF's BPF_MEMSX). */
void x86_load(struct jit_emit *e, int size, bool sign, int dst, int base, int32_t disp)
{
	static const uint32_t zx[9] = { [1] = 0x0fb6, [2] = 0x0fb7, [4] = 0x8b, [8] = 0x8b };
	static const uint32_t sx[9] = { [1] = 0x0fbe, [2] = 0x0fbf, [4] = 0x63, [8] = 0x8b };
	int opsz = sign || size == 8 ? 8 : 4;
	x86_op_mem(e, opsz, sign ? sx[size] : zx[size], dst, base, disp);
}

void x86_store(struct jit_emit *e, int size, int base, int32_t disp, int src)
{
	x86_op_mem(e, size, size == 1 ? 0x88 : 0x89, src, base, disp); /* 88 /r, (66) (REX.W) 89 /r */
}

void x86_store_imm(struct jit_emit *e, int size, int base, int32_t disp, int32_t imm)
{
	x86_op_mem(e, size, size == 1 ? 0xc6 : 0xc7, 0, base, disp); /* C6 /0 ib, C7 /0 iw/id */
	if (size == 1)
		x86_byte(e, imm);
	else if (size == 2) {
		x86_byte(e, imm);
		x86_byte(e, imm >> 8);
	} else
		x86_imm32(e, imm); /* a 64-bit store sign-extends it, as eBPF's ST */
}

void x86_lea(struct jit_emit *e, int dst, int base, int32_t disp)
{
	x86_op_mem(e, 8, 0x8d, dst, base, disp); /* REX.W 8D /r */
}

void x86_push(struct jit_emit *e, int reg)
{
	if (reg >= 8)
		x86_byte(e, 0x41); /* REX.B */
	x86_byte(e, 0x50 + (reg & 7));
}

void x86_pop(struct jit_emit *e, int reg)
{
	if (reg >= 8)
		x86_byte(e, 0x41);
	x86_byte(e, 0x58 + (reg & 7));
}

void x86_ret(struct jit_emit *e) { x86_byte(e, 0xc3); }

void x86_jmp_reg(struct jit_emit *e, int reg)
{
	x86_op_rr(e, 4, 0xff, 4, reg); /* FF /4: jmp rm (64-bit by default) */
}

/* rel is counted from the end of the jump, which depends on its own size:
 * the short form is 2 bytes, jmp rel32 5, jcc rel32 6. */
void x86_jcc(struct jit_emit *e, enum x86_cond cc, int32_t rel)
{
	if (is_s8(rel)) {
		x86_byte(e, 0x70 + cc);
		x86_byte(e, rel);
	} else {
		x86_byte(e, 0x0f);
		x86_byte(e, 0x80 + cc);
		x86_imm32(e, rel);
	}
}

void x86_jmp(struct jit_emit *e, int32_t rel)
{
	if (is_s8(rel)) {
		x86_byte(e, 0xeb);
		x86_byte(e, rel);
	} else {
		x86_byte(e, 0xe9);
		x86_imm32(e, rel);
	}
}

uint32_t x86_jcc_fwd(struct jit_emit *e, enum x86_cond cc)
{
	x86_byte(e, 0x70 + cc);
	x86_byte(e, 0);
	return e->len - 1;
}

uint32_t x86_jmp_fwd(struct jit_emit *e)
{
	x86_byte(e, 0xeb);
	x86_byte(e, 0);
	return e->len - 1;
}

void x86_patch_here(struct jit_emit *e, uint32_t at)
{
	uint32_t distance = e->len - (at + 1);
	if (at < JIT_INSN_MAX && distance <= 127)
		e->buf[at] = (uint8_t)distance;
	else
		e->len = JIT_INSN_MAX + 1; /* a JIT bug: the driver refuses the program */
}

/* E8 rel32: the distance from the end of the call to fn. While sizing (ip
 * 0) the distance is unknown and 0 stands in; the length is the same. */
bool x86_call(struct jit_emit *e, const void *fn)
{
	int64_t rel = 0;
	if (e->ip)
		rel = (int64_t)((uint64_t)fn - (e->ip + e->len + 5));
	x86_byte(e, 0xe8);
	x86_imm32(e, (uint32_t)rel);
	return is_s32(rel);
}

void x86_lock(struct jit_emit *e) { x86_byte(e, 0xf0); }
