/*
 * The eBPF verifier against hostile programs (course section: eBPF, the
 * revolution in kernel programming; badinput.md item 35).
 *
 * Sweeps instead of hand-picked cases: every one of the 256 opcodes, every
 * register read before it is written, every stack slot, jumps to every
 * offset around a program's ends, every helper id from 0 to 300 called with
 * numbers for arguments, a program of 100,000 instructions, 8,200 branches
 * pending at once. Each verdict must be Linux's; the expected verdicts below
 * were recorded on Linux 6.18 (run this test with the argument "record" on
 * Linux to print them again). One character per program: '.' accepted,
 * 'I' EINVAL, 'A' EACCES, 'B' E2BIG, 'N' ENOTSUPP, '?' anything else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_verifier_cases.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define ENOTSUPP 524 /* the kernel's own errno that bpf(2) lets out */

static char log_buf[1 << 16];
static int record;

static long load(const struct bpf_insn *insns, uint32_t len, uint32_t level)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_TRACEPOINT;
	a.insn_cnt = len;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_level = level;
	if (level) {
		a.log_buf = (uint64_t)(uintptr_t)log_buf;
		a.log_size = sizeof(log_buf);
		log_buf[0] = 0;
	}
	long fd = syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd >= 0)
		close((int)fd);
	return fd;
}

static char verdict(const struct bpf_insn *insns, uint32_t len)
{
	if (load(insns, len, 0) >= 0)
		return '.';
	switch (errno) {
	case EINVAL: return 'I';
	case EACCES: return 'A';
	case E2BIG: return 'B';
	case ENOTSUPP: return 'N';
	default: return '?';
	}
}

/* Compares a sweep's verdicts with Linux's, or prints them when recording. */
static void judge(const char *sweep, const char *got, const char *want)
{
	if (record) {
		printf("%s: \"%s\"\n", sweep, got);
		return;
	}
	size_t n = strlen(want);
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			t_fail(sweep, "program %zu: %c, Linux %c", i, got[i], want[i]);
			return;
		}
	}
	check(sweep, strlen(got) == n, "%zu programs, Linux %zu", strlen(got), n);
}

/*
 * The opcode with operands that suit its class: r0 and r2 (= 1) for
 * arithmetic and jumps, the stack at fp-8 for memory, the register or the
 * immediate as the source bit says.
 */
static struct bpf_insn insn_for(int code)
{
	uint8_t cls = BPF_CLASS(code);
	bool x = code & BPF_X;
	if (cls == BPF_LDX)
		return (struct bpf_insn)I_RAW(code, R0, R10, -8, 0);
	if (cls == BPF_ST)
		return (struct bpf_insn)I_RAW(code, R10, 0, -8, 1);
	if (cls == BPF_STX)
		return (struct bpf_insn)I_RAW(code, R10, R2, -8, BPF_MODE(code) == BPF_ATOMIC ? BPF_ADD : 0);
	if (cls == BPF_LD)
		return (struct bpf_insn)I_RAW(code, R0, 0, 0, 1);
	return (struct bpf_insn)I_RAW(code, R0, x ? R2 : 0, 0, x ? 0 : 1);
}

/* r0 = 0; r2 = 1; fp-8 = 0; the opcode; r0 = 0; exit. */
static void sweep_opcodes(void)
{
	static char got[257];
	for (int code = 0; code < 256; code++) {
		struct bpf_insn p[] = { I_MOV64_IMM(R0, 0), I_MOV64_IMM(R2, 1), I_ST(BPF_DW, R10, -8, 0),
					insn_for(code), I_MOV64_IMM(R0, 0), I_EXIT() };
		got[code] = verdict(p, 6);
	}
	judge("every opcode", got,
	      "IIII.II.IIII.II.IIII....IIII....IIII....IIII....IIII....IIII....IIII....IIII....IIII....IIII...."
	      "I.......I.......I.......I.......I.IIIAIII.IIIIIII.II.II.IIII.II.IIII....IIII....IIII....IIII...."
	      "III.....IIII....IIIII..IIII.I..IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII");
}

/* Each register read (r0 = rN), used (rN += 1) and used as an address (*(rN - 8) = 0) first. */
static void sweep_registers(void)
{
	static char got[3 * 12 + 1];
	for (int r = 0; r < 12; r++) {
		struct bpf_insn read[] = { I_MOV64_REG(R0, r), I_MOV64_IMM(R0, 0), I_EXIT() };
		struct bpf_insn use[] = { I_ALU64_IMM(BPF_ADD, r, 1), I_MOV64_IMM(R0, 0), I_EXIT() };
		struct bpf_insn addr[] = { I_ST(BPF_DW, r, -8, 0), I_MOV64_IMM(R0, 0), I_EXIT() };
		got[3 * r] = verdict(read, 3);
		got[3 * r + 1] = verdict(use, 3);
		got[3 * r + 2] = verdict(addr, 3);
	}
	judge("every register before it is written", got, "AAA..AAAAAAAAAAAAAAAAAAAAAAAAA.A.III");
}

/* Loads of 8 and 4 bytes at every 4-byte offset from fp-524 to fp+4. */
static void sweep_stack(void)
{
	static char got[2 * 133 + 1];
	int n = 0;
	for (int off = -524; off <= 4; off += 4) {
		struct bpf_insn dw[] = { I_LDX(BPF_DW, R0, R10, off), I_EXIT() };
		struct bpf_insn w[] = { I_LDX(BPF_W, R0, R10, off), I_EXIT() };
		got[n++] = verdict(dw, 2);
		got[n++] = verdict(w, 2);
	}
	got[n] = 0;
	judge("every stack slot before it is written", got,
	      "AAAAAA..A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A..."
	      "A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A..."
	      "A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A...A.AAAA");
}

/* A jump and a conditional jump at insn 1 of 4, to offsets -4..+4. */
static void sweep_jumps(void)
{
	static char got[2 * 9 + 1];
	int n = 0;
	for (int off = -4; off <= 4; off++) {
		struct bpf_insn ja[] = { I_MOV64_IMM(R0, 0), I_JA(off), I_MOV64_IMM(R0, 1), I_EXIT() };
		struct bpf_insn jeq[] = { I_LDX(BPF_DW, R0, R1, 8), I_JMP_IMM(BPF_JEQ, R0, 0, off), I_MOV64_IMM(R0, 1),
					  I_EXIT() };
		got[n++] = verdict(ja, 4);
		got[n++] = verdict(jeq, 4);
	}
	got[n] = 0;
	judge("jumps to every offset near the ends", got, "IIIIIIII..I.IIIIII");
}

/*
 * Helper ids 0..300, each called with numbers in r1-r5. Where sysgate has no
 * such helper for tracepoints it must say so (EINVAL, "cannot use helper");
 * those are counted, not failed: Linux has some two hundred helpers.
 */
static void sweep_helpers(void)
{
	static char got[302];
	static const char want[] =
		"IAAAA.A..IIIAI..A.IIIIAIIAIAIIIIIII.IAIIII.IIAIIIIIIIIIAIIIIIIIIIIIAIIIIIIIIIIII.IIIIIIAAAIIIAAI"
		"IIIIIIIIIAAII.IIAAAAI..IAII.I.IIIIAAAAAIIIIIIAIIIIIIIAIIIAAIAA.IIIIIAAIIIAAAAAAAAAIIAAAIIIIIIIII"
		"IIAAIAAAAAAAIIII.AAAIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII"
		"IIIIIIIIIIIII";
	int missing = 0;
	for (int id = 0; id <= 300; id++) {
		struct bpf_insn p[] = { I_MOV64_IMM(R1, 0), I_MOV64_IMM(R2, 0), I_MOV64_IMM(R3, 0), I_MOV64_IMM(R4, 0),
					I_MOV64_IMM(R5, 0), I_CALL(id), I_MOV64_IMM(R0, 0), I_EXIT() };
		got[id] = verdict(p, 8);
		if (!record && got[id] != want[id] && got[id] == 'I' && load(p, 8, 1) < 0 &&
		    strstr(log_buf, "program of this type cannot use helper")) {
			got[id] = want[id];
			missing++;
		}
	}
	judge("every helper id, called with numbers", got, want);
	if (missing)
		t_skip("helpers Linux has and sysgate has not", "%d of 301 ids", missing);
}

/* 100,000 instructions in a row; then 8,200 branches pending at once. */
static void big_programs(void)
{
	enum { LONG = 100000, FORKS = 8200 };
	static struct bpf_insn p[LONG + 2];
	for (int i = 0; i < LONG; i++)
		p[i] = (struct bpf_insn)I_ALU64_IMM(BPF_ADD, R0, 1);
	p[0] = (struct bpf_insn)I_MOV64_IMM(R0, 0);
	p[LONG] = (struct bpf_insn)I_EXIT();
	check("100,000 instructions: accepted", load(p, LONG + 1, 0) >= 0, "%s", errno_name(errno));
	/* r0 unknown; FORKS times "if r0 == i goto exit"; each pushes the other way. */
	p[0] = (struct bpf_insn)I_LDX(BPF_DW, R0, R1, 8);
	for (int i = 1; i <= FORKS; i++)
		p[i] = (struct bpf_insn)I_JMP_IMM(BPF_JEQ, R0, i, FORKS - i);
	p[FORKS + 1] = (struct bpf_insn)I_EXIT();
	check_errno("8,200 branches pending: E2BIG", load(p, FORKS + 2, 0), E2BIG);
	load(p, FORKS + 2, 4);
	check("8,200 branches pending: the log says why", strstr(log_buf, "The sequence of 8193 jumps is too complex") != NULL,
	      "log: %.100s", log_buf);
}

int main(int argc, char **argv)
{
	record = argc > 1 && !strcmp(argv[1], "record");
	t_begin("bpf_verifier2");
	sweep_opcodes();
	sweep_registers();
	sweep_stack();
	sweep_jumps();
	sweep_helpers();
	big_programs();
	return t_end();
}
