/*
 * The verifier's log, in Linux's words (course section: eBPF, the
 * revolution in kernel programming).
 *
 * A refused program gets a reason, and the log is where a student learns
 * what the verifier knew: at log_level 1 the instructions of the path that
 * failed, each with the registers it changed, then the error; at level 2
 * every instruction walked; level 4 adds the verification time and stack
 * depth. Every log ends with Linux's summary line ("processed N insns
 * (limit 1000000) ...").
 *
 * The log is written straight into the user's buffer. Level 1 forgets a
 * finished path (its lines are overwritten by the next path's), but a log
 * that ever grew past the buffer makes bpf() fail with ENOSPC, as Linux's
 * does, even if the program is fine; what stays is the log's end.
 */
#include "kernel/bpf/verifier.h"
#include "drivers/timer.h"
#include "kernel/debug/diag.h"
#include "libc/format.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

struct vlog {
	uint32_t level;
	char __user *ubuf;
	uint32_t size;
	uint64_t pos;     /* where the next byte goes */
	uint64_t max_pos; /* the furthest the log ever reached */
	bool fault;       /* the buffer could not be written */
	bool open_line;   /* an instruction's line waits for its register changes */
	uint32_t line_start;
};

long vlog_init(struct venv *env, uint32_t level, char __user *buf, uint32_t size)
{
	/* Linux's rules: buffer and size together, a buffer needs a level, known bits only. */
	if (!!buf != !!size || (buf && level == 0) || (level & ~BPF_LOG_MASK) || size > BPF_VERIFIER_LOG_MAX)
		return -EINVAL;
	env->log = kzalloc(sizeof(*env->log));
	if (!env->log)
		return -ENOMEM;
	env->log->level = level;
	env->log->ubuf = buf;
	env->log->size = size;
	return 0;
}

void vlog_free(struct venv *env)
{
	kfree(env->log);
}

bool vlog_on(const struct venv *env, uint32_t levels)
{
	return env->log->level & levels;
}

uint32_t vlog_pos(const struct venv *env)
{
	return (uint32_t)env->log->pos;
}

void vlog_reset(struct venv *env, uint32_t pos)
{
	env->log->pos = pos;
	env->log->open_line = false;
}

/*
 * Bytes go to the user's buffer, whose last byte is kept for the NUL. With
 * BPF_LOG_FIXED the log stops when full; otherwise (Linux's default since
 * 6.4) the buffer is a ring and keeps the log's end, where the reason is.
 */
static void emit(void *ctx, const char *s, size_t n)
{
	struct vlog *log = ctx;
	uint64_t room = log->size ? log->size - 1 : 0, at = log->pos;
	log->pos += n;
	log->max_pos = MAX(log->max_pos, log->pos);
	if (!log->ubuf || room == 0)
		return;
	if (log->level & BPF_LOG_FIXED) {
		if (at < room && copy_to_user(log->ubuf + at, s, MIN(n, room - at)))
			log->fault = true;
		return;
	}
	if (n > room) { /* only the last room bytes can stay */
		s += n - room;
		at += n - room;
		n = room;
	}
	while (n) {
		uint64_t i = at % room, part = MIN(n, room - i);
		if (copy_to_user(log->ubuf + i, s, part))
			log->fault = true;
		s += part, at += part, n -= part;
	}
}

/* Reverse bytes [a, b) of the user's buffer, a chunk from each end at a time. */
static void user_reverse(struct vlog *log, uint64_t a, uint64_t b)
{
	char x[128], y[128];
	while (b - a > 1) {
		uint64_t n = MIN(sizeof(x), (b - a) / 2);
		if (copy_from_user(x, log->ubuf + a, n) || copy_from_user(y, log->ubuf + b - n, n)) {
			log->fault = true;
			return;
		}
		for (uint64_t i = 0; i < n / 2; i++) {
			char t = x[i];
			x[i] = x[n - 1 - i], x[n - 1 - i] = t;
			t = y[i];
			y[i] = y[n - 1 - i], y[n - 1 - i] = t;
		}
		if (copy_to_user(log->ubuf + a, y, n) || copy_to_user(log->ubuf + b - n, x, n)) {
			log->fault = true;
			return;
		}
		a += n, b -= n;
	}
}

/* A ring that went round: turn it so the oldest kept byte comes first. */
static void unwrap_ring(struct vlog *log)
{
	uint64_t room = log->size - 1, k = log->pos % room;
	if ((log->level & BPF_LOG_FIXED) || log->pos <= room || k == 0)
		return;
	user_reverse(log, 0, k);
	user_reverse(log, k, room);
	user_reverse(log, 0, room);
}

static void vlog_printf(struct vlog *log, const char *fmt, va_list ap)
{
	vformat(emit, log, fmt, ap);
}

static void vlog_put(struct vlog *log, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog_printf(log, fmt, ap);
	va_end(ap);
}

void verbose(struct venv *env, const char *fmt, ...)
{
	struct vlog *log = env->log;
	if (!log->level)
		return;
	if (log->open_line) {
		log->open_line = false;
		emit(log, "\n", 1);
	}
	va_list ap;
	va_start(ap, fmt);
	vlog_printf(log, fmt, ap);
	va_end(ap);
}

/* An instruction's text; its line stays open for print_reg_changes. */
void vlog_insn_line(struct venv *env, const char *text)
{
	verbose(env, "%s", text);
	env->log->open_line = true;
	env->log->line_start = (uint32_t)strlen(text);
}

void tnum_str(char *buf, size_t n, struct tnum t)
{
	if (tnum_is_const(t))
		diag_format(buf, n, "%lld", (long long)t.value);
	else
		diag_format(buf, n, "(0x%llx; 0x%llx)", (unsigned long long)t.value, (unsigned long long)t.mask);
}

const char *reg_type_name(uint8_t type)
{
	static const char *const names[] = {
		[NOT_INIT] = "?",
		[SCALAR_VALUE] = "scalar",
		[PTR_TO_CTX] = "ctx",
		[PTR_TO_STACK] = "fp",
		[CONST_PTR_TO_MAP] = "map_ptr",
		[PTR_TO_MAP_VALUE] = "map_value",
		[PTR_TO_MAP_VALUE_OR_NULL] = "map_value_or_null",
		[PTR_TO_MEM] = "ringbuf_mem",
		[PTR_TO_MEM_OR_NULL] = "ringbuf_mem_or_null",
	};
	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

/* A number's bounds, only those that say something: "scalar(smax=7,umax=255)". */
static void put_scalar(struct vlog *log, const struct vreg *r)
{
	if (tnum_is_const(r->var_off)) {
		vlog_put(log, "%lld", (long long)r->var_off.value);
		return;
	}
	const char *sep = "";
	vlog_put(log, "scalar(");
	if (r->smin != INT64_MIN)
		vlog_put(log, "%ssmin=%lld", sep, (long long)r->smin), sep = ",";
	if (r->smax != INT64_MAX)
		vlog_put(log, "%ssmax=%lld", sep, (long long)r->smax), sep = ",";
	if (r->umin != 0)
		vlog_put(log, "%sumin=%llu", sep, (unsigned long long)r->umin), sep = ",";
	if (r->umax != UINT64_MAX)
		vlog_put(log, "%sumax=%llu", sep, (unsigned long long)r->umax), sep = ",";
	if (!tnum_is_unknown(r->var_off)) {
		char t[48];
		tnum_str(t, sizeof(t), r->var_off);
		vlog_put(log, "%svar_off=%s", sep, t);
	}
	vlog_put(log, ")");
}

static void put_reg(struct vlog *log, const struct vreg *r)
{
	switch (r->type) {
	case SCALAR_VALUE:
		put_scalar(log, r);
		return;
	case PTR_TO_STACK:
		vlog_put(log, "fp%d", r->off);
		return;
	case PTR_TO_CTX:
		vlog_put(log, r->off ? "ctx(off=%d)" : "ctx()", r->off);
		return;
	}
	vlog_put(log, "%s(", reg_type_name(r->type));
	if (r->id)
		vlog_put(log, "id=%u,", r->id);
	if (r->ref_obj_id)
		vlog_put(log, "ref_obj_id=%u,", r->ref_obj_id);
	if (r->map)
		vlog_put(log, "ks=%u,vs=%u", r->map->key_size, r->map->value_size);
	else
		vlog_put(log, "sz=%u", r->mem_size);
	if (r->off)
		vlog_put(log, ",off=%d", r->off);
	if (!tnum_equals_const(r->var_off, 0))
		vlog_put(log, ",smin=%lld,umax=%llu", (long long)r->smin, (unsigned long long)r->umax);
	vlog_put(log, ")");
}

static void put_slot(struct vlog *log, const struct vslot *slot, uint32_t s)
{
	static const char marks[] = { [STACK_INVALID] = '?', [STACK_MISC] = 'm', [STACK_ZERO] = '0' };
	vlog_put(log, " fp-%u=", (s + 1) * BPF_REG_SIZE);
	if (slot->bytes[0] == STACK_SPILL) {
		put_reg(log, &slot->spilled);
		return;
	}
	for (int b = 0; b < BPF_REG_SIZE; b++)
		vlog_put(log, "%c", marks[slot->bytes[b] % 3]);
}

void print_vstate(struct venv *env, const struct vstate *st)
{
	struct vlog *log = env->log;
	if (!log->level)
		return;
	for (int i = 0; i < MAX_BPF_REG; i++) {
		if (st->regs[i].type == NOT_INIT)
			continue;
		vlog_put(log, " R%d=", i);
		put_reg(log, &st->regs[i]);
	}
	for (uint32_t s = 0; s < st->slots; s++) {
		const struct vslot *slot = &st->stack[s];
		bool touched = false;
		for (int b = 0; b < BPF_REG_SIZE; b++)
			touched |= slot->bytes[b] != STACK_INVALID;
		if (touched)
			put_slot(log, slot, s);
	}
	vlog_put(log, "\n");
}

/* The registers an instruction wrote, after its text: "1: (07) r0 += 1    ; R0=1". */
void print_reg_changes(struct venv *env, const struct vstate *st, const struct bpf_insn *insn)
{
	struct vlog *log = env->log;
	if (!log->open_line)
		return;
	log->open_line = false;
	uint8_t cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
	int regs[2] = { -1, -1 };
	if (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX || cls == BPF_LD) {
		regs[0] = cls == BPF_LD && BPF_MODE(insn->code) != BPF_IMM ? BPF_REG_0 : insn->dst_reg;
		bool reads_src = cls == BPF_LDX || ((cls == BPF_ALU || cls == BPF_ALU64) && BPF_SRC(insn->code) == BPF_X);
		if (reads_src && insn->src_reg != insn->dst_reg)
			regs[1] = insn->src_reg;
	} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_CALL)
		regs[0] = BPF_REG_0;
	else if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA && op != BPF_EXIT)
		regs[0] = insn->dst_reg, regs[1] = BPF_SRC(insn->code) == BPF_X ? insn->src_reg : -1;
	if (regs[0] < 0 || st->regs[regs[0]].type == NOT_INIT) {
		emit(log, "\n", 1);
		return;
	}
	uint32_t pad = log->line_start < 38 ? 38 - log->line_start : 1;
	vlog_put(log, "%*s;", (int)pad, "");
	for (int i = 0; i < 2; i++) {
		if (regs[i] < 0 || st->regs[regs[i]].type == NOT_INIT)
			continue;
		vlog_put(log, " R%d=", regs[i]);
		put_reg(log, &st->regs[regs[i]]);
	}
	emit(log, "\n", 1);
}

long vlog_finish(struct venv *env, long err, uint64_t start_ns)
{
	struct vlog *log = env->log;
	if (!log->level)
		return err;
	/* Level 1 of an accepted program: only the summary. */
	if (!err && !(log->level & BPF_LOG_LEVEL2))
		vlog_reset(env, 0);
	if (log->level & BPF_LOG_STATS) {
		verbose(env, "verification time %llu usec\n",
			(unsigned long long)((clock_monotonic_ns() - start_ns) / 1000));
		verbose(env, "stack depth %u\n", env->stack_depth);
	}
	verbose(env, "processed %u insns (limit %u) max_states_per_insn %u total_states %u peak_states %u mark_read 0\n",
		env->insn_processed, BPF_COMPLEXITY_LIMIT_INSNS, env->max_states_per_insn, env->total_states,
		env->peak_states);
	if (log->ubuf) {
		unwrap_ring(log);
		uint64_t end = MIN(log->pos, (uint64_t)log->size - 1);
		if (copy_to_user(log->ubuf + end, "", 1))
			log->fault = true;
	}
	if (log->fault)
		return -EFAULT;
	if (log->ubuf && log->max_pos > log->size - 1)
		return -ENOSPC;
	return err;
}
