/*
 * bpf_perf_event_output: records from a program into a perf ring (course
 * section: advanced eBPF tracing).
 *
 * The older way for a program to send records to user space: this process
 * opens a BPF_OUTPUT perf event, maps its ring, and stores the event's fd
 * in a PERF_EVENT_ARRAY at every CPU's index; a raw-tracepoint program run
 * by BPF_PROG_TEST_RUN calls bpf_perf_event_output(ctx, map,
 * BPF_F_CURRENT_CPU, data, 8), and a PERF_RECORD_SAMPLE carrying the 8
 * bytes as its RAW part appears in the ring. Then the helper's errnos: an
 * empty slot, an index past the end, an event that is not BPF_OUTPUT.
 * Runs as root on the host Linux (the oracle) and booted in sysgate.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "bpf_insn.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define PAGE 4096
#define RING_PAGES 2 /* data pages, after the control page */
#define MAX_CPUS 64
#define PAYLOAD 0x0123456789abcdefull

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int ncpus(void)
{
	char buf[32] = { 0 };
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY);
	if (fd < 0)
		return 1;
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	char *dash = strchr(buf, '-');
	int n = dash ? atoi(dash + 1) + 1 : 1;
	return n < MAX_CPUS ? n : MAX_CPUS;
}

/* bpf_perf_event_output(ctx, map, flags, &PAYLOAD, 8); return r0. */
static long load_output(int map_fd, uint64_t flags)
{
	struct bpf_insn p[] = {
		I_LD_IMM64(BPF_REG_2, PAYLOAD),
		I_STX(BPF_DW, BPF_REG_10, BPF_REG_2, -8),
		I_LD_MAP_FD(BPF_REG_2, map_fd),
		I_LD_IMM64(BPF_REG_3, flags),
		I_MOV64_REG(BPF_REG_4, BPF_REG_10),
		I_ALU64_IMM(BPF_ADD, BPF_REG_4, -8),
		I_MOV64_IMM(BPF_REG_5, 8),
		I_CALL(BPF_FUNC_perf_event_output),
		I_EXIT(),
	};
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	a.insn_cnt = sizeof(p) / sizeof(p[0]);
	a.insns = (uint64_t)(uintptr_t)p;
	a.license = (uint64_t)(uintptr_t)"GPL";
	return sys_bpf(BPF_PROG_LOAD, &a);
}

/* One test run on a raw tracepoint context of one argument: r0, or -1000 - errno. */
static long run(long prog)
{
	uint64_t args[1] = { 0 };
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog;
	a.test.ctx_in = (uint64_t)(uintptr_t)args;
	a.test.ctx_size_in = sizeof(args);
	if (sys_bpf(BPF_PROG_TEST_RUN, &a) < 0)
		return -1000 - errno;
	return (int32_t)a.test.retval;
}

static int open_event(uint64_t config, uint64_t sample_type)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE, a.size = sizeof(a), a.config = config;
	a.sample_type = sample_type, a.sample_period = 1, a.wakeup_events = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static int array_of(int event, int n)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_PERF_EVENT_ARRAY, a.key_size = 4, a.value_size = 4, a.max_entries = (uint32_t)n;
	int fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	for (uint32_t k = 0; event >= 0 && k < (uint32_t)n; k++) {
		uint32_t v = (uint32_t)event;
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)fd, a.key = (uint64_t)(uintptr_t)&k, a.value = (uint64_t)(uintptr_t)&v;
		sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
	}
	return fd;
}

static void test_output(void)
{
	int n = ncpus();
	int event = open_event(PERF_COUNT_SW_BPF_OUTPUT, PERF_SAMPLE_RAW);
	if (!check_ok("a BPF_OUTPUT event sampling RAW", event))
		return;
	uint8_t *ring = mmap(NULL, (1 + RING_PAGES) * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, event, 0);
	if (!check("its ring mapped", ring != MAP_FAILED, "%s", errno_name(errno)))
		return;
	int map = array_of(event, n);
	long prog = load_output(map, BPF_F_CURRENT_CPU);
	if (prog < 0) {
		t_skip("output", "the program does not load here (%s): no verifier yet?", errno_name(errno));
		return;
	}
	check_eq("output: returns 0", run(prog), 0);
	struct perf_event_mmap_page *ctl = (void *)ring;
	uint64_t head = __atomic_load_n(&ctl->data_head, __ATOMIC_ACQUIRE);
	const uint8_t *rec = ring + PAGE + (ctl->data_tail % (RING_PAGES * PAGE));
	const struct perf_event_header *h = (const void *)rec;
	check_eq("output: one record of 24 bytes in the ring", (long)(head - ctl->data_tail), 24);
	check_eq("output: a PERF_RECORD_SAMPLE", h->type, PERF_RECORD_SAMPLE);
	check_eq("output: its size", h->size, 24);
	uint32_t raw_size;
	uint64_t raw;
	memcpy(&raw_size, rec + 8, 4);
	memcpy(&raw, rec + 12, 8);
	check_eq("output: RAW size, padded to 8 with its u32 length", raw_size, 12);
	check_eqx("output: the program's 8 bytes", raw, PAYLOAD);
	__atomic_store_n(&ctl->data_tail, head, __ATOMIC_RELEASE);
	close((int)prog);

	check_eq("an index past the end: E2BIG", run(prog = load_output(map, (uint64_t)n)), -E2BIG);
	close((int)prog);
	check_eq("a bad flag: EINVAL", run(prog = load_output(map, 1ull << 32)), -EINVAL);
	close((int)prog);
	int empty = array_of(-1, n);
	check_eq("an empty slot: ENOENT", run(prog = load_output(empty, BPF_F_CURRENT_CPU)), -ENOENT);
	close((int)prog);
	int counter = open_event(PERF_COUNT_SW_TASK_CLOCK, 0);
	int wrong = array_of(counter, n);
	check_eq("an event that is not BPF_OUTPUT: EINVAL", run(prog = load_output(wrong, BPF_F_CURRENT_CPU)),
		 -EINVAL);
	close((int)prog);
	close(wrong);
	close(counter);
	close(empty);
	munmap(ring, (1 + RING_PAGES) * PAGE);
	close(map);
	close(event);
}

int main(void)
{
	t_begin("bpf_perf_output");
	test_output();
	return t_end();
}
