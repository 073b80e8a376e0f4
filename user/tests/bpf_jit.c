/*
 * The eBPF JIT and the interpreter give the same results (course section:
 * eBPF, the revolution in kernel programming -- "from bytecode to machine
 * code").
 *
 * Each program of the table (bpf_jit_cases.h: the places where x86 and
 * eBPF differ -- 32-bit zero-extension, division by zero, shift counts,
 * jump sizes, atomics, the stack, helper calls) is loaded as a socket
 * filter and run by BPF_PROG_TEST_RUN, once with the JIT on and once with
 * it off (/proc/sys/net/core/bpf_jit_enable), and must give the table's
 * result both times. The test run returns only 32 bits, so each program is
 * run twice: as it is (the low half) and with r0 >>= 32 before its exit
 * (the high half). Then: a JIT'd program says so in bpf_prog_info and is
 * named in /proc/kallsyms as bpf_prog_<tag>_<name>; tail calls through a
 * PROG_ARRAY stop after 33. Runs as root on the host Linux (where a kernel
 * built with CONFIG_BPF_JIT_ALWAYS_ON refuses 0: the interpreter's half is
 * then skipped) and booted in sysgate.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_jit_cases.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif

#define JIT_ENABLE "/proc/sys/net/core/bpf_jit_enable"
#define PACKET_SIZE 64 /* at least an Ethernet header, as a socket filter's test run needs */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* bpf_jit_enable's value, or -1. */
static int jit_enable_get(void)
{
	char buf[8] = { 0 };
	int fd = open(JIT_ENABLE, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

static int jit_enable_set(int on)
{
	int fd = open(JIT_ENABLE, O_WRONLY);
	if (fd < 0)
		return -1;
	long n = write(fd, on ? "1\n" : "0\n", 2);
	close(fd);
	return n == 2 && jit_enable_get() == on ? 0 : -1;
}

static int load(const struct bpf_insn *insns, uint32_t len, uint32_t type, const char *name)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insn_cnt = len;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)"GPL";
	strncpy(a.prog_name, name, sizeof(a.prog_name) - 1);
	return (int)sys_bpf(BPF_PROG_LOAD, &a);
}

/* r0 of one run (32 bits), or -1 with errno. */
static long test_run(int fd, uint32_t repeat)
{
	static uint8_t packet[PACKET_SIZE];
	for (int i = 0; i < PACKET_SIZE; i++)
		packet[i] = i; /* byte i of the packet is i: what LD_ABS reads shows where it read */
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uint64_t)(uintptr_t)packet;
	a.test.data_size_in = sizeof(packet);
	a.test.repeat = repeat;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		return -1;
	return a.test.retval;
}

/* The program with each exit turned into a jump to "r0 >>= 32; exit". */
static uint32_t high_half(const struct jit_case *c, struct bpf_insn *out)
{
	const struct bpf_insn exit_insn = I_EXIT(), shift = I_ALU64_IMM(BPF_RSH, R0, 32);
	memcpy(out, c->insns, c->len * sizeof(*out));
	for (uint32_t i = 0; i < c->len; i++) {
		if (out[i].code == exit_insn.code) {
			const struct bpf_insn ja = I_JA((int16_t)(c->len - i - 1));
			out[i] = ja;
		}
		if (out[i].code == (BPF_LD | BPF_DW | BPF_IMM))
			i++; /* its second half is data */
	}
	out[c->len] = shift;
	out[c->len + 1] = exit_insn;
	return c->len + 2;
}

/* The case's 64-bit result, from two runs; false if a load or run failed. */
static bool run_case(const struct jit_case *c, uint64_t *result)
{
	struct bpf_insn high[JIT_CASE_MAX + 2];
	uint32_t high_len = high_half(c, high);
	int lo_fd = load(c->insns, c->len, BPF_PROG_TYPE_SOCKET_FILTER, "jit_case");
	int hi_fd = load(high, high_len, BPF_PROG_TYPE_SOCKET_FILTER, "jit_case_high");
	long lo = lo_fd >= 0 ? test_run(lo_fd, 1) : -1, hi = hi_fd >= 0 ? test_run(hi_fd, 1) : -1;
	int e = errno;
	if (lo_fd >= 0)
		close(lo_fd);
	if (hi_fd >= 0)
		close(hi_fd);
	errno = e;
	*result = (uint64_t)hi << 32 | (uint32_t)lo;
	return lo >= 0 && hi >= 0;
}

static void run_table(const char *mode, uint64_t *results)
{
	for (size_t i = 0; i < sizeof(jit_cases) / sizeof(jit_cases[0]); i++) {
		const char *name = cname("%s: %s", mode, jit_cases[i].name);
		if (!run_case(&jit_cases[i], &results[i]))
			t_fail(name, "load or test run failed: %s", errno_name(errno));
		else
			check_eqx(name, results[i], jit_cases[i].want);
	}
}

static bool prog_info(int fd, struct bpf_prog_info *info)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	memset(info, 0, sizeof(*info));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uint64_t)(uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0;
}

/* Is "bpf_prog_<tag>_<name>" a whole symbol in /proc/kallsyms? */
static bool in_kallsyms(const uint8_t tag[BPF_TAG_SIZE], const char *name)
{
	char want[64], line[256];
	int n = snprintf(want, sizeof(want), " bpf_prog_");
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		n += snprintf(want + n, sizeof(want) - n, "%02x", tag[i]);
	snprintf(want + n, sizeof(want) - n, "_%s\t", name);
	FILE *f = fopen("/proc/kallsyms", "r");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	if (f)
		fclose(f);
	return found;
}

/* bpf_prog_info's jited_prog_len, and the program's symbol, follow the switch. */
static void jited_or_not(bool jit)
{
	const struct jit_case *c = &jit_cases[0];
	int fd = load(c->insns, c->len, BPF_PROG_TYPE_SOCKET_FILTER, "jit_named");
	struct bpf_prog_info info;
	if (!check_ok(cname("%s: load", jit ? "JIT" : "interpreter"), fd) || !prog_info(fd, &info)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	check(jit ? "JIT: bpf_prog_info.jited_prog_len > 0" : "interpreter: bpf_prog_info.jited_prog_len is 0",
	      jit == (info.jited_prog_len > 0), "jited_prog_len %u", info.jited_prog_len);
	check(jit ? "JIT: bpf_prog_<tag>_jit_named in /proc/kallsyms"
		  : "interpreter: no bpf_prog_<tag>_jit_named in /proc/kallsyms",
	      jit == in_kallsyms(info.tag, "jit_named"), "looked for the tag's symbol");
	close(fd);
	check(cname("%s: gone from /proc/kallsyms after close", jit ? "JIT" : "interpreter"),
	      !in_kallsyms(info.tag, "jit_named"), "the symbol stayed");
}

static int map_create(uint32_t type, uint32_t value_size, uint32_t entries)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = value_size;
	a.max_entries = entries;
	return (int)sys_bpf(BPF_MAP_CREATE, &a);
}

static long map_update(int map, uint32_t key, uint32_t value)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = map;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)&value;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static void map_delete(int map, uint32_t key)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = map;
	a.key = (uint64_t)(uintptr_t)&key;
	sys_bpf(BPF_MAP_DELETE_ELEM, &a);
}

/* r0 = &counter[0] (NULL: to the exit at `exit_at`, r0 being 0). */
#define COUNTER_LOOKUP(counter, here, exit_at)                                                \
	I_ST(BPF_W, R10, -4, 0), I_MOV64_REG(R2, R10), I_ALU64_IMM(BPF_ADD, R2, -4),           \
	I_LD_MAP_FD(R1, counter), I_CALL(BPF_FUNC_map_lookup_elem),                            \
	I_JMP_IMM(BPF_JEQ, R0, 0, (exit_at) - (here) - 7)

/*
 * A program that tail-calls itself through slot 0 of a PROG_ARRAY: it runs
 * 1 + 33 times, then the call falls through and it returns the count. Each
 * run adds 1 to an ARRAY map's value (registers and the stack do not
 * survive a tail call; a map does).
 */
static void tail_calls(const char *mode)
{
	int array = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 2), counter = map_create(BPF_MAP_TYPE_ARRAY, 8, 1);
	if (array < 0 || counter < 0) {
		t_skip(cname("%s: tail calls", mode), "no PROG_ARRAY or ARRAY map: %s", errno_name(errno));
		if (array >= 0)
			close(array);
		return;
	}
	struct bpf_insn prog[] = {
		I_MOV64_REG(R6, R1), COUNTER_LOOKUP(counter, 1, 23), I_MOV64_IMM(R1, 1),
		I_ATOMIC_ADD(BPF_DW, R0, R1, 0), I_MOV64_REG(R1, R6), I_LD_MAP_FD(R2, array), I_MOV64_IMM(R3, 0),
		I_CALL(BPF_FUNC_tail_call), COUNTER_LOOKUP(counter, 15, 23), I_LDX(BPF_DW, R0, R0, 0), I_EXIT(),
	};
	int fd = load(prog, sizeof(prog) / sizeof(prog[0]), BPF_PROG_TYPE_SOCKET_FILTER, "jit_tail");
	if (check_ok(cname("%s: tail calls: load", mode), fd) &&
	    check_ok(cname("%s: tail calls: the program into its own slot", mode), map_update(array, 0, fd)))
		check_eq(cname("%s: tail calls: at most 33", mode), test_run(fd, 1), 1 + 33);
	map_delete(array, 0); /* the array holds the program, the program the array */
	close(array);
	close(counter);
	if (fd >= 0)
		close(fd);
}

/* Classic BPF's packet loads, from the byte after the Ethernet header:
 * big-endian, and past the end the program returns 0 at once. */
static void packet_loads(const char *mode)
{
	struct bpf_insn in_range[] = {
		I_MOV64_REG(R6, R1), I_LD_ABS(BPF_W, 0), I_MOV64_REG(R7, R0), I_LD_ABS(BPF_H, 4),
		I_ALU64_REG(BPF_ADD, R7, R0), I_LD_ABS(BPF_B, 5), I_ALU64_REG(BPF_ADD, R7, R0), I_MOV64_IMM(R8, 1),
		I_LD_IND(BPF_H, R8, 1), I_ALU64_REG(BPF_ADD, R0, R7), I_EXIT(),
	};
	struct bpf_insn past_end[] = {
		I_MOV64_REG(R6, R1), I_MOV64_IMM(R7, 9), I_LD_ABS(BPF_W, PACKET_SIZE - 14 - 2), I_MOV64_REG(R0, R7),
		I_EXIT(),
	};
	int a = load(in_range, sizeof(in_range) / sizeof(in_range[0]), BPF_PROG_TYPE_SOCKET_FILTER, "jit_ld_abs");
	int b = load(past_end, sizeof(past_end) / sizeof(past_end[0]), BPF_PROG_TYPE_SOCKET_FILTER, "jit_ld_abs");
	check_eqx(cname("%s: LD_ABS and LD_IND, big-endian", mode), a < 0 ? -1 : test_run(a, 1),
		  0x0e0f1011 + 0x1213 + 0x13 + 0x1011);
	check_eq(cname("%s: LD_ABS past the packet's end: the program returns 0", mode),
		 b < 0 ? -1 : test_run(b, 1), 0);
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
}

/* 1000 JIT'd programs loaded and closed: their images, symbols and the
 * JIT's working memory all go back (sysgate only: Linux shows no counts). */
static void load_close_1000(void)
{
	for (int i = 0; i < 1000; i++) {
		int fd = load(jit_cases[0].insns, jit_cases[0].len, BPF_PROG_TYPE_SOCKET_FILTER, "jit_leak");
		if (fd >= 0)
			close(fd);
	}
}

int main(void)
{
	t_begin("bpf_jit");
	int was = jit_enable_get();
	if (was < 0) {
		t_skip("all cases", "no %s: %s", JIT_ENABLE, errno_name(errno));
		return t_end();
	}
	static uint64_t results[2][sizeof(jit_cases) / sizeof(jit_cases[0])];
	bool ran[2] = { false, false };
	for (int jit = 1; jit >= 0; jit--) {
		const char *mode = jit ? "JIT" : "interpreter";
		if (jit_enable_set(jit)) {
			t_skip(cname("%s: every case", mode), "cannot write %d to %s: %s (Linux with "
			       "CONFIG_BPF_JIT_ALWAYS_ON keeps the JIT on)", jit, JIT_ENABLE, errno_name(errno));
			continue;
		}
		run_table(mode, results[jit]);
		jited_or_not(jit);
		tail_calls(mode);
		packet_loads(mode);
		if (jit)
			t_leak_test("JIT: 1000 programs loaded and closed: no frame or heap byte lost", load_close_1000);
		ran[jit] = true;
	}
	if (ran[0] && ran[1])
		check("the JIT and the interpreter agree on every case",
		      !memcmp(results[0], results[1], sizeof(results[0])), "some result differs");
	jit_enable_set(was);
	return t_end();
}
