/*
 * BPF programs loaded, run and attached, judged against Linux (course
 * sections: eBPF, the revolution in kernel programming; advanced eBPF
 * tracing).
 *
 * Hand-assembled programs (bpf_insn.h) run by BPF_PROG_TEST_RUN: a socket
 * filter's packet (skb->len, LD_ABS, data_out, repeat, ENOSPC), map helpers
 * counting runs, the current task's helpers from a raw tracepoint program,
 * tail calls. Then attached for real: to a syscall tracepoint through
 * perf_event_open and PERF_EVENT_IOC_SET_BPF (the program sees the record
 * and decides what the perf event counts; closing the event detaches it),
 * to the raw tracepoint sys_enter (Linux's pt_regs), and bpf_trace_printk's
 * line in trace_pipe. Then a program's info: its tag (Linux 6.x's, from
 * SHA-256), name, instructions and maps. Runs as root on Linux and sysgate.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "bpf_insn.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define ENOTSUPP 524
#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R10 BPF_REG_10
#define PACKET 64
#define MAGIC_FD 7777 /* close(MAGIC_FD) is what the attached programs look for */
#define PT_REGS_RDI (14 * 8)

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int load(uint32_t type, const struct bpf_insn *insns, size_t bytes, const char *name)
{
	union bpf_attr a;
	static char log[8192];
	memset(&a, 0, sizeof(a));
	a.prog_type = type, a.insn_cnt = (uint32_t)(bytes / sizeof(*insns)), a.insns = (uint64_t)insns;
	a.license = (uint64_t)"GPL", a.log_buf = (uint64_t)log, a.log_size = sizeof(log), a.log_level = 1;
	strncpy(a.prog_name, name, sizeof(a.prog_name) - 1);
	int fd = (int)bpf(BPF_PROG_LOAD, &a);
	if (fd < 0)
		printf("# %s refused: %s\n%.600s\n", name, errno_name(errno), log);
	return fd;
}
#define LOAD(type, insns, name) load(type, insns, sizeof(insns), name)

static int map_create(uint32_t type, uint32_t key, uint32_t value, uint32_t entries)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type, a.key_size = key, a.value_size = value, a.max_entries = entries;
	return (int)bpf(BPF_MAP_CREATE, &a);
}

static uint64_t map_get(int fd, uint32_t key)
{
	uint64_t v = 0;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd, a.key = (uint64_t)&key, a.value = (uint64_t)&v;
	bpf(BPF_MAP_LOOKUP_ELEM, &a);
	return v;
}

static long map_set(int fd, uint32_t key, uint32_t value)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd, a.key = (uint64_t)&key, a.value = (uint64_t)&value;
	return bpf(BPF_MAP_UPDATE_ELEM, &a);
}

/* TEST_RUN a socket filter on a packet; retval, or -1 with errno. */
static long run_skb(int fd, uint8_t *packet, uint32_t size, uint32_t repeat, union bpf_attr *out)
{
	memset(out, 0, sizeof(*out));
	out->test.prog_fd = (uint32_t)fd, out->test.data_in = (uint64_t)packet, out->test.data_size_in = size;
	out->test.data_out = (uint64_t)packet, out->test.data_size_out = size, out->test.repeat = repeat;
	return bpf(BPF_PROG_TEST_RUN, out) ? -1 : (long)out->test.retval;
}

static long run_raw(int fd, const uint64_t *args, uint32_t nargs)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd, a.test.ctx_in = (uint64_t)args, a.test.ctx_size_in = nargs * 8;
	return bpf(BPF_PROG_TEST_RUN, &a) ? -1 : (long)a.test.retval;
}

static void socket_filter(void)
{
	/* r0 = skb->len + (packet[0..1] after the Ethernet header, big-endian) */
	static const struct bpf_insn prog[] = {
		I_MOV64_REG(R6, R1), I_LDX(BPF_W, R0, R1, 0), I_MOV64_REG(R7, R0), I_LD_ABS(BPF_H, 0),
		I_ALU64_REG(BPF_ADD, R0, R7), I_EXIT(), /* LD_ABS clobbers r1-r5, as a call */
	};
	uint8_t packet[PACKET] = { 0 };
	packet[14] = 0x01, packet[15] = 0x02;
	int fd = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, prog, "sg_skb");
	if (!check_ok("load a socket filter", fd))
		return;
	union bpf_attr a;
	check_eq("skb->len counts the bytes after the Ethernet header; LD_ABS reads there",
		 run_skb(fd, packet, PACKET, 1, &a), PACKET - 14 + 0x0102);
	check_eq("data_size_out is the whole packet", a.test.data_size_out, PACKET);
	check_ok("repeat 1000", run_skb(fd, packet, PACKET, 1000, &a));
	check_errno("a packet shorter than an Ethernet header: EINVAL", run_skb(fd, packet, 13, 1, &a), EINVAL);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd, a.test.data_in = (uint64_t)packet, a.test.data_size_in = PACKET;
	a.test.data_out = (uint64_t)packet, a.test.data_size_out = 20;
	check_errno("data_size_out smaller than the packet: ENOSPC", bpf(BPF_PROG_TEST_RUN, &a), ENOSPC);
	check_eq("and data_size_out says the whole size", a.test.data_size_out, PACKET);
	a.test.data_size_out = 0, a.test.data_in = 0xffffffff81000000ul;
	check_errno("data_in at a kernel address: EFAULT", bpf(BPF_PROG_TEST_RUN, &a), EFAULT);
	close(fd);
}

/* A program that adds 1 to array[0] with an atomic add, and returns the new count. */
static void map_helpers(void)
{
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	struct bpf_insn prog[] = {
		I_ST(BPF_W, R10, -4, 0), I_LD_MAP_FD(R1, map), I_MOV64_REG(R2, R10), I_ALU64_IMM(BPF_ADD, R2, -4),
		I_CALL(BPF_FUNC_map_lookup_elem), I_JMP_IMM(BPF_JEQ, R0, 0, 4), I_MOV64_IMM(R1, 1),
		I_ATOMIC_ADD(BPF_DW, R0, R1, 0), I_LDX(BPF_DW, R0, R0, 0), I_EXIT(), I_MOV64_IMM(R0, 0), I_EXIT(),
	};
	int fd = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, prog, "sg_count");
	if (!check_ok("load a program using a map", fd))
		return;
	uint8_t packet[PACKET] = { 0 };
	union bpf_attr a;
	check_eq("repeat 10: the last run saw 10", run_skb(fd, packet, PACKET, 10, &a), 10);
	check_eq("user space reads 10 in the map", (long)map_get(map, 0), 10);
	close(map); /* the program keeps the map */
	check_eq("the map lives while the program holds it", run_skb(fd, packet, PACKET, 1, &a), 11);
	close(fd);
}

/* pid_tgid's low half is the thread id; uid_gid's the uid; comm's first 4 bytes. */
static void task_helpers(void)
{
	static const struct bpf_insn pid[] = { I_CALL(BPF_FUNC_get_current_pid_tgid), I_EXIT() };
	static const struct bpf_insn tgid[] = { I_CALL(BPF_FUNC_get_current_pid_tgid), I_ALU64_IMM(BPF_RSH, R0, 32),
						I_EXIT() };
	static const struct bpf_insn uid[] = { I_CALL(BPF_FUNC_get_current_uid_gid), I_EXIT() };
	static const struct bpf_insn comm[] = {
		I_MOV64_REG(R1, R10), I_ALU64_IMM(BPF_ADD, R1, -16), I_MOV64_IMM(R2, 16),
		I_CALL(BPF_FUNC_get_current_comm), I_LDX(BPF_W, R0, R10, -16), I_EXIT(),
	};
	static const struct bpf_insn arg1[] = { I_LDX(BPF_DW, R0, R1, 8), I_EXIT() };
	int f[5] = { LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, pid, "sg_pid"), LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, tgid, "sg_tgid"),
		     LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, uid, "sg_uid"), LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, comm, "sg_comm"),
		     LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, arg1, "sg_arg1") };
	if (!check("load five raw tracepoint programs", f[0] >= 0 && f[1] >= 0 && f[2] >= 0 && f[3] >= 0 && f[4] >= 0,
		   "a load failed"))
		return;
	uint64_t args[2] = { 0, 123456 };
	check_eq("get_current_pid_tgid: the thread id below", run_raw(f[0], NULL, 0), syscall(SYS_gettid));
	check_eq("get_current_pid_tgid: the process id above", run_raw(f[1], NULL, 0), getpid());
	check_eq("get_current_uid_gid: the uid below", run_raw(f[2], NULL, 0), getuid());
	char name[17] = "";
	long got = prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0);
	long comm4 = run_raw(f[3], NULL, 0);
	check("get_current_comm: the first four bytes of the task's name", got == 0 && comm4 == (long)(*(uint32_t *)name),
	      "name %.16s, program's %.4s", name, (const char *)&comm4);
	check_eq("a raw tracepoint program reads ctx_in's args[1]", run_raw(f[4], args, 2), 123456);
	if (on_sysgate()) /* Linux compares ctx_in with the furthest read the verifier saw */
		t_skip("ctx_in shorter than the program reads: EINVAL", "the verifier does not record max_ctx_offset yet");
	else
		check_errno("ctx_in shorter than the program reads: EINVAL", run_raw(f[4], args, 1), EINVAL);
	check_errno("ctx_in of 13 args: EINVAL", run_raw(f[4], args, 13), EINVAL);
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)f[0], a.test.repeat = 2;
	check_errno("repeat for a raw tracepoint: EINVAL", bpf(BPF_PROG_TEST_RUN, &a), EINVAL);
	static const struct bpf_insn ret0[] = { I_MOV64_IMM(R0, 0), I_EXIT() };
	int kp = LOAD(BPF_PROG_TYPE_KPROBE, ret0, "sg_kprobe"), tp = LOAD(BPF_PROG_TYPE_TRACEPOINT, ret0, "sg_tp");
	check_errno("TEST_RUN of a kprobe program: ENOTSUPP", run_raw(kp, NULL, 0), ENOTSUPP);
	check_errno("TEST_RUN of a tracepoint program: ENOTSUPP", run_raw(tp, NULL, 0), ENOTSUPP);
	for (int i = 0; i < 5; i++)
		close(f[i]);
	close(kp), close(tp);
}

/* Slot 0 tail-calls slot 1, which returns 42; slot 1 empty: fall through to 7. */
static void tail_calls(void)
{
	int arr = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2);
	if (arr < 0) {
		t_skip("tail calls", "no PROG_ARRAY map: %s", errno_name(errno));
		return;
	}
	struct bpf_insn caller[] = {
		I_LD_MAP_FD(R2, arr), I_MOV64_IMM(R3, 1), I_CALL(BPF_FUNC_tail_call), I_MOV64_IMM(R0, 7), I_EXIT(),
	};
	static const struct bpf_insn callee[] = { I_MOV64_IMM(R0, 42), I_EXIT() };
	int a = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, caller, "sg_caller"), b = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, callee, "sg_callee");
	uint8_t packet[PACKET] = { 0 };
	union bpf_attr out;
	check_eq("a tail call to an empty slot falls through", run_skb(a, packet, PACKET, 1, &out), 7);
	check_ok("put the callee in slot 1", map_set(arr, 1, (uint32_t)b));
	check_eq("a tail call runs the callee, whose exit returns", run_skb(a, packet, PACKET, 1, &out), 42);
	close(b); /* the slot holds it */
	check_eq("the slot keeps the callee alive", run_skb(a, packet, PACKET, 1, &out), 42);
	close(a), close(arr);
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

static void close_magic(int times)
{
	for (int i = 0; i < times; i++)
		close(MAGIC_FD);
}

/* Count every close in array[0]; let the perf event count only close(MAGIC_FD). */
static void perf_attach(void)
{
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1), id = tracepoint_id("syscalls/sys_enter_close");
	struct bpf_insn prog[] = {
		I_LDX(BPF_DW, R6, R1, 16), I_ST(BPF_W, R10, -4, 0), I_LD_MAP_FD(R1, map), I_MOV64_REG(R2, R10),
		I_ALU64_IMM(BPF_ADD, R2, -4), I_CALL(BPF_FUNC_map_lookup_elem), I_JMP_IMM(BPF_JEQ, R0, 0, 2),
		I_MOV64_IMM(R1, 1), I_ATOMIC_ADD(BPF_DW, R0, R1, 0), I_MOV64_IMM(R0, 0),
		I_JMP_IMM(BPF_JNE, R6, MAGIC_FD, 1), I_MOV64_IMM(R0, 1), I_EXIT(),
	};
	int fd = LOAD(BPF_PROG_TYPE_TRACEPOINT, prog, "sg_close");
	struct perf_event_attr pa;
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_TRACEPOINT, pa.size = sizeof(pa), pa.config = (uint64_t)id;
	int ev = id < 0 ? -1 : (int)syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);
	if (!check("a tracepoint program and a sys_enter_close perf event", fd >= 0 && ev >= 0, "id %d: %s", id,
		   errno_name(errno)))
		return;
	check_errno("SET_BPF with a map's fd: EINVAL", ioctl(ev, PERF_EVENT_IOC_SET_BPF, map), EINVAL);
	check_ok("PERF_EVENT_IOC_SET_BPF", ioctl(ev, PERF_EVENT_IOC_SET_BPF, fd));
	check_errno("a second SET_BPF: EEXIST", ioctl(ev, PERF_EVENT_IOC_SET_BPF, fd), EEXIST);
	close(fd); /* the event holds the program */
	int spare = dup(0);
	close(spare);
	close_magic(3);
	uint64_t count = 0;
	check_eq("the perf event counts only what the program let through", read(ev, &count, 8), 8);
	check_eq("three close(7777)", (long)count, 3);
	check("the program saw every close", map_get(map, 0) >= 4, "array[0] = %lu", (unsigned long)map_get(map, 0));
	close(ev);
	uint64_t before = map_get(map, 0);
	close_magic(2);
	check_eq("closing the perf event detaches the program", (long)(map_get(map, 0) - before), 0);
	close(map);
}

/* A kprobe program on sys_close (sysgate only: the host forbids kprobes):
 * ctx is Linux's pt_regs of the probed instruction, rdi the syscall's regs. */
static void kprobe_attach(void)
{
	if (!on_sysgate()) {
		t_skip("a KPROBE program on a kprobe perf event", "sysgate only (kprobes are forbidden on the host)");
		return;
	}
	char buf[16] = "";
	int tfd = open("/sys/bus/event_source/devices/kprobe/type", O_RDONLY);
	if (tfd < 0 || read(tfd, buf, sizeof(buf) - 1) <= 0) {
		t_skip("a KPROBE program on a kprobe perf event", "no kprobe PMU");
		return;
	}
	close(tfd);
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	struct bpf_insn prog[] = {
		I_ST(BPF_W, R10, -4, 0), I_LD_MAP_FD(R1, map), I_MOV64_REG(R2, R10), I_ALU64_IMM(BPF_ADD, R2, -4),
		I_CALL(BPF_FUNC_map_lookup_elem), I_JMP_IMM(BPF_JEQ, R0, 0, 2), I_MOV64_IMM(R1, 1),
		I_ATOMIC_ADD(BPF_DW, R0, R1, 0), I_MOV64_IMM(R0, 0), I_EXIT(),
	};
	int fd = LOAD(BPF_PROG_TYPE_KPROBE, prog, "sg_kprobe");
	struct perf_event_attr pa;
	memset(&pa, 0, sizeof(pa));
	pa.type = (uint32_t)atoi(buf), pa.size = sizeof(pa), pa.config1 = (uint64_t)"sys_getppid";
	int ev = (int)syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);
	if (!check("a kprobe program and a sys_getppid kprobe event", fd >= 0 && ev >= 0, "%s", errno_name(errno)))
		return;
	int tp_prog = LOAD(BPF_PROG_TYPE_TRACEPOINT, prog, "sg_not_kprobe");
	check_errno("a TRACEPOINT program on a kprobe event: EINVAL", ioctl(ev, PERF_EVENT_IOC_SET_BPF, tp_prog), EINVAL);
	check_ok("PERF_EVENT_IOC_SET_BPF on the kprobe event", ioctl(ev, PERF_EVENT_IOC_SET_BPF, fd));
	for (int i = 0; i < 4; i++)
		getppid();
	uint64_t count = 99;
	read(ev, &count, 8);
	check_eq("the program ran at each of 4 hits", (long)map_get(map, 0), 4);
	check_eq("and returned 0: the event counted none", (long)count, 0);
	close(ev), close(fd), close(tp_prog), close(map);
}

/* sys_enter's args[0] is Linux's pt_regs: rdi at 14 * 8; args[1] the number. */
static void raw_attach(void)
{
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	struct bpf_insn prog[] = {
		I_LDX(BPF_DW, R2, R1, 8), I_JMP_IMM(BPF_JNE, R2, SYS_close, 17), I_LDX(BPF_DW, R3, R1, 0),
		I_ALU64_IMM(BPF_ADD, R3, PT_REGS_RDI), I_MOV64_REG(R1, R10), I_ALU64_IMM(BPF_ADD, R1, -8),
		I_MOV64_IMM(R2, 8), I_CALL(BPF_FUNC_probe_read_kernel), I_LDX(BPF_DW, R6, R10, -8),
		I_JMP_IMM(BPF_JNE, R6, MAGIC_FD, 9), I_ST(BPF_W, R10, -12, 0), I_LD_MAP_FD(R1, map),
		I_MOV64_REG(R2, R10), I_ALU64_IMM(BPF_ADD, R2, -12), I_CALL(BPF_FUNC_map_lookup_elem),
		I_JMP_IMM(BPF_JEQ, R0, 0, 2), I_MOV64_IMM(R1, 1), I_ATOMIC_ADD(BPF_DW, R0, R1, 0),
		I_MOV64_IMM(R0, 0), I_EXIT(),
	};
	int fd = LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, prog, "sg_raw");
	if (!check_ok("load a raw sys_enter program", fd))
		return;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uint64_t)"no_such_tracepoint", a.raw_tracepoint.prog_fd = (uint32_t)fd;
	check_errno("an unknown raw tracepoint: ENOENT", bpf(BPF_RAW_TRACEPOINT_OPEN, &a), ENOENT);
	a.raw_tracepoint.name = 0xffffffff81000000ul;
	check_errno("a name at a kernel address: EFAULT", bpf(BPF_RAW_TRACEPOINT_OPEN, &a), EFAULT);
	a.raw_tracepoint.name = (uint64_t)"sys_enter";
	int link = (int)bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
	if (!check_ok("BPF_RAW_TRACEPOINT_OPEN sys_enter", link))
		return;
	close(fd); /* the link holds the program */
	close_magic(3);
	check_eq("the program saw close(7777) three times through pt_regs->di", (long)map_get(map, 0), 3);
	close(link);
	close_magic(2);
	check_eq("closing the link detaches it", (long)map_get(map, 0), 3);
	close(map);
}

/* bpf_trace_printk("sg printk %d\n", 4242) shows in trace_pipe. */
static void trace_printk(void)
{
	static const struct bpf_insn prog[] = {
		I_LD_IMM64(R1, 0x6972702067732f2full), I_STX(BPF_DW, R10, R1, -24), /* "//sg pri" */
		I_LD_IMM64(R1, 0x000a6425206b746eull), I_STX(BPF_DW, R10, R1, -16), /* "ntk %d\n\0" */
		I_MOV64_REG(R1, R10), I_ALU64_IMM(BPF_ADD, R1, -22), I_MOV64_IMM(R2, 14), I_MOV64_IMM(R3, 4242),
		I_CALL(BPF_FUNC_trace_printk), I_EXIT(),
	};
	int fd = LOAD(BPF_PROG_TYPE_RAW_TRACEPOINT, prog, "sg_printk");
	int pipe_fd = open("/sys/kernel/tracing/trace_pipe", O_RDONLY | O_NONBLOCK);
	if (!check("a printing program and trace_pipe", fd >= 0 && pipe_fd >= 0, "%s", errno_name(errno)))
		return;
	check_eq("bpf_trace_printk returns the characters written", run_raw(fd, NULL, 0), 15);
	static char buf[65536];
	size_t have = 0;
	bool found = false;
	for (int tries = 0; tries < 300 && !found; tries++) {
		ssize_t n = read(pipe_fd, buf + have, sizeof(buf) - 1 - have);
		if (n > 0)
			have += (size_t)n;
		buf[have] = 0;
		found = strstr(buf, "bpf_trace_printk: sg printk 4242\n") != NULL;
		if (have > sizeof(buf) / 2)
			have = 0;
		if (!found)
			usleep(10000);
	}
	if (!found) { /* another reader of the host's trace_pipe may have taken it: the trace file keeps it */
		int t = open("/sys/kernel/tracing/trace", O_RDONLY);
		ssize_t n;
		have = 0;
		while (t >= 0 && !found && (n = read(t, buf + have, sizeof(buf) - 1 - have)) > 0) {
			have += (size_t)n;
			buf[have] = 0;
			found = strstr(buf, "bpf_trace_printk: sg printk 4242\n") != NULL;
			if (have > sizeof(buf) / 2) { /* keep the last part, where a line may be cut */
				memmove(buf, buf + have - 256, 256);
				have = 256;
			}
		}
		if (t >= 0)
			close(t);
	}
	check("trace_pipe shows 'bpf_trace_printk: sg printk 4242'", found, "not found");
	close(pipe_fd), close(fd);
}

static void prog_info(void)
{
	static const struct bpf_insn ret7[] = { I_MOV64_IMM(R0, 7), I_EXIT() };
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	struct bpf_insn uses_map[] = { I_LD_MAP_FD(R1, map), I_MOV64_IMM(R0, 0), I_EXIT() };
	int fd = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, ret7, "sg_info"), mfd = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, uses_map, "sg_info_map");
	if (!check("load two programs", fd >= 0 && mfd >= 0, "%s", errno_name(errno)))
		return;
	struct bpf_prog_info info;
	struct bpf_insn xlated[4];
	uint32_t ids[2] = { 0, 0 };
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	memset(&info, 0, sizeof(info));
	a.info.bpf_fd = (uint32_t)fd, a.info.info_len = sizeof(info), a.info.info = (uint64_t)&info;
	check_ok("OBJ_GET_INFO_BY_FD of a program", bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	static const uint8_t tag[8] = { 0x9e, 0xfe, 0x88, 0x73, 0x12, 0x07, 0x41, 0xb3 };
	check("its tag is Linux's (SHA-256 of the instructions)", !memcmp(info.tag, tag, 8), "%02x%02x%02x%02x...",
	      info.tag[0], info.tag[1], info.tag[2], info.tag[3]);
	check("type, name, id, GPL, 16 bytes of instructions", info.type == BPF_PROG_TYPE_SOCKET_FILTER &&
	      !strcmp(info.name, "sg_info") && info.id > 0 && info.gpl_compatible && info.xlated_prog_len == 16,
	      "type %u name %s id %u xlated %u", info.type, info.name, info.id, info.xlated_prog_len);
	char path[64], text[512] = "";
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int ifd = open(path, O_RDONLY);
	ssize_t n = ifd >= 0 ? read(ifd, text, sizeof(text) - 1) : -1;
	if (ifd >= 0)
		close(ifd);
	check("fdinfo has Linux's program lines", n > 0 && strstr(text, "\nprog_type:\t1\nprog_jited:\t") &&
	      strstr(text, "\nprog_tag:\t9efe8873120741b3\n") && strstr(text, "\nverified_insns:\t2\n"), "%s", text);
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 2, info.map_ids = (uint64_t)ids, info.xlated_prog_len = sizeof(xlated);
	info.xlated_prog_insns = (uint64_t)xlated;
	a.info.bpf_fd = (uint32_t)mfd, a.info.info_len = sizeof(info);
	check_ok("info with map ids and instructions asked for", bpf(BPF_OBJ_GET_INFO_BY_FD, &a));
	struct bpf_map_info mi;
	union bpf_attr m;
	memset(&m, 0, sizeof(m));
	memset(&mi, 0, sizeof(mi));
	m.info.bpf_fd = (uint32_t)map, m.info.info_len = sizeof(mi), m.info.info = (uint64_t)&mi;
	bpf(BPF_OBJ_GET_INFO_BY_FD, &m);
	check("one map id, the map's", info.nr_map_ids == 1 && ids[0] == mi.id, "nr %u id %u, map %u",
	      info.nr_map_ids, ids[0], mi.id);
	check("the dump names the map by id, not by address",
	      xlated[0].src_reg == BPF_PSEUDO_MAP_FD && (uint32_t)xlated[0].imm == mi.id && xlated[1].imm == 0,
	      "src %u imm %d", xlated[0].src_reg, xlated[0].imm);
	close(fd), close(mfd), close(map);
}

int main(void)
{
	t_begin("bpf_prog");
	static const struct bpf_insn ret0[] = { I_MOV64_IMM(R0, 0), I_EXIT() };
	int fd = LOAD(BPF_PROG_TYPE_SOCKET_FILTER, ret0, "sg_probe");
	if (fd < 0) {
		t_skip("all cases", "BPF_PROG_LOAD failed: %s (needs root, bpf(2) and its verifier)", errno_name(errno));
		return t_end();
	}
	close(fd);
	socket_filter();
	map_helpers();
	task_helpers();
	tail_calls();
	perf_attach();
	kprobe_attach();
	raw_attach();
	trace_printk();
	prog_info();
	return t_end();
}
