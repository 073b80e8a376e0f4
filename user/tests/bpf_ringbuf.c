/*
 * The BPF ring buffer, read as user space reads it (course section:
 * advanced eBPF tracing).
 *
 * Hand-assembled programs, run by BPF_PROG_TEST_RUN, write records with
 * bpf_ringbuf_output, reserve/submit/discard and query; this process maps
 * the ring with Linux's layout (the consumer page read-write, the producer
 * page and the data pages, twice, read-only) and reads the records there:
 * headers, the DISCARD bit, a full ring (-EAGAIN, a NULL reserve), a
 * record that runs off the end and continues at the start, poll and epoll
 * readiness. Runs as root on the host Linux (the oracle) and booted in
 * sysgate.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define PAGE 4096
#define RING (PAGE) /* data bytes */

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int ring_fd;
static volatile uint64_t *consumer;      /* page 0 of the mapping, ours to write */
static volatile const uint64_t *producer; /* the next page, read-only */
static const uint8_t *data;               /* the data, twice in a row */

static long load(const struct bpf_insn *insns, uint32_t n)
{
	static char log[4096];
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = n;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_level = 1;
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	long fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0)
		printf("# load: %s: %.300s\n", errno_name(errno), log);
	return fd;
}

/* Run prog once on a made-up packet; its return value, or -1000 - errno. */
static long run(long prog)
{
	uint8_t packet[64] = { 0 };
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)prog;
	a.test.data_in = (uint64_t)(uintptr_t)packet;
	a.test.data_size_in = sizeof(packet);
	if (sys_bpf(BPF_PROG_TEST_RUN, &a) < 0)
		return -1000 - errno;
	return (int32_t)a.test.retval;
}

/* bpf_ringbuf_output(ring, &(u64[3]){tag, tag, tag}, size, flags); return r0. */
static long output_prog(uint32_t size, uint64_t flags)
{
	struct bpf_insn p[] = {
		I_LD_IMM64(BPF_REG_1, 0x1122334455667788ull),
		I_STX(BPF_DW, BPF_REG_10, BPF_REG_1, -24),
		I_STX(BPF_DW, BPF_REG_10, BPF_REG_1, -16),
		I_STX(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
		I_LD_MAP_FD(BPF_REG_1, ring_fd),
		I_MOV64_REG(BPF_REG_2, BPF_REG_10),
		I_ALU64_IMM(BPF_ADD, BPF_REG_2, -24),
		I_MOV64_IMM(BPF_REG_3, (int32_t)size),
		I_MOV64_IMM(BPF_REG_4, (int32_t)flags),
		I_CALL(BPF_FUNC_ringbuf_output),
		I_EXIT(),
	};
	return load(p, sizeof(p) / sizeof(p[0]));
}

/* r0 = reserve(ring, size, 0); NULL: return 1; else discard it (or submit)
 * and return 0. */
static long reserve_prog(int32_t size, bool discard)
{
	struct bpf_insn p[] = {
		I_LD_MAP_FD(BPF_REG_1, ring_fd),
		I_MOV64_IMM(BPF_REG_2, size),
		I_MOV64_IMM(BPF_REG_3, 0),
		I_CALL(BPF_FUNC_ringbuf_reserve),
		I_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 2),
		I_MOV64_IMM(BPF_REG_0, 1),
		I_EXIT(),
		I_ST(BPF_W, BPF_REG_0, 0, 0x5a5a5a5a),
		I_MOV64_REG(BPF_REG_1, BPF_REG_0),
		I_MOV64_IMM(BPF_REG_2, 0),
		I_CALL(discard ? BPF_FUNC_ringbuf_discard : BPF_FUNC_ringbuf_submit),
		I_MOV64_IMM(BPF_REG_0, 0),
		I_EXIT(),
	};
	return load(p, sizeof(p) / sizeof(p[0]));
}

static long query_prog(int32_t what)
{
	struct bpf_insn p[] = {
		I_LD_MAP_FD(BPF_REG_1, ring_fd),
		I_MOV64_IMM(BPF_REG_2, what),
		I_CALL(BPF_FUNC_ringbuf_query),
		I_EXIT(),
	};
	return load(p, sizeof(p) / sizeof(p[0]));
}

static bool map_ring(void)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_RINGBUF, a.max_entries = RING;
	ring_fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	if (!check_ok("ringbuf of one page", ring_fd))
		return false;
	void *c = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
	const uint8_t *r = mmap(NULL, PAGE + 2 * RING, PROT_READ, MAP_SHARED, ring_fd, PAGE);
	if (!check("mapped as libbpf maps it", c != MAP_FAILED && r != MAP_FAILED, "%s", errno_name(errno)))
		return false;
	consumer = c;
	producer = (volatile const uint64_t *)r;
	data = r + PAGE;
	return true;
}

/* The header at position pos: its length word and page offset. */
static uint32_t hdr_len(uint64_t pos) { return *(const volatile uint32_t *)(data + (pos & (RING - 1))); }
static uint32_t hdr_pg_off(uint64_t pos) { return *(const volatile uint32_t *)(data + (pos & (RING - 1)) + 4); }

static void test_output(void)
{
	long prog = output_prog(8, 0);
	if (prog < 0) {
		t_skip("output", "the program does not load (no verifier in this kernel?)");
		return;
	}
	check_eq("output: returns 0", run(prog), 0);
	check_eq("output: the producer moved past header and data", (long)*producer, 16);
	check_eqx("output: the header's length, not busy, not discarded", hdr_len(0), 8);
	check_eq("output: the header's page offset (Linux's layout)", hdr_pg_off(0), 3);
	check_eqx("output: the record", *(const uint64_t *)(data + 8), 0x1122334455667788ull);
	struct pollfd pfd = { .fd = ring_fd, .events = POLLIN };
	check_eq("poll: readable while a record waits", poll(&pfd, 1, 0), 1);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, out;
	epoll_ctl(ep, EPOLL_CTL_ADD, ring_fd, &ev);
	check_eq("epoll: readable too", epoll_wait(ep, &out, 1, 0), 1);
	*consumer = *producer; /* consumed */
	check_eq("poll: not readable once consumed", poll(&pfd, 1, 0), 0);
	check_eq("epoll: nor here", epoll_wait(ep, &out, 1, 0), 0);
	run(prog);
	check_eq("epoll: a new record wakes the waiter", epoll_wait(ep, &out, 1, 5000), 1);
	close(ep);
	*consumer = *producer;

	/* Fill the ring: a record is 16 bytes, the producer may run at most
	 * RING - 1 bytes ahead: 255 fit in 4096. */
	int fit = 0;
	long r = 0;
	while (fit < 300 && (r = run(prog)) == 0)
		fit++;
	check_eq("full: 255 records of 16 bytes fit in 4096", fit, 255);
	check_eq("full: output says -EAGAIN", r, -EAGAIN);
	*consumer = *producer; /* all read */
	while ((*producer & (RING - 1)) != RING - 16 && run(prog) == 0)
		*consumer = *producer; /* 16 bytes at a time, to 16 bytes before the end */
	close((int)prog);

	/* A 24-byte record (32 with its header) from offset 4080 runs off the
	 * end: its data continues at the start, at the next address. */
	prog = output_prog(24, 0);
	check_eq("wrap: a record across the end", run(prog), 0);
	uint64_t pos = *consumer;
	check_eq("wrap: it starts 16 bytes before the end", (long)(pos & (RING - 1)), RING - 16);
	const uint64_t *rec = (const uint64_t *)(data + (pos & (RING - 1)) + 8);
	check("wrap: read whole through the second mapping",
	      rec[0] == 0x1122334455667788ull && rec[1] == rec[0] && rec[2] == rec[0], "got %llx %llx %llx",
	      (unsigned long long)rec[0], (unsigned long long)rec[1], (unsigned long long)rec[2]);
	*consumer = *producer;
	check_eq("flags: an unknown output flag", run(output_prog(8, 4)), -EINVAL);
	close((int)prog);
}

static void test_reserve(void)
{
	long discard = reserve_prog(16, true), submit = reserve_prog(16, false), huge = reserve_prog(RING, true);
	if (discard < 0 || submit < 0 || huge < 0) {
		t_skip("reserve", "the programs do not load (no verifier in this kernel?)");
		return;
	}
	uint64_t pos = *producer;
	check_eq("discard: reserved", run(discard), 0);
	check_eqx("discard: the header says DISCARD, not BUSY", hdr_len(pos), BPF_RINGBUF_DISCARD_BIT | 16);
	check_eq("discard: the producer moved on", (long)(*producer - pos), 24);
	pos = *producer;
	check_eq("submit: reserved", run(submit), 0);
	check_eqx("submit: the header says 16 bytes", hdr_len(pos), 16);
	check_eqx("submit: the program wrote in place", *(const uint32_t *)(data + ((pos + 8) & (RING - 1))), 0x5a5a5a5a);
	check_eq("reserve of the whole ring: NULL", run(huge), 1);
	long avail = query_prog(BPF_RB_AVAIL_DATA), size = query_prog(BPF_RB_RING_SIZE);
	long prod = query_prog(BPF_RB_PROD_POS), cons = query_prog(BPF_RB_CONS_POS), bad = query_prog(99);
	check_eq("query: available data", run(avail), (long)(*producer - *consumer));
	check_eq("query: ring size", run(size), RING);
	check_eq("query: producer position", run(prod), (long)(uint32_t)*producer);
	check_eq("query: consumer position", run(cons), (long)(uint32_t)*consumer);
	check_eq("query: an unknown question is 0", run(bad), 0);
	*consumer = *producer;
	check_eq("query: nothing available once read", run(avail), 0);
	long progs[] = { discard, submit, huge, avail, size, prod, cons, bad };
	for (unsigned i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		close((int)progs[i]);
}

/* Rings made, written, mapped and closed: nothing lost (sysgate). */
static void leak_work(void)
{
	int saved = ring_fd;
	for (int i = 0; i < 50; i++) {
		union bpf_attr a;
		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_RINGBUF, a.max_entries = 4 * PAGE;
		ring_fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
		long prog = output_prog(8, BPF_RB_FORCE_WAKEUP);
		run(prog);
		void *r = mmap(NULL, 9 * PAGE, PROT_READ, MAP_SHARED, ring_fd, PAGE);
		if (r != MAP_FAILED) {
			(void)*(volatile uint8_t *)((uint8_t *)r + 5 * PAGE); /* the second copy */
			munmap(r, 9 * PAGE);
		}
		close((int)prog);
		close(ring_fd);
	}
	ring_fd = saved;
}

int main(void)
{
	t_begin("bpf_ringbuf");
	if (!map_ring())
		return t_end();
	test_output();
	test_reserve();
	if (on_sysgate())
		t_leak_test("50 rings written by a program, mapped and closed: no frame or heap byte lost", leak_work);
	else
		t_skip("leaks", "sysgate only (its /proc/meminfo counts frames and heap bytes)");
	return t_end();
}
