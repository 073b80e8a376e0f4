/*
 * Host unit test of the eBPF verifier, kernel/bpf/verifier*.c (course
 * section: eBPF, the revolution in kernel programming).
 *
 * The verifier is pure reasoning about instructions, so it runs here: every
 * program of the shared case table (user/tests/bpf_verifier_cases.h, whose
 * verdicts come from Linux 6.18) goes through bpf_check(), and the verdict
 * and the log's reason must be Linux's. Then what the kernel relies on
 * beyond the verdict: map references taken only on success, nothing leaked,
 * map ld_imm64 rewritten to addresses, stack_depth and verified_insns.
 * The stand-ins below play the kernel's parts: memory, user copies, maps and
 * the helpers' prototypes (a few, with Linux's argument types).
 *
 * UNIT_SOURCES: kernel/bpf/verifier.c kernel/bpf/verifier_cfg.c kernel/bpf/verifier_states.c kernel/bpf/verifier_live.c kernel/bpf/verifier_regs.c kernel/bpf/verifier_branch.c kernel/bpf/verifier_mem.c kernel/bpf/verifier_calls.c kernel/bpf/verifier_log.c kernel/bpf/verifier_disasm.c kernel/bpf/tnum.c kernel/bpf/ctx_access.c libc/format.c
 */
#include "unit.h"
#include "kernel/bpf/verifier.h"

#include <errno.h>
#include <string.h>

#include "user/tests/bpf_verifier_cases.h"

/* --- stand-ins for the kernel --- */
static long live_blocks;
void *kmalloc(size_t size) { live_blocks++; return malloc(size); }
void *kzalloc(size_t size) { live_blocks++; return calloc(1, size); }
void kfree(void *p) { if (p) live_blocks--; free(p); }
int copy_to_user(void *dst, const void *src, size_t n) { memcpy(dst, src, n); return 0; }
int copy_from_user(void *dst, const void *src, size_t n) { memcpy(dst, src, n); return 0; }
uint64_t clock_monotonic_ns(void) { return 0; }
bool verifier_interrupted(void) { return false; } /* no scheduler, no signals here */

void diag_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static long global_value_addr(const struct bpf_map *map, uint64_t *addr, uint32_t off)
{
	if (off >= map->value_size)
		return -EACCES;
	static uint8_t value[16];
	*addr = (uint64_t)(uintptr_t)value + off;
	return 0;
}

static const struct bpf_map_ops global_ops = { .direct_value_addr = global_value_addr };

/* The maps the case table's placeholder fds name. */
static struct bpf_map maps[] = {
	{ .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8, .max_entries = 4, .id = 1 },
	{ .type = BPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16, .max_entries = 16, .id = 2 },
	{ .type = BPF_MAP_TYPE_RINGBUF, .max_entries = 4096, .id = 3 },
	{ .ops = &global_ops, .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 16, .max_entries = 1, .id = 4 },
};

struct bpf_map *bpf_map_get_fd(int fd, long *err)
{
	if (fd < FD_FIRST_PLACEHOLDER || fd > FD_LAST_PLACEHOLDER) {
		*err = -EBADF;
		return NULL;
	}
	maps[fd - FD_FIRST_PLACEHOLDER].refs++;
	return &maps[fd - FD_FIRST_PLACEHOLDER];
}

void bpf_map_put(struct bpf_map *map) { map->refs--; }

#define P(id, ret, ...) [id] = { .name = #id, .ret_type = ret, .arg_type = { __VA_ARGS__ } }
static const struct bpf_func_proto protos[] = {
	P(BPF_FUNC_map_lookup_elem, RET_PTR_TO_MAP_VALUE_OR_NULL, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY),
	P(BPF_FUNC_map_update_elem, RET_INTEGER, ARG_CONST_MAP_PTR, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE,
	  ARG_ANYTHING),
	P(BPF_FUNC_ktime_get_ns, RET_INTEGER),
	P(BPF_FUNC_trace_printk, RET_INTEGER, ARG_PTR_TO_MEM, ARG_CONST_SIZE),
	P(BPF_FUNC_get_current_pid_tgid, RET_INTEGER),
	P(BPF_FUNC_get_current_comm, RET_INTEGER, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
	P(BPF_FUNC_probe_read_kernel, RET_INTEGER, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
	P(BPF_FUNC_ringbuf_output, RET_INTEGER, ARG_CONST_MAP_PTR, ARG_PTR_TO_MEM, ARG_CONST_SIZE_OR_ZERO,
	  ARG_ANYTHING),
	P(BPF_FUNC_ringbuf_reserve, RET_PTR_TO_ALLOC_MEM_OR_NULL, ARG_CONST_MAP_PTR, ARG_CONST_ALLOC_SIZE_OR_ZERO,
	  ARG_ANYTHING),
	P(BPF_FUNC_ringbuf_submit, RET_VOID, ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING),
	P(BPF_FUNC_ringbuf_discard, RET_VOID, ARG_PTR_TO_ALLOC_MEM, ARG_ANYTHING),
	P(BPF_FUNC_get_stackid, RET_INTEGER, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING),
};

/* Socket filters get only the base helpers (no stacks, no task). */
const struct bpf_func_proto *bpf_func_proto(uint32_t prog_type, int32_t id)
{
	if (id < 0 || id >= (int32_t)ARRAY_SIZE(protos) || !protos[id].name)
		return NULL;
	if (prog_type == BPF_PROG_TYPE_SOCKET_FILTER && id == BPF_FUNC_get_stackid)
		return NULL;
	return &protos[id];
}

/* --- the checks --- */
static char log_buf[1 << 16];

static long check_one(const struct vcase *c, struct bpf_prog *prog, struct bpf_insn *insns)
{
	memcpy(insns, c->insns, c->len * sizeof(*insns));
	memset(prog, 0, sizeof(*prog));
	prog->type = c->prog_type;
	prog->len = c->len;
	prog->insns = insns;
	prog->gpl_compatible = true;
	log_buf[0] = 0;
	return bpf_check(prog, BPF_LOG_STATS, log_buf, sizeof(log_buf));
}

static void check_table(void)
{
	static struct bpf_insn insns[256];
	struct bpf_prog prog;
	for (size_t i = 0; i < N_VCASES; i++) {
		const struct vcase *c = &vcases[i];
		long got = check_one(c, &prog, insns);
		bool ok = got == -c->err && (!c->log || strstr(log_buf, c->log));
		if (!ok)
			printf("     log: %s", log_buf);
		CHECK(c->name, ok);
		CHECK_EQ("references: one per map on success, none on failure", prog.n_used_maps,
			 got ? 0 : prog.n_used_maps);
		for (uint32_t m = 0; m < prog.n_used_maps; m++)
			bpf_map_put(prog.used_maps[m]);
	}
	long refs = 0;
	for (size_t m = 0; m < ARRAY_SIZE(maps); m++)
		refs += maps[m].refs;
	CHECK_EQ("every map reference given back", refs, 0);
	CHECK_EQ("nothing left allocated", live_blocks, 0);
}

/* What a successful check leaves in the program for the loader and the interpreter. */
static void check_results(void)
{
	static struct bpf_insn insns[256];
	struct bpf_prog prog;
	const struct vcase *lookup = &vcases[0];
	for (size_t i = 0; i < N_VCASES; i++)
		if (!strcmp(vcases[i].name, "array lookup, NULL check, read"))
			lookup = &vcases[i];
	CHECK_EQ("array lookup: accepted", check_one(lookup, &prog, insns), 0);
	CHECK_EQ("array lookup: one map used", prog.n_used_maps, 1);
	uint64_t addr = (uint32_t)insns[3].imm | ((uint64_t)(uint32_t)insns[4].imm << 32);
	CHECK("array lookup: ld_imm64 holds the map's address", addr == (uint64_t)(uintptr_t)&maps[0] &&
	      insns[3].src_reg == 0);
	CHECK_EQ("array lookup: stack_depth", prog.stack_depth, 8);
	CHECK_EQ("array lookup: verified_insns (Linux: processed 8)", prog.verified_insns, 8);
	bpf_map_put(prog.used_maps[0]);
	CHECK_EQ("nothing left allocated after success", live_blocks, 0);
}

static void check_log_sizes(void)
{
	static struct bpf_insn insns[256];
	struct bpf_prog prog;
	char small[128];
	memcpy(insns, vcases[0].insns, vcases[0].len * sizeof(insns[0]));
	prog = (struct bpf_prog){ .type = BPF_PROG_TYPE_TRACEPOINT, .len = vcases[0].len, .insns = insns };
	CHECK_EQ("log: level 2 into 128 bytes is ENOSPC", bpf_check(&prog, 2, small, sizeof(small)), -ENOSPC);
	CHECK("log: the cut log ends with a NUL", small[sizeof(small) - 1] == 0);
	CHECK("log: the cut log keeps its end (the summary)", strstr(small, "peak_states 0 mark_read 0\n") != NULL);
	char tiny[8];
	CHECK_EQ("log: level 1 into 8 bytes is ENOSPC", bpf_check(&prog, 1, tiny, sizeof(tiny)), -ENOSPC);
	CHECK("log: 8 bytes keep the last 7, as Linux's \"read 0\\n\"", !strcmp(tiny, "read 0\n"));
	CHECK_EQ("log: level 1 of an accepted program fits", bpf_check(&prog, 1, small, sizeof(small)), 0);
	CHECK("log: level 1 of an accepted program is the summary", !strncmp(small, "processed 2 insns", 17));
	CHECK_EQ("log: a buffer with level 0 is EINVAL", bpf_check(&prog, 0, small, sizeof(small)), -EINVAL);
	CHECK_EQ("log: level 16 is EINVAL", bpf_check(&prog, 16, small, sizeof(small)), -EINVAL);
	CHECK_EQ("log: nothing left allocated", live_blocks, 0);
}

int main(void)
{
	unit_suite = "bpf_verifier";
	check_table();
	check_results();
	check_log_sizes();
	return unit_done();
}
