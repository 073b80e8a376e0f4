/*
 * Attaching programs to tracepoints (course section: advanced eBPF
 * tracing).
 *
 * A loaded program does nothing until something runs it. Two ways here:
 *
 *   - A perf event of a tracepoint or a kprobe (perf_event_open, then
 *     ioctl(PERF_EVENT_IOC_SET_BPF, prog_fd)): each time it fires for the
 *     event's task (or CPU), the program runs -- a TRACEPOINT program on the
 *     raw record (the bytes the format file describes, common header
 *     included), a KPROBE program on Linux's pt_regs of the probed
 *     instruction -- and decides with its return value whether the hit
 *     counts (0: it does not), as Linux's trace_call_bpf. kernel/tracing/
 *     calls these through struct perf_bpf_hooks. The program goes when the
 *     perf event is closed.
 *
 *   - BPF_RAW_TRACEPOINT_OPEN names a tracepoint ("sys_enter") and gets an
 *     fd, a link: while it is open the program runs on the tracepoint's own
 *     arguments as an array of u64 -- for sys_enter (struct pt_regs *regs,
 *     long id), with regs in Linux's layout. Closing the link detaches.
 *
 * Either way the attachment holds a reference, so closing the program's
 * own fd does not stop it: a program detaches when its last reference goes.
 */
#include "kernel/bpf/core.h"
#include "kernel/fs/file.h"
#include "kernel/tracing/perf.h"
#include "kernel/tracing/trace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/regs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define RAW_TP_NAME_MAX 128 /* Linux reads at most 127 bytes of the name */

/* --- perf events: tracepoints and kprobes ------------------------------------------------------ */

/* The bytes of a record of ev: the end of its last field. */
static uint32_t record_size(const struct trace_event *ev)
{
	uint32_t end = sizeof(struct trace_entry);
	for (int i = 0; i < ev->nfields; i++)
		end = MAX(end, (uint32_t)ev->fields[i].offset + ev->fields[i].size);
	return end;
}

/* Which program type each kind of event runs (Linux's perf_event_set_bpf_prog). */
static uint32_t prog_type_for(const struct perf_event *e)
{
	return e->attr.type == PERF_TYPE_KPROBE ? BPF_PROG_TYPE_KPROBE : BPF_PROG_TYPE_TRACEPOINT;
}

static long perf_attach(struct perf_event *e, int prog_fd)
{
	long err = 0;
	struct bpf_prog *prog = bpf_prog_get_fd(prog_fd, &err);
	if (!prog)
		return err;
	if (prog->type != prog_type_for(e))
		err = -EINVAL;
	else if (e->tp && prog->max_ctx_offset > record_size(e->tp))
		err = -EACCES; /* it would read past the record */
	if (err) {
		bpf_prog_put(prog);
		return err;
	}
	e->bpf_prog = prog; /* the reference is the event's now */
	return 0;
}

static void perf_detach(struct perf_event *e)
{
	bpf_prog_put(e->bpf_prog);
	e->bpf_prog = NULL;
}

/*
 * The verifier lets a tracepoint program read up to BPF_TRACE_RECORD_MAX
 * bytes of its context, whichever tracepoint it is attached to, so it runs
 * on a copy of the record padded with zeros to that size: no read goes past
 * the record. Interrupts are off (perf_bpf_hooks' rule), so one copy serves.
 */
static uint8_t padded[BPF_TRACE_RECORD_MAX] __attribute__((aligned(8)));
static size_t padded_dirty; /* the bytes the last record left */

static const void *pad_record(const void *rec, size_t len)
{
	len = MIN(len, sizeof(padded));
	memcpy(padded, rec, len);
	if (padded_dirty > len)
		memset(padded + len, 0, padded_dirty - len);
	padded_dirty = len;
	return padded;
}

static uint64_t run_tracepoint(struct perf_event *e, const void *rec, size_t len)
{
	return bpf_prog_run(e->bpf_prog, pad_record(rec, len));
}

/* A kprobe program reads Linux's struct pt_regs of the probed instruction. */
static uint64_t run_kprobe(struct perf_event *e, const struct regs *r)
{
	uint64_t pt_regs[BPF_PT_REGS_WORDS];
	bpf_regs_to_pt_regs(r, pt_regs);
	return bpf_prog_run(e->bpf_prog, pt_regs);
}

static const struct perf_bpf_hooks hooks = {
	.attach = perf_attach,
	.detach = perf_detach,
	.run_kprobe = run_kprobe,
	.run_tracepoint = run_tracepoint,
};

void bpf_tracing_init(void)
{
	trace_event_register(&bpf_trace_printk_event);
	perf_bpf_hooks = &hooks;
}

/* --- raw tracepoints ------------------------------------------------------------------------- */

struct raw_tp {
	const char *name;
	struct list_node links;   /* the attached programs */
};

static struct raw_tp raw_tps[] = {
	{ "sys_enter", LIST_INIT(raw_tps[0].links) },
	{ "sys_exit", LIST_INIT(raw_tps[1].links) },
};

struct raw_tp_link {
	struct list_node node;
	struct raw_tp *tp;
	struct bpf_prog *prog;
};

int bpf_raw_syscalls_active;

static void raw_tp_run(struct raw_tp *tp, const uint64_t *args)
{
	uint64_t flags = irq_save(); /* as tracepoint programs: not nested */
	for (struct list_node *n = tp->links.next; n != &tp->links; n = n->next)
		bpf_prog_run(list_entry(n, struct raw_tp_link, node)->prog, args);
	irq_restore(flags);
}

/* Linux's sys_enter sees the registers as the entry saved them, rax -ENOSYS. */
void bpf_raw_sys_enter(const struct regs *r, long nr)
{
	if (list_empty(&raw_tps[0].links))
		return;
	uint64_t pt_regs[BPF_PT_REGS_WORDS];
	bpf_regs_to_pt_regs(r, pt_regs);
	pt_regs[REGS_RAX / 8] = (uint64_t)-ENOSYS;
	uint64_t args[BPF_MAX_FUNC_ARGS] = { (uint64_t)pt_regs, (uint64_t)nr }; /* the verifier allows reading all */
	raw_tp_run(&raw_tps[0], args);
}

void bpf_raw_sys_exit(const struct regs *r, long ret)
{
	if (list_empty(&raw_tps[1].links))
		return;
	uint64_t pt_regs[BPF_PT_REGS_WORDS];
	bpf_regs_to_pt_regs(r, pt_regs);
	pt_regs[REGS_RAX / 8] = (uint64_t)ret;
	uint64_t args[BPF_MAX_FUNC_ARGS] = { (uint64_t)pt_regs, (uint64_t)ret };
	raw_tp_run(&raw_tps[1], args);
}

static bool is_syscall_tp(const struct raw_tp *tp)
{
	return tp == &raw_tps[0] || tp == &raw_tps[1];
}

static void link_release(struct file *f)
{
	struct raw_tp_link *link = f->private;
	list_remove(&link->node);
	if (is_syscall_tp(link->tp)) {
		bpf_raw_syscalls_active--;
		trace_syscalls_active--;
	}
	bpf_prog_put(link->prog);
	kfree(link);
}

static const struct file_ops link_file_ops = {
	.release = link_release,
	.anon_name = "bpf_link",
	.anon_mode = 0600,
};

static struct raw_tp *find_raw_tp(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(raw_tps); i++)
		if (!strcmp(raw_tps[i].name, name))
			return &raw_tps[i];
	return NULL;
}

static bool attached(const struct raw_tp *tp, const struct bpf_prog *prog)
{
	for (struct list_node *n = tp->links.next; n != &tp->links; n = n->next)
		if (list_entry(n, struct raw_tp_link, node)->prog == prog)
			return true;
	return false;
}

/* The link's fd, or an errno; takes over the caller's reference to prog
 * (and drops it on failure). */
static long attach_raw(struct raw_tp *tp, struct bpf_prog *prog)
{
	struct raw_tp_link *link = attached(tp, prog) ? NULL : kzalloc(sizeof(*link));
	struct file *f = link ? file_alloc(&link_file_ops, O_RDWR, link) : NULL;
	if (!f) {
		kfree(link);
		bpf_prog_put(prog);
		return attached(tp, prog) ? -EEXIST : -ENOMEM;
	}
	link->tp = tp;
	link->prog = prog;
	list_push_back(&tp->links, &link->node);
	if (is_syscall_tp(tp)) {
		bpf_raw_syscalls_active++;
		trace_syscalls_active++; /* the gate now goes through traced_syscall */
	}
	int fd = fd_install(f, 0, true);
	if (fd < 0)
		file_put(f); /* detaches again, and drops the reference */
	return fd;
}

long bpf_raw_tracepoint_open(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(raw_tracepoint)))
		return -EINVAL;
	long err = 0;
	struct bpf_prog *prog = bpf_prog_get_fd((int)attr->raw_tracepoint.prog_fd, &err);
	if (!prog)
		return err;
	char name[RAW_TP_NAME_MAX] = { 0 };
	struct raw_tp *tp = NULL;
	if (prog->type != BPF_PROG_TYPE_RAW_TRACEPOINT)
		err = -EINVAL;
	else if (strncpy_from_user(name, (const char __user *)attr->raw_tracepoint.name, sizeof(name) - 1) == -EFAULT)
		err = -EFAULT;
	else if (!(tp = find_raw_tp(name)))
		err = -ENOENT;
	else if (prog->max_ctx_offset > (is_syscall_tp(tp) ? 2 : 0) * sizeof(uint64_t))
		err = -EINVAL; /* it reads more arguments than the tracepoint has */
	if (err) {
		bpf_prog_put(prog);
		return err;
	}
	return attach_raw(tp, prog);
}
