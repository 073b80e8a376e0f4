/*
 * What one eBPF instruction costs, interpreted and JIT'd (course section:
 * eBPF, the revolution in kernel programming -- "from bytecode to machine
 * code").
 *
 * A socket filter whose loop runs 5000 instructions is run by
 * BPF_PROG_TEST_RUN with a repeat count, so the kernel runs it many times
 * in one call; the cycles divided by the instructions executed is the cost
 * of an instruction, given per 1000 of them (the call and the per-run setup are spread over 5000
 * instructions: a few percent at most). The program is loaded once with
 * /proc/sys/net/core/bpf_jit_enable at 1 and once at 0, and the switch is
 * put back afterwards. Under ICOUNT=1 a "cycle" is one x86 instruction:
 * the JIT's figure is then how many machine instructions 1000 eBPF
 * instructions became, the interpreter's how many it takes to fetch, decode
 * and run one. (A Linux built with CONFIG_BPF_JIT_ALWAYS_ON refuses 0: no
 * interpreter figure there.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/bpf.h"
#include "bench.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif

#define JIT_ENABLE "/proc/sys/net/core/bpf_jit_enable"
#define LOOPS 1000
#define INSNS_PER_LOOP 5
#define INSNS_PER_RUN (3 + LOOPS * INSNS_PER_LOOP + 1)

#define INSN(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }

/* r1 counts to LOOPS; r0 and r2 churn, so no step is idle. */
static const struct bpf_insn loop_prog[] = {
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 0),
	INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0x12345),
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 1),
	INSN(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_0, BPF_REG_1, 0, 0),
	INSN(BPF_ALU64 | BPF_XOR | BPF_X, BPF_REG_0, BPF_REG_2, 0, 0),
	INSN(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_2, 0, 0, 1),
	INSN(BPF_JMP | BPF_JLT | BPF_K, BPF_REG_1, 0, -5, LOOPS),
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* tools/bench-linux runs bench as Linux's first process, before anyone
 * has mounted /proc: mount it then. (sysgate's /proc is always there, and
 * sysgate has no mount(2): hence Linux's number.) */
#define LINUX_SYS_MOUNT 165
static int open_jit_enable(void)
{
	int fd = open(JIT_ENABLE, O_RDWR);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	mkdir("/proc", 0555);
	syscall(LINUX_SYS_MOUNT, "proc", "/proc", "proc", 0, NULL);
	return open(JIT_ENABLE, O_RDWR);
}

static int jit_enable(int value)
{
	char c = '0' + value;
	int fd = open_jit_enable();
	if (fd < 0)
		return -1;
	char old = 0;
	int ok = read(fd, &old, 1) == 1 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, &c, 1) == 1;
	close(fd);
	return ok ? old - '0' : -1;
}

/* The program loaded with the JIT on or off; -1 if that cannot be had. */
static int load(int jit)
{
	int was = jit_enable(jit);
	if (was < 0)
		return -1;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = sizeof(loop_prog) / sizeof(loop_prog[0]);
	a.insns = (uint64_t)(uintptr_t)loop_prog;
	a.license = (uint64_t)(uintptr_t)"GPL";
	int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	jit_enable(was);
	return fd;
}

/* `rounds` thousands of eBPF instructions, in runs of INSNS_PER_RUN. */
static uint64_t run(int jit, long rounds)
{
	static uint8_t packet[64];
	int fd = load(jit);
	if (fd < 0)
		return FAILED;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uint64_t)(uintptr_t)packet;
	a.test.data_size_in = sizeof(packet);
	a.test.repeat = rounds * 1000 / INSNS_PER_RUN;
	uint64_t t0 = rdtsc();
	long err = sys_bpf(BPF_PROG_TEST_RUN, &a);
	uint64_t t = rdtsc() - t0;
	close(fd);
	return err ? FAILED : t * rounds * 1000 / (a.test.repeat * (uint64_t)INSNS_PER_RUN);
}

static uint64_t bench_bpf_jit(long rounds) { return run(1, rounds); }
static uint64_t bench_bpf_interp(long rounds) { return run(0, rounds); }

const struct benchmark bpf_benchmarks[] = {
	{ "bpf_jit_1000_insns_cycles", 500, bench_bpf_jit, CYCLES },
	{ "bpf_interp_1000_insns_cycles", 100, bench_bpf_interp, CYCLES },
};
const size_t bpf_count = sizeof(bpf_benchmarks) / sizeof(bpf_benchmarks[0]);
