/*
 * What a hash map lookup costs, in a small map and a big one (course
 * section: eBPF, the revolution in kernel programming -- maps).
 *
 * A hash map's buckets are a power of two at least max_entries, so a
 * lookup hashes the key and looks at about one element, whatever the map
 * holds: the figures for 10 and 10,000 keys should be the same. Two ways
 * in: from user space (BPF_MAP_LOOKUP_ELEM, the syscall and its copies
 * included) and from a program (bpf_map_lookup_elem, run by
 * BPF_PROG_TEST_RUN with a repeat count, so the figure is one run of a
 * four-call program: the lookup and the test loop's own step).
 */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/bpf.h"
#include "bench.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define SMALL 10
#define BIG 10000
#define KEY_STRIDE 7919 /* keys spread over the 32-bit space */

#define INSN(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static long elem(int cmd, int fd, const void *key, void *value)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd, a.key = (uint64_t)(uintptr_t)key, a.value = (uint64_t)(uintptr_t)value;
	return sys_bpf(cmd, &a);
}

/* A hash map of n keys (made once, kept for every batch); -1 on failure. */
static int filled_map(uint32_t n)
{
	static int fds[2] = { -1, -1 };
	int *fd = &fds[n == BIG];
	if (*fd >= 0)
		return *fd;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH, a.key_size = 4, a.value_size = 8, a.max_entries = n;
	*fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	for (uint32_t k = 0; *fd >= 0 && k < n; k++) {
		uint32_t key = k * KEY_STRIDE;
		uint64_t v = k;
		elem(BPF_MAP_UPDATE_ELEM, *fd, &key, &v);
	}
	return *fd;
}

static uint64_t syscall_lookups(uint32_t n, long rounds)
{
	int fd = filled_map(n);
	if (fd < 0)
		return FAILED;
	uint64_t v, t0 = rdtsc();
	for (long i = 0; i < rounds; i++) {
		uint32_t key = (uint32_t)(i % n) * KEY_STRIDE;
		if (elem(BPF_MAP_LOOKUP_ELEM, fd, &key, &v))
			return FAILED;
	}
	return rdtsc() - t0;
}

/* A socket filter: r0 = lookup(map, &key) != NULL, key the middle one. */
static int lookup_prog(uint32_t n)
{
	int map = filled_map(n);
	if (map < 0)
		return -1;
	const struct bpf_insn prog[] = {
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, (int32_t)(n / 2 * KEY_STRIDE)),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 1, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.insns = (uint64_t)(uintptr_t)prog;
	a.license = (uint64_t)(uintptr_t)"GPL";
	return (int)sys_bpf(BPF_PROG_LOAD, &a);
}

static uint64_t program_lookups(uint32_t n, long rounds)
{
	static uint8_t packet[64];
	int fd = lookup_prog(n);
	if (fd < 0)
		return FAILED;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)packet;
	a.test.data_size_in = sizeof(packet);
	a.test.repeat = (uint32_t)rounds;
	uint64_t t0 = rdtsc();
	long err = sys_bpf(BPF_PROG_TEST_RUN, &a);
	uint64_t t = rdtsc() - t0;
	close(fd);
	return err || a.test.retval != 1 ? FAILED : t;
}

static uint64_t bench_sys_small(long rounds) { return syscall_lookups(SMALL, rounds); }
static uint64_t bench_sys_big(long rounds) { return syscall_lookups(BIG, rounds); }
static uint64_t bench_prog_small(long rounds) { return program_lookups(SMALL, rounds); }
static uint64_t bench_prog_big(long rounds) { return program_lookups(BIG, rounds); }

const struct benchmark bpf_map_benchmarks[] = {
	{ "bpf_hash_lookup_syscall_10_keys_cycles", 1000, bench_sys_small, CYCLES },
	{ "bpf_hash_lookup_syscall_10000_keys_cycles", 1000, bench_sys_big, CYCLES },
	{ "bpf_hash_lookup_prog_10_keys_cycles", 10000, bench_prog_small, CYCLES },
	{ "bpf_hash_lookup_prog_10000_keys_cycles", 10000, bench_prog_big, CYCLES },
};
const size_t bpf_map_count = sizeof(bpf_map_benchmarks) / sizeof(bpf_map_benchmarks[0]);
