/*
 * The kprobe PMU: a perf event that is its own kprobe (course section:
 * performance profiling tools; the attach point of eBPF kprobe programs).
 *
 * Linux lets perf_event_open make a kprobe without tracefs: attr.type is
 * the kprobe PMU's number, read from
 * /sys/bus/event_source/devices/kprobe/type; attr.config1 points to the
 * function's name (kprobe_func) and attr.config2 is the offset in it
 * (probe_offset), or config1 is 0 and config2 an address (kprobe_addr);
 * config bit 0 (format/retprobe: "config:0") asks for a return probe,
 * which sysgate does not have (EINVAL). The probe lives as long as the
 * event. Each hit counts; with a period it samples at the probed
 * instruction, with the kernel's call chain from there.
 *
 * It is what BPF's kprobe programs attach to (PERF_EVENT_IOC_SET_BPF, as
 * libbpf does): kernel/bpf/ fills perf_bpf_hooks, and a hit then runs the
 * program on the probed registers; the program's return value 0 means
 * "do not count this one", as Linux's trace_call_bpf.
 *
 * Dynamic PMU numbers begin after PERF_TYPE_MAX in Linux (the kprobe PMU
 * is often 6, as here); programs must read the sysfs file, not assume.
 */
#include "kernel/tracing/kprobes.h"
#include "kernel/tracing/perf.h"
#include "kernel/fs/sysfs.h"
#include "kernel/module/ksyms.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define KSYM_NAME_LEN 128

const struct perf_bpf_hooks *perf_bpf_hooks;

/* The event a hit counts for: e itself, or the copy a fork made of it for current. */
static struct perf_event *counting(struct perf_event *e)
{
	if (perf_event_counts_for(e, current))
		return e;
	struct perf_event *c;
	for_each_perf_event(c)
		if (c->inherited_from == e && perf_event_counts_for(c, current))
			return c;
	return NULL;
}

static void kprobe_pmu_hit(struct kprobe *p, const struct regs *r)
{
	struct perf_event *e = counting(p->data);
	if (!e)
		return;
	struct perf_event *orig = e->inherited_from ? e->inherited_from : e;
	if (orig->bpf_prog && perf_bpf_hooks && !perf_bpf_hooks->run_kprobe(orig, r))
		return;
	e->count++;
	if (e->period)
		perf_sample_overflow(e, 1, r, 0);
}

int perf_kprobe_init(struct perf_event *e)
{
	if (e->attr.config & ~1ull)
		return -EINVAL;
	if (e->attr.config & 1)
		return -EINVAL; /* return probes: not in sysgate */
	struct kprobe *p = kzalloc(sizeof(*p) + KSYM_NAME_LEN);
	if (!p)
		return -ENOMEM;
	char *name = (char *)(p + 1);
	long err = 0;
	if (e->attr.config1) {
		long n = strncpy_from_user(name, (const char __user *)e->attr.config1, KSYM_NAME_LEN);
		err = n < 0 ? n : n == KSYM_NAME_LEN ? -E2BIG : 0;
		p->offset = e->attr.config2;
	} else {
		const char *sym = ksym_lookup(e->attr.config2, &p->offset);
		if (!sym)
			err = -EINVAL;
		else
			strncpy(name, sym, KSYM_NAME_LEN - 1);
	}
	p->symbol = name;
	p->handler = kprobe_pmu_hit;
	p->data = e;
	if (!err)
		err = kprobe_register(p);
	if (err) {
		kfree(p);
		return (int)err;
	}
	e->kprobe = p;
	return 0;
}

void perf_kprobe_release(struct perf_event *e)
{
	if (e->bpf_prog && perf_bpf_hooks)
		perf_bpf_hooks->detach(e);
	if (!e->kprobe)
		return;
	kprobe_unregister(e->kprobe);
	kfree(e->kprobe);
	e->kprobe = NULL;
}

/* PERF_EVENT_IOC_SET_BPF: kernel/bpf/ checks the program and keeps it in e->bpf_prog. */
long perf_event_set_bpf(struct perf_event *e, int prog_fd)
{
	if (!perf_bpf_hooks)
		return -EINVAL; /* a kernel without BPF events */
	if (e->attr.type != PERF_TYPE_KPROBE && e->attr.type != PERF_TYPE_TRACEPOINT)
		return -EINVAL;
	if (e->bpf_prog)
		return -EEXIST;
	return perf_bpf_hooks->attach(e, prog_fd);
}

/* --- /sys/bus/event_source/devices/ ------------------------------------------------------------ */

static ssize_t show_type(void *obj, const void *arg, char *buf)
{
	(void)obj;
	return sysfs_emit_long(buf, (long)(uintptr_t)arg);
}

static ssize_t show_retprobe_format(void *obj, const void *arg, char *buf)
{
	(void)obj, (void)arg;
	return sysfs_emit_str(buf, "config:0");
}

static const struct sysfs_attr type_attr = { "type", show_type, NULL };
static const struct sysfs_attr retprobe_attr = { "retprobe", show_retprobe_format, NULL };

void perf_pmus_sysfs_init(void)
{
	static const struct { const char *path; uintptr_t type; } pmus[] = {
		{ "bus/event_source/devices/software", PERF_TYPE_SOFTWARE },
		{ "bus/event_source/devices/tracepoint", PERF_TYPE_TRACEPOINT },
		{ "bus/event_source/devices/kprobe", PERF_TYPE_KPROBE },
	};
	for (size_t i = 0; i < ARRAY_SIZE(pmus); i++) {
		struct inode *dir = sysfs_mkdir(pmus[i].path);
		if (dir)
			sysfs_add_file(dir, &type_attr, NULL, (const void *)pmus[i].type);
	}
	struct inode *format = sysfs_mkdir("bus/event_source/devices/kprobe/format");
	if (format)
		sysfs_add_file(format, &retprobe_attr, NULL, NULL);
}
