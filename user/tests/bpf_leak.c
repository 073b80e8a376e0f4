/*
 * No leak from BPF objects (course section: eBPF, the revolution in kernel
 * programming).
 *
 * A map or program is freed when its last reference goes: its fds, the
 * programs using a map, the perf event or link a program is attached to.
 * Each case below makes objects 1,000 times over and drops every reference
 * in another order: the kernel's free frames and heap bytes must come back
 * to their baseline (sysgate; on Linux the same work runs, as the oracle for
 * the calls' results). Bad input is in the mix: updates with kernel
 * pointers, loads the verifier refuses, a second attach.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "bpf_insn.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define ROUNDS 1000

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int map_create(uint32_t type, uint32_t key, uint32_t value, uint32_t entries)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type, a.key_size = key, a.value_size = value, a.max_entries = entries;
	return (int)bpf(BPF_MAP_CREATE, &a);
}

static int load(uint32_t type, const struct bpf_insn *insns, uint32_t cnt)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type, a.insn_cnt = cnt, a.insns = (uint64_t)insns, a.license = (uint64_t)"GPL";
	return (int)bpf(BPF_PROG_LOAD, &a);
}

static int failures;

static void expect(int ok)
{
	failures += !ok;
}

/* Maps of each kind, filled, with bad updates in between, then closed. */
static void maps(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		int h = map_create(BPF_MAP_TYPE_HASH, 4, 8, 16), a = map_create(BPF_MAP_TYPE_ARRAY, 4, 64, 4);
		uint32_t k = (uint32_t)i % 16;
		uint64_t v = (uint64_t)i;
		union bpf_attr u;
		memset(&u, 0, sizeof(u));
		u.map_fd = (uint32_t)h, u.key = (uint64_t)&k, u.value = (uint64_t)&v;
		expect(h >= 0 && a >= 0 && bpf(BPF_MAP_UPDATE_ELEM, &u) == 0);
		u.value = 0xffffffff81000000ul;
		expect(bpf(BPF_MAP_UPDATE_ELEM, &u) == -1 && errno == EFAULT);
		close(h), close(a);
	}
}

/* Programs using a map: the map closed first, then the program (and the other way). */
static void programs(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
		struct bpf_insn uses[] = {
			I_ST(BPF_W, BPF_REG_10, -4, 0), I_LD_MAP_FD(BPF_REG_1, map), I_MOV64_REG(BPF_REG_2, BPF_REG_10),
			I_ALU64_IMM(BPF_ADD, BPF_REG_2, -4), I_CALL(BPF_FUNC_map_lookup_elem), I_MOV64_IMM(BPF_REG_0, 0),
			I_EXIT(),
		};
		struct bpf_insn bad[] = { I_MOV64_REG(BPF_REG_0, BPF_REG_5), I_EXIT() }; /* r5 never written */
		int fd = load(BPF_PROG_TYPE_SOCKET_FILTER, uses, sizeof(uses) / sizeof(uses[0]));
		expect(fd >= 0);
		expect(load(BPF_PROG_TYPE_SOCKET_FILTER, bad, 2) == -1 && errno == EACCES);
		if (i % 2) {
			close(map), close(fd);
		} else {
			close(fd), close(map);
		}
	}
}

static int tracepoint_id(const char *name)
{
	char path[128], buf[16] = "";
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/id", name);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	return n > 0 ? atoi(buf) : -1;
}

/* Attached programs: to a perf event (closed with the program's fd still open,
 * or after it) and to raw sys_enter links. */
static void attached(void)
{
	static const struct bpf_insn ret1[] = { I_MOV64_IMM(BPF_REG_0, 1), I_EXIT() };
	int id = tracepoint_id("syscalls/sys_enter_getppid");
	for (int i = 0; i < ROUNDS / 2; i++) {
		int tp = load(BPF_PROG_TYPE_TRACEPOINT, ret1, 2), raw = load(BPF_PROG_TYPE_RAW_TRACEPOINT, ret1, 2);
		struct perf_event_attr pa;
		memset(&pa, 0, sizeof(pa));
		pa.type = PERF_TYPE_TRACEPOINT, pa.size = sizeof(pa), pa.config = (uint64_t)id;
		int ev = (int)syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);
		expect(ev >= 0 && ioctl(ev, PERF_EVENT_IOC_SET_BPF, tp) == 0);
		expect(ioctl(ev, PERF_EVENT_IOC_SET_BPF, tp) == -1 && errno == EEXIST);
		union bpf_attr a;
		memset(&a, 0, sizeof(a));
		a.raw_tracepoint.name = (uint64_t)"sys_enter", a.raw_tracepoint.prog_fd = (uint32_t)raw;
		int link = (int)bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
		expect(link >= 0);
		getppid();
		if (i % 2) {
			close(tp), close(ev), close(link), close(raw);
		} else {
			close(ev), close(raw), close(link), close(tp);
		}
	}
}

int main(void)
{
	t_begin("bpf_leak");
	if (map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1) < 0) {
		t_skip("all cases", "bpf(2) unavailable: %s", errno_name(errno));
		return t_end();
	}
	if (on_sysgate()) {
		t_leak_test("2,000 maps: no frame or heap byte lost", maps);
		t_leak_test("1,000 programs with a map each: no frame or heap byte lost", programs);
		t_leak_test("500 programs attached to perf events and raw tracepoints: no frame or heap byte lost", attached);
	} else {
		maps();
		programs();
		attached();
		t_skip("leak counts", "sysgate only (the calls' results are checked here)");
	}
	check_eq("every call answered as Linux does", failures, 0);
	return t_end();
}
