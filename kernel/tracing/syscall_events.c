/*
 * syscalls:sys_enter_NAME and sys_exit_NAME for every syscall (course
 * section: syscall tracing, kernel side).
 *
 * Nothing here is written by hand per syscall: the names, the argument
 * count and each argument's declaration come from kernel/syscalls.tbl
 * through the generator, so a new line in the table is a new pair of
 * events with their format files.
 *
 * The gate (arch/x86_64/syscall.c) tests one counter: while no syscall
 * event is active that test is its whole cost, a not-taken branch; while
 * one is, the call goes through traced_syscall below. Records have Linux's layout: the common header, the number at
 * offset 8, then each argument as 8 bytes from offset 16 (sys_enter) or the
 * result at 16 (sys_exit).
 */
#include "kernel/tracing/syscall_events.h"
#include "kernel/tracing/trace.h"
#include "kernel/bpf/bpf.h"
#include "kernel/tracing/tbuf.h"
#include "arch/x86_64/regs.h"
#include "kernel/syscall.h"
#include "kernel/syscall_info.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define PRINT_FMT_MAX 512

int trace_syscalls_active;
static struct trace_event enter_events[NR_SYSCALLS], exit_events[NR_SYSCALLS];

struct rec_enter {
	struct trace_entry e;
	int32_t nr;
	uint64_t args[6];
};

struct rec_exit {
	struct trace_entry e;
	int32_t nr;
	int64_t ret;
};
_Static_assert(offsetof(struct rec_enter, args) == 16 && offsetof(struct rec_exit, ret) == 16,
	       "Linux's syscall event layout");

static void trace_sys_enter(const struct regs *r, int nr)
{
	const uint64_t regs[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	struct rec_enter rec;
	int n = syscall_info[nr].nargs;
	rec.nr = nr;
	for (int i = 0; i < n; i++)
		rec.args[i] = regs[i];
	trace_event_commit(&enter_events[nr], &rec, offsetof(struct rec_enter, args) + 8 * n);
}

static void trace_sys_exit(int nr, long ret)
{
	struct rec_exit rec = { .nr = nr, .ret = ret };
	trace_event_commit(&exit_events[nr], &rec, sizeof(rec));
}

/* The gate's slow path while some syscall event is active: the same call
 * as syscall_dispatch makes, with this number's events around it. */
long traced_syscall(const struct regs *r)
{
	int nr = (int)r->orig_rax;
	if (unlikely(bpf_raw_syscalls_active))
		bpf_raw_sys_enter(r, (long)r->orig_rax); /* raw tracepoints see every number, as Linux's */
	long ret = -ENOSYS;
	if ((unsigned)nr < NR_SYSCALLS && syscall_table[nr]) {
		if (enter_events[nr].active)
			trace_sys_enter(r, nr);
		ret = syscall_table[nr](r);
		if (exit_events[nr].active)
			trace_sys_exit(nr, ret);
	}
	if (unlikely(bpf_raw_syscalls_active))
		bpf_raw_sys_exit(r, ret);
	return ret;
}

/* Linux prints small values in decimal, the rest in hex. */
static void print_sys_enter(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	const struct rec_enter *rec = r;
	const struct syscall_info *info = &syscall_info[ev->syscall_nr];
	tprintf(o, "sys_%s(", info->name);
	for (int i = 0; i < info->nargs && 16 + 8 * (size_t)(i + 1) <= len; i++) {
		uint64_t v = rec->args[i];
		tprintf(o, v < 10 ? "%s%s: %lu" : "%s%s: 0x%lx", i ? ", " : "", info->args[i].name, v);
	}
	tputs(o, ")");
}

static void print_sys_exit(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)len;
	const struct rec_exit *rec = r;
	tprintf(o, "sys_%s -> 0x%lx", syscall_info[ev->syscall_nr].name, (uint64_t)rec->ret);
}

static char *text(const char *prefix, const char *name)
{
	size_t a = strlen(prefix), b = strlen(name);
	char *s = kmalloc(a + b + 1);
	if (s) {
		memcpy(s, prefix, a);
		memcpy(s + a, name, b + 1);
	}
	return s;
}

/* "\"fd: 0x%08lx, ...\", ((unsigned long)(REC->fd)), ..." */
static char *enter_print_fmt(const struct syscall_info *info)
{
	char *s = kmalloc(PRINT_FMT_MAX);
	if (!s)
		return NULL;
	struct tbuf t = { s, 0, PRINT_FMT_MAX - 1 };
	tputs(&t, "\"");
	for (int i = 0; i < info->nargs; i++)
		tprintf(&t, "%s%s: 0x%%08lx", i ? ", " : "", info->args[i].name);
	tputs(&t, "\"");
	for (int i = 0; i < info->nargs; i++)
		tprintf(&t, ", ((unsigned long)(REC->%s))", info->args[i].name);
	s[t.len] = 0;
	return s;
}

static const struct trace_field exit_fields[] = {
	{ "int __syscall_nr", 8, 4, true },
	{ "long ret", 16, 8, true },
};

static bool make_enter_event(struct trace_event *ev, int nr)
{
	const struct syscall_info *info = &syscall_info[nr];
	struct trace_field *f = kmalloc(sizeof(*f) * (1 + info->nargs));
	ev->name = text("sys_enter_", info->name);
	ev->print_fmt = enter_print_fmt(info);
	if (!f || !ev->name || !ev->print_fmt)
		return false;
	f[0] = (struct trace_field){ "int __syscall_nr", 8, 4, true };
	for (int i = 0; i < info->nargs; i++)
		f[1 + i] = (struct trace_field){ syscall_arg_decls[nr][i], (uint8_t)(16 + 8 * i), 8, false };
	ev->fields = f;
	ev->nfields = 1 + info->nargs;
	ev->print = print_sys_enter;
	return true;
}

void syscall_events_register(void)
{
	for (int nr = 0; nr < NR_SYSCALLS; nr++) {
		if (!syscall_info[nr].name)
			continue;
		struct trace_event *in = &enter_events[nr], *out = &exit_events[nr];
		in->system = out->system = "syscalls";
		in->syscall_nr = out->syscall_nr = nr;
		out->syscall_exit = true;
		out->name = text("sys_exit_", syscall_info[nr].name);
		out->fields = exit_fields;
		out->nfields = ARRAY_SIZE(exit_fields);
		out->print_fmt = "\"0x%lx\", REC->ret";
		out->print = print_sys_exit;
		if (!make_enter_event(in, nr) || !out->name)
			continue;
		trace_event_register(in);
		trace_event_register(out);
	}
}
