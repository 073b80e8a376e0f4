/*
 * perf_event_open(2): counters as file descriptors (course section:
 * performance profiling tools).
 *
 * A program describes what to count in Linux's struct perf_event_attr --
 * a type (software, tracepoint...) and a config (which software event,
 * which tracepoint id) -- and whom: one task (pid, cpu -1) or everything on
 * a CPU (pid -1, cpu N). It gets a descriptor: read() gives the count in
 * the layout attr.read_format asks for, ioctl() enables, disables and
 * resets it, and events opened with another's descriptor as group_fd form
 * a group that is read, enabled and reset as one.
 *
 * The attr's `size` field lets old and new programs meet: a shorter struct
 * is taken as if its missing tail were zeros, a longer one only if its
 * extra bytes are zero (else E2BIG, with our size written back), as Linux
 * does. sysgate has no hardware counters (QEMU's TCG has no PMU), so
 * PERF_TYPE_HARDWARE and friends answer ENOENT, as Linux does without one;
 * an unknown tracepoint id is EINVAL, a pipe as group_fd EBADF (Linux's).
 */
#include "kernel/tracing/perf.h"
#include "kernel/tracing/perf_ring.h"
#include "kernel/tracing/trace.h"
#include "arch/x86_64/cpu.h"
#include "kernel/fs/file.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define PAGE_BYTES 4096
#define NCPUS 1
#define PERF_FLAGS_ALL (PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT | PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC)
#define MAX_READ_VALUES 64

static uint64_t next_id = 1;
static const struct file_ops perf_ops;

/* --- the attr ---------------------------------------------------------------------------------- */

/* Linux's perf_copy_attr: size checks, then the reserved bits. */
static int copy_attr(const struct perf_event_attr __user *uattr, struct perf_event_attr *attr)
{
	uint32_t size;
	memset(attr, 0, sizeof(*attr));
	if (copy_from_user(&size, (const char __user *)uattr + offsetof(struct perf_event_attr, size), sizeof(size)))
		return -EFAULT;
	if (size == 0)
		size = PERF_ATTR_SIZE_VER0;
	if (size > PAGE_BYTES || size < PERF_ATTR_SIZE_VER0)
		goto too_big;
	if (copy_from_user(attr, uattr, MIN(size, (uint32_t)sizeof(*attr))))
		return -EFAULT;
	for (uint32_t off = sizeof(*attr); off < size; off++) { /* a newer program's tail must be zeros */
		uint8_t b;
		if (copy_from_user(&b, (const char __user *)uattr + off, 1))
			return -EFAULT;
		if (b)
			goto too_big;
	}
	attr->size = size;
	if ((attr->flags & PERF_ATTR_FLAGS_RESERVED) || attr->reserved_2)
		return -EINVAL;
	if (attr->sample_type & ~(uint64_t)(PERF_SAMPLE_MAX - 1))
		return -EINVAL;
	if (attr->read_format & ~(uint64_t)(PERF_FORMAT_MAX - 1))
		return -EINVAL;
	return 0;
too_big:
	size = sizeof(*attr);
	copy_to_user((char __user *)uattr + offsetof(struct perf_event_attr, size), &size, sizeof(size));
	return -E2BIG;
}

/* What the event counts: ENOENT when nothing here knows type/config. */
static int choose_source(struct perf_event *e)
{
	switch (e->attr.type) {
	case PERF_TYPE_SOFTWARE:
		return e->attr.config < PERF_COUNT_SW_MAX ? 0 : -ENOENT;
	case PERF_TYPE_TRACEPOINT:
		e->tp = e->attr.config <= 0x7fffffffu ? trace_event_by_id((int)e->attr.config) : NULL;
		if (!e->tp || e->tp->system[0] == 'f' || e->tp->removed) /* ftrace:print is not a tracepoint */
			return -EINVAL; /* Linux: the tracepoint PMU knows the type, not the id */
		return 0;
	case PERF_TYPE_KPROBE:
		return 0; /* the probe is made last (perf_kprobe_init), when nothing else can fail */
	default:
		return -ENOENT; /* no hardware PMU, no breakpoints */
	}
}

/* pid and cpu: one task, or a whole CPU (root only, as every user here is). */
static int choose_target(struct perf_event *e, pid_t pid, int cpu)
{
	if (cpu < -1 || cpu >= NCPUS || (pid == -1 && cpu == -1))
		return -EINVAL;
	if (pid < -1)
		return -ESRCH;
	e->cpu = cpu;
	if (pid == -1) {
		e->per_cpu = true;
		return 0;
	}
	e->target = pid == 0 ? current : task_find(pid);
	if (!e->target || e->target->state == TASK_ZOMBIE)
		return -ESRCH;
	return 0;
}

static int join_group(struct perf_event *e, int group_fd, struct perf_event **leader)
{
	*leader = NULL;
	if (group_fd == -1)
		return 0;
	struct file *g = fd_get(group_fd);
	if (!g)
		return -EBADF;
	if (g->ops != &perf_ops)
		return -EBADF; /* Linux: not a perf descriptor */
	struct perf_event *l = g->private;
	if (l->leader != l)
		return -EINVAL; /* a member cannot lead */
	if (l->target != e->target || l->per_cpu != e->per_cpu)
		return -EINVAL; /* a group counts one task */
	*leader = l;
	return 0;
}

long sys_perf_event_open(struct perf_event_attr __user *uattr, pid_t pid, int cpu, int group_fd, unsigned long flags)
{
	if (flags & ~(unsigned long)PERF_FLAGS_ALL)
		return -EINVAL;
	struct perf_event *e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	struct perf_event *leader;
	int err = copy_attr(uattr, &e->attr);
	if (!err && (e->attr.flags & PERF_ATTR_FLAG_FREQ) == 0 && (e->attr.sample_period >> 63))
		err = -EINVAL;
	if (!err && (flags & PERF_FLAG_PID_CGROUP))
		err = -EBADF; /* pid is then a cgroup fd, and sysgate has no cgroups */
	if (!err)
		err = choose_target(e, pid, cpu);
	if (!err)
		err = join_group(e, group_fd, &leader);
	if (!err)
		err = choose_source(e);
	if (!err)
		err = perf_sample_init(e);
	if (!err && e->attr.type == PERF_TYPE_KPROBE)
		err = perf_kprobe_init(e);
	if (err) {
		kfree(e);
		return err;
	}
	e->id = next_id++;
	list_init(&e->siblings);
	wait_queue_init(&e->waitq);
	e->leader = leader ? leader : e;
	struct file *f = file_alloc(&perf_ops, O_RDWR, e);
	if (!f) {
		perf_kprobe_release(e);
		kfree(e);
		return -ENOMEM;
	}
	if (leader)
		list_push_back(&leader->siblings, &e->siblings);
	if (e->tp)
		trace_event_perf_get(e->tp);
	uint64_t irqs = irq_save(); /* the tick walks the list */
	list_push_back(&perf_events, &e->all);
	perf_sw_users++;
	irq_restore(irqs);
	bool start = !(e->attr.flags & (PERF_ATTR_FLAG_DISABLED | PERF_ATTR_FLAG_ENABLE_ON_EXEC));
	if (start && (!leader || leader->enabled))
		perf_event_set_enabled(e, true);
	int fd = fd_install(f, 0, flags & PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* --- read ---------------------------------------------------------------------------------------- */

/* One event's value and the words read_format asks to follow it. */
static size_t put_value(uint64_t *out, struct perf_event *e, bool times)
{
	size_t n = 0;
	uint64_t fmt = e->leader->attr.read_format;
	uint64_t clock = perf_event_clock(e); /* one reading: software events run whenever enabled */
	out[n++] = perf_event_value(e);
	if (times && (fmt & PERF_FORMAT_TOTAL_TIME_ENABLED))
		out[n++] = clock;
	if (times && (fmt & PERF_FORMAT_TOTAL_TIME_RUNNING))
		out[n++] = clock;
	if (fmt & PERF_FORMAT_ID)
		out[n++] = e->id;
	if (fmt & PERF_FORMAT_LOST)
		out[n++] = e->ring ? e->ring->lost_total : 0;
	return n;
}

#define for_each_sibling(m, leader)                                                                  \
	for (struct list_node *s_ = (leader)->siblings.next;                                         \
	     s_ != &(leader)->siblings && ((m) = list_entry(s_, struct perf_event, siblings), true); \
	     s_ = s_->next)

/* PERF_FORMAT_GROUP: { nr, [enabled], [running], { value, [id], [lost] } x nr } */
static size_t put_group(uint64_t *out, struct perf_event *leader)
{
	uint64_t fmt = leader->attr.read_format;
	size_t n = 1;
	uint64_t clock = perf_event_clock(leader);
	if (fmt & PERF_FORMAT_TOTAL_TIME_ENABLED)
		out[n++] = clock;
	if (fmt & PERF_FORMAT_TOTAL_TIME_RUNNING)
		out[n++] = clock;
	out[0] = 1;
	n += put_value(out + n, leader, false);
	struct perf_event *m;
	for_each_sibling(m, leader) {
		if (n + 3 > MAX_READ_VALUES)
			break;
		out[0]++;
		n += put_value(out + n, m, false);
	}
	return n;
}

/* What read() gives, as words (also a sample's PERF_SAMPLE_READ part). */
size_t perf_read_values(struct perf_event *e, uint64_t *out)
{
	return (e->attr.read_format & PERF_FORMAT_GROUP) ? put_group(out, e->leader) : put_value(out, e, true);
}

static ssize_t perf_read(struct file *f, void __user *buf, size_t len, off_t *pos)
{
	(void)pos;
	struct perf_event *e = f->private;
	uint64_t values[MAX_READ_VALUES];
	size_t n = perf_read_values(e, values);
	size_t bytes = n * sizeof(uint64_t);
	if (len < bytes)
		return -ENOSPC;
	if (copy_to_user(buf, values, bytes))
		return -EFAULT;
	return bytes;
}

/* --- ioctl ---------------------------------------------------------------------------------------- */

static void apply(struct perf_event *e, unsigned cmd)
{
	if (cmd == PERF_EVENT_IOC_ENABLE)
		perf_event_set_enabled(e, true);
	else if (cmd == PERF_EVENT_IOC_DISABLE)
		perf_event_set_enabled(e, false);
	else
		perf_event_reset(e);
}

/* Linux's perf_event_period: a sampling event's new period (or frequency). */
static long set_period(struct perf_event *e, const uint64_t __user *uval)
{
	uint64_t v;
	if (copy_from_user(&v, uval, sizeof(v)))
		return -EFAULT;
	if (!e->period || v == 0 || (!(e->attr.flags & PERF_ATTR_FLAG_FREQ) && (v >> 63)))
		return -EINVAL;
	struct perf_event_attr old = e->attr;
	e->attr.sample_period = v;
	long err = perf_sample_init(e);
	if (err)
		e->attr = old;
	return err;
}

static long perf_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct perf_event *e = f->private;
	switch (cmd) {
	case PERF_EVENT_IOC_ENABLE:
	case PERF_EVENT_IOC_DISABLE:
	case PERF_EVENT_IOC_RESET:
		if (arg & PERF_IOC_FLAG_GROUP) {
			struct perf_event *m;
			apply(e->leader, cmd);
			for_each_sibling(m, e->leader)
				apply(m, cmd);
		} else {
			apply(e, cmd);
		}
		return 0;
	case PERF_EVENT_IOC_ID:
		return copy_to_user((void __user *)arg, &e->id, sizeof(e->id)) ? -EFAULT : 0;
	case PERF_EVENT_IOC_REFRESH:
		return -EINVAL; /* only for sampling events with an overflow limit */
	case PERF_EVENT_IOC_PERIOD:
		return set_period(e, (const uint64_t __user *)arg);
	case PERF_EVENT_IOC_SET_BPF:
		return perf_event_set_bpf(e, (int)arg);
	case PERF_EVENT_IOC_SET_OUTPUT:
		return (int)arg == -1 ? 0 : -EINVAL; /* no ring buffer to redirect */
	default:
		return -ENOTTY;
	}
}

static void perf_release(struct file *f)
{
	struct perf_event *e = f->private;
	perf_event_set_enabled(e, false);
	if (e->leader == e) {
		/* The members go on alone, as Linux's do when their leader closes. */
		while (!list_empty(&e->siblings)) {
			struct perf_event *m = list_first(&e->siblings, struct perf_event, siblings);
			list_remove(&m->siblings);
			m->leader = m;
		}
	} else {
		list_remove(&e->siblings);
	}
	perf_kprobe_release(e); /* no hit can come after: the probe is gone */
	perf_drop_inherited(e);
	if (e->tp)
		trace_event_perf_put(e->tp);
	uint64_t flags = irq_save(); /* the tick walks the list */
	list_remove(&e->all);
	perf_sw_users--;
	irq_restore(flags);
	perf_ring_free(e->ring);
	wait_queue_detach_all(&e->waitq);
	kfree(e);
}

static uint32_t perf_poll(struct file *f, struct poll_table *pt)
{
	return perf_ring_poll(f->private, pt);
}

static long perf_mmap_check(struct file *f, uint64_t offset, uint64_t len, unsigned long prot, unsigned long flags)
{
	return perf_ring_mmap(f->private, offset, len, prot, flags);
}

static int perf_mmap_frame(struct file *f, uint64_t offset, phys_addr_t *frame)
{
	return perf_ring_frame(f->private, offset, frame);
}

struct perf_event *perf_event_from_file(struct file *f)
{
	return f && f->ops == &perf_ops ? f->private : NULL;
}

static const struct file_ops perf_ops = {
	.read = perf_read,
	.ioctl = perf_ioctl,
	.poll = perf_poll,
	.mmap_check = perf_mmap_check,
	.mmap_frame = perf_mmap_frame,
	.release = perf_release,
	.anon_mode = 0600,
	.anon_name = "[perf_event]",
};
