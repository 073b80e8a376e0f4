/*
 * The verifier log's instructions, as Linux writes them (course section:
 * eBPF, the revolution in kernel programming).
 *
 *     0: (b7) r0 = 0
 *     1: (79) r2 = *(u64 *)(r1 +8)
 *     2: (25) if r2 > 0x7 goto pc+3
 *     3: (85) call bpf_map_lookup_elem#1
 *
 * The index, the opcode in hex, then the instruction in a C-like syntax:
 * r0-r10 are 64-bit registers, w0-w10 their low 32 bits.
 */
#include "kernel/bpf/verifier.h"
#include "kernel/debug/diag.h"

#define INSN_TEXT_MAX 96

static const char *const alu_ops[16] = { "+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
					 "neg", "%=", "^=", "=", "s>>=", "endian", "?", "?" };
static const char *const jmp_ops[16] = { "goto", "==", ">", ">=", "&", "!=", "s>", "s>=",
					 "call", "exit", "<", "<=", "s<", "s<=", "?", "?" };
static const char *const size_names[4] = { "u32", "u16", "u8", "u64" };

static void alu_text(char *t, const struct bpf_insn *insn)
{
	char r = BPF_CLASS(insn->code) == BPF_ALU64 ? 'r' : 'w';
	uint8_t op = BPF_OP(insn->code);
	if (op == BPF_NEG) {
		diag_format(t, INSN_TEXT_MAX, "%c%d = -%c%d", r, insn->dst_reg, r, insn->dst_reg);
	} else if (op == BPF_END) {
		const char *order = BPF_CLASS(insn->code) == BPF_ALU64 ? "bswap" :
				    BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le";
		diag_format(t, INSN_TEXT_MAX, "r%d = %s%d r%d", insn->dst_reg, order, insn->imm, insn->dst_reg);
	} else if (BPF_SRC(insn->code) == BPF_X) {
		diag_format(t, INSN_TEXT_MAX, "%c%d %s %c%d", r, insn->dst_reg, alu_ops[op >> 4], r, insn->src_reg);
	} else {
		diag_format(t, INSN_TEXT_MAX, "%c%d %s %d", r, insn->dst_reg, alu_ops[op >> 4], insn->imm);
	}
}

static void mem_text(char *t, const struct bpf_insn *insn)
{
	const char *sz = size_names[BPF_SIZE(insn->code) >> 3];
	switch (BPF_CLASS(insn->code)) {
	case BPF_LDX:
		diag_format(t, INSN_TEXT_MAX, "r%d = *(%s%s *)(r%d %+d)", insn->dst_reg,
			    BPF_MODE(insn->code) == BPF_MEMSX ? "s" : "", BPF_MODE(insn->code) == BPF_MEMSX ? sz + 1 : sz,
			    insn->src_reg, insn->off);
		break;
	case BPF_ST:
		diag_format(t, INSN_TEXT_MAX, "*(%s *)(r%d %+d) = %d", sz, insn->dst_reg, insn->off, insn->imm);
		break;
	default:
		if (BPF_MODE(insn->code) == BPF_ATOMIC)
			diag_format(t, INSN_TEXT_MAX, "lock *(%s *)(r%d %+d) atomic 0x%x r%d", sz, insn->dst_reg,
				    insn->off, insn->imm, insn->src_reg);
		else
			diag_format(t, INSN_TEXT_MAX, "*(%s *)(r%d %+d) = r%d", sz, insn->dst_reg, insn->off,
				    insn->src_reg);
	}
}

static void ld_text(char *t, const struct venv *env, const struct bpf_insn *insn)
{
	const char *sz = size_names[BPF_SIZE(insn->code) >> 3];
	if (BPF_MODE(insn->code) == BPF_ABS) {
		diag_format(t, INSN_TEXT_MAX, "r0 = *(%s *)skb[%d]", sz, insn->imm);
	} else if (BPF_MODE(insn->code) == BPF_IND) {
		diag_format(t, INSN_TEXT_MAX, "r0 = *(%s *)skb[r%d + %d]", sz, insn->src_reg, insn->imm);
	} else if (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE) {
		const struct bpf_map *map = env->insn_map[insn - env->insns];
		diag_format(t, INSN_TEXT_MAX, "r%d = map[id:%u]%s", insn->dst_reg, map ? map->id : 0,
			    insn->src_reg == BPF_PSEUDO_MAP_VALUE ? "[0]+value" : "");
	} else {
		uint64_t v = (uint32_t)insn[0].imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
		diag_format(t, INSN_TEXT_MAX, "r%d = 0x%llx", insn->dst_reg, (unsigned long long)v);
	}
}

static void jmp_text(char *t, const struct bpf_insn *insn)
{
	uint8_t op = BPF_OP(insn->code);
	char r = BPF_CLASS(insn->code) == BPF_JMP32 ? 'w' : 'r';
	if (op == BPF_EXIT)
		diag_format(t, INSN_TEXT_MAX, "exit");
	else if (op == BPF_CALL)
		diag_format(t, INSN_TEXT_MAX, "call %s#%d", helper_name(insn->imm), insn->imm);
	else if (op == BPF_JA)
		diag_format(t, INSN_TEXT_MAX, "goto pc%+d", BPF_CLASS(insn->code) == BPF_JMP32 ? insn->imm : insn->off);
	else if (BPF_SRC(insn->code) == BPF_X)
		diag_format(t, INSN_TEXT_MAX, "if %c%d %s %c%d goto pc%+d", r, insn->dst_reg, jmp_ops[op >> 4], r,
			    insn->src_reg, insn->off);
	else
		diag_format(t, INSN_TEXT_MAX, "if %c%d %s 0x%x goto pc%+d", r, insn->dst_reg, jmp_ops[op >> 4],
			    (uint32_t)insn->imm, insn->off);
}

void print_insn(struct venv *env, uint32_t idx, const struct bpf_insn *insn)
{
	char body[INSN_TEXT_MAX], line[INSN_TEXT_MAX + 24];
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		alu_text(body, insn);
		break;
	case BPF_LD:
		ld_text(body, env, insn);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		jmp_text(body, insn);
		break;
	default:
		mem_text(body, insn);
	}
	diag_format(line, sizeof(line), "%u: (%02x) %s", idx, insn->code, body);
	vlog_insn_line(env, line);
}
