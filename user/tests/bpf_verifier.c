/*
 * The eBPF verifier, judged against Linux (course section: eBPF, the
 * revolution in kernel programming).
 *
 * The kernel runs code that user space hands it because a verifier proves
 * every path of that code safe first. This test loads each program of the
 * table (bpf_verifier_cases*.inc) with bpf(BPF_PROG_LOAD) and checks the
 * verdict is Linux's: accepted, or refused with Linux's errno and a log
 * that says why in Linux's words. Then the log's own rules: levels, sizes,
 * ENOSPC when it does not fit, the summary line. Runs as root on the host
 * Linux (the oracle) and booted in sysgate.
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

#define LOG_SIZE (1u << 16)
static char log_buf[LOG_SIZE];
#define BPF_LOG_STATS 4
static int map_fd[FD_LAST_PLACEHOLDER - FD_FIRST_PLACEHOLDER + 1];

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(uint32_t type, uint32_t key, uint32_t value, uint32_t entries)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key;
	a.value_size = value;
	a.max_entries = entries;
	return (int)sys_bpf(BPF_MAP_CREATE, &a);
}

/* The maps the placeholders name; 0 if one could not be made. */
static int make_maps(void)
{
	map_fd[FD_ARRAY - FD_FIRST_PLACEHOLDER] = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4);
	map_fd[FD_HASH - FD_FIRST_PLACEHOLDER] = map_create(BPF_MAP_TYPE_HASH, 8, 16, 16);
	map_fd[FD_RINGBUF - FD_FIRST_PLACEHOLDER] = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
	map_fd[FD_GLOBAL - FD_FIRST_PLACEHOLDER] = map_create(BPF_MAP_TYPE_ARRAY, 4, 16, 1);
	for (unsigned i = 0; i < sizeof(map_fd) / sizeof(map_fd[0]); i++)
		if (map_fd[i] < 0)
			return 0;
	return 1;
}

/* Loads prog (placeholders replaced); returns the fd or -1 with errno. */
static long load(uint32_t type, const struct bpf_insn *insns, uint32_t len, uint32_t level,
		 char *buf, uint32_t size)
{
	static struct bpf_insn copy[4096];
	if (len > sizeof(copy) / sizeof(copy[0]))
		return -1;
	memcpy(copy, insns, len * sizeof(*insns));
	for (uint32_t i = 0; i < len; i++) {
		int32_t imm = copy[i].imm;
		bool pseudo = copy[i].src_reg == BPF_PSEUDO_MAP_FD || copy[i].src_reg == BPF_PSEUDO_MAP_VALUE;
		if (copy[i].code == (BPF_LD | BPF_DW | BPF_IMM) && pseudo && imm >= FD_FIRST_PLACEHOLDER &&
		    imm <= FD_LAST_PLACEHOLDER)
			copy[i].imm = map_fd[imm - FD_FIRST_PLACEHOLDER];
	}
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insn_cnt = len;
	a.insns = (uint64_t)(uintptr_t)copy;
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_level = level;
	a.log_buf = (uint64_t)(uintptr_t)buf;
	a.log_size = size;
	if (buf == log_buf)
		buf[0] = 0;
	return sys_bpf(BPF_PROG_LOAD, &a);
}

/* The log's first line, for a failure message. */
static const char *first_line(const char *log)
{
	static char line[160];
	size_t n = strcspn(log, "\n");
	n = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	memcpy(line, log, n);
	line[n] = 0;
	return line;
}

/* The log's last line that is not empty, for a failure message. */
static const char *last_line(const char *log)
{
	static char line[160];
	size_t n = strlen(log);
	while (n && log[n - 1] == '\n')
		n--;
	size_t start = n;
	while (start && log[start - 1] != '\n')
		start--;
	size_t len = n - start < sizeof(line) - 1 ? n - start : sizeof(line) - 1;
	memcpy(line, log + start, len);
	line[len] = 0;
	return line;
}

/*
 * The verdict comes from a load without a log (a log that does not fit
 * would turn it into ENOSPC); the reason from a second load at log level 4
 * (BPF_LOG_STATS: the error and the summary, not the whole path).
 */
static void run_case(const struct vcase *c)
{
	long fd = load(c->prog_type, c->insns, c->len, 0, NULL, 0);
	int got = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		close((int)fd);
	fd = load(c->prog_type, c->insns, c->len, BPF_LOG_STATS, log_buf, LOG_SIZE);
	if (fd >= 0)
		close((int)fd);
	if (got != c->err) {
		t_fail(c->name, "expected %s, got %s (log: %s)", c->err ? errno_name(c->err) : "accepted",
		       got ? errno_name(got) : "accepted", first_line(log_buf));
		return;
	}
	if (c->log && !strstr(log_buf, c->log)) {
		t_fail(c->name, "%s as expected, but the log lacks \"%s\" (its first line: %s)",
		       errno_name(got), c->log, first_line(log_buf));
		return;
	}
	t_pass(c->name);
}

/* A program that walks a few hundred instructions, for the log tests. */
static const struct bpf_insn loop100[] = {
	I_MOV64_IMM(R0, 0), I_ALU64_IMM(BPF_ADD, R0, 1), I_JMP_IMM(BPF_JLT, R0, 100, -2), I_EXIT(),
};
#define LOOP100_LEN (uint32_t)(sizeof(loop100) / sizeof(loop100[0]))

static void test_log_rules(void)
{
	static char small[128];
	check_errno("log level 0 with a buffer: EINVAL", load(TP, loop100, LOOP100_LEN, 0, log_buf, LOG_SIZE), EINVAL);
	check_errno("log level 32: EINVAL", load(TP, loop100, LOOP100_LEN, 32, log_buf, LOG_SIZE), EINVAL);
	check_errno("a buffer of size 0: EINVAL", load(TP, loop100, LOOP100_LEN, 1, log_buf, 0), EINVAL);
	check_errno("a size without a buffer: EINVAL", load(TP, loop100, LOOP100_LEN, 1, NULL, 256), EINVAL);
	check_errno("a log at a kernel address: EFAULT",
		    load(TP, loop100, LOOP100_LEN, 2, (char *)0xffff800000000000ul, 256), EFAULT);
	check_errno("level 2 into 128 bytes: ENOSPC", load(TP, loop100, LOOP100_LEN, 2, small, sizeof(small)), ENOSPC);
	check("level 2 into 128 bytes: the buffer ends with a NUL", small[sizeof(small) - 1] == 0, "no NUL");
	check("level 2 into 128 bytes: the log's end is kept", strstr(small, " mark_read 0\n") != NULL, "%.127s", small);
	/* Linux 6.4+: no minimum size; the ring keeps the last size - 1 bytes. */
	static const struct bpf_insn ret0[] = { I_MOV64_IMM(R0, 0), I_EXIT() };
	char tiny[8];
	check_errno("level 1 into 8 bytes: ENOSPC", load(TP, ret0, 2, 1, tiny, sizeof(tiny)), ENOSPC);
	check("level 1 into 8 bytes: the last 7", !strcmp(tiny, "read 0\n"), "\"%.8s\"", tiny);
	long ok = load(TP, ret0, 2, 1, NULL, 0);
	check_ok("level 1 without a buffer: accepted", ok);
	if (ok >= 0)
		close((int)ok);

	long fd = load(TP, loop100, LOOP100_LEN, 1, log_buf, LOG_SIZE);
	check_ok("level 1, accepted", fd);
	check("level 1, accepted: the summary line",
	      strstr(log_buf, "processed 202 insns (limit 1000000) max_states_per_insn ") != NULL, "log: %s",
	      last_line(log_buf));
	check("level 1, accepted: only the summary", !strstr(log_buf, "R0_w="), "log: %.80s", log_buf);
	if (fd >= 0)
		close((int)fd);
	/* Level 2 logs the whole walk (on Linux also precision marks that grow
	 * with a loop's square): a straight program keeps it short. */
	static const struct bpf_insn line[] = { I_MOV64_IMM(R0, 0), I_ALU64_IMM(BPF_ADD, R0, 1), I_EXIT() };
	fd = load(TP, line, 3, 2, log_buf, LOG_SIZE);
	check_ok("level 2, accepted", fd);
	check("level 2: each instruction with its registers", strstr(log_buf, "1: (07) r0 += 1") != NULL,
	      "log: %.120s", log_buf);
	check("level 2: the summary line", strstr(log_buf, "total_states ") && strstr(log_buf, "peak_states "),
	      "log: %s", last_line(log_buf));
	if (fd >= 0)
		close((int)fd);
}

int main(void)
{
	t_begin("bpf_verifier");
	if (!make_maps()) {
		t_skip("all cases", "bpf(BPF_MAP_CREATE) failed: %s (needs root, and bpf(2))", errno_name(errno));
		return t_end();
	}
	for (unsigned i = 0; i < N_VCASES; i++)
		run_case(&vcases[i]);
	test_log_rules();
	return t_end();
}
