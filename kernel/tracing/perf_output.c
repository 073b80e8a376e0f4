/*
 * perf records: what goes into the mmap ring (course section: performance
 * profiling tools).
 *
 * Every record is a struct perf_event_header (type, misc, size) and a body
 * whose layout Linux fixes. A PERF_RECORD_SAMPLE holds, in this order and
 * only if attr.sample_type asks: IDENTIFIER, IP, pid/tid, TIME, ADDR, ID,
 * STREAM_ID, cpu, PERIOD, READ (what read() gives), CALLCHAIN (a count
 * and the return addresses, the kernel's after PERF_CONTEXT_KERNEL and the
 * program's after PERF_CONTEXT_USER), RAW (a size and bytes: a tracepoint's
 * record). The side-band records -- COMM at exec, FORK and EXIT, MMAP of a
 * program's text, LOST -- tell a tool whose samples these are; with
 * attr.sample_id_all they end with the sample's identity fields (TID, TIME,
 * ID, STREAM_ID, CPU, IDENTIFIER), so they can be sorted among the samples.
 *
 * A record is measured first, then written straight into the ring with
 * interrupts off: a timer-tick sample cannot cut into a tracepoint's.
 *
 * Call chains are walked by frame pointers (the kernel and our programs are
 * built with them): each frame begins with the caller's rbp, then the
 * return address. The program's stack is read through its page table,
 * never by faulting: the walk may run in the timer interrupt, where a page
 * fault could not be served. A frame that is not mapped ends the chain.
 */
#include "kernel/tracing/perf_ring.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/mman.h"
#include "libc/include/string.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/phys.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

#define CHAIN_MAX (PERF_MAX_STACK_DEPTH + 2) /* two context markers */
#define ID_FIELDS_MAX 7                     /* the sample_id_all trailer, in words */
#define READ_WORDS_MAX 64

/* kernel/tracing/perf_event.c: the words read() would give. */
size_t perf_read_values(struct perf_event *e, uint64_t *out);

static struct perf_ring *ring_of(struct perf_event *e)
{
	return e->inherited_from ? e->inherited_from->ring : e->ring;
}

/* Linux's primary_event_id: a copy made by fork reports its original's id. */
static uint64_t primary_id(const struct perf_event *e)
{
	return e->inherited_from ? e->inherited_from->id : e->id;
}

static uint64_t pid_tid_word(const struct task *t)
{
	return t ? ((uint64_t)(uint32_t)t->pid << 32) | (uint32_t)task_tgid(t) : 0;
}

/* The sample_id_all trailer, or a sample's leading identity fields. */
static size_t id_trailer(const struct perf_event *e, uint64_t *w, uint64_t now)
{
	uint64_t st = e->attr.sample_type;
	size_t n = 0;
	if (st & PERF_SAMPLE_TID)
		w[n++] = pid_tid_word(current);
	if (st & PERF_SAMPLE_TIME)
		w[n++] = now;
	if (st & PERF_SAMPLE_ID)
		w[n++] = primary_id(e);
	if (st & PERF_SAMPLE_STREAM_ID)
		w[n++] = e->id;
	if (st & PERF_SAMPLE_CPU)
		w[n++] = 0; /* cpu 0, and the reserved half */
	if (st & PERF_SAMPLE_IDENTIFIER)
		w[n++] = primary_id(e);
	return n;
}

static size_t id_trailer_if_asked(const struct perf_event *e, uint64_t *w, uint64_t now)
{
	return (e->attr.flags & PERF_ATTR_FLAG_SAMPLE_ID_ALL) ? id_trailer(e, w, now) : 0;
}

/* --- call chains ------------------------------------------------------------------------------ */

/* A word of the current program's memory, if it is mapped: no fault taken. */
static bool user_word(uint64_t va, uint64_t *out)
{
	if (!current || !current->mm || va % 8 || va >= USER_TOP)
		return false;
	uint64_t *pte = pte_lookup(current->mm->pml4, va, false);
	if (!pte || (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
		return false;
	*out = *(const uint64_t *)((uint8_t *)phys_to_virt(*pte & PTE_ADDR_MASK) + va % PAGE_SIZE);
	return true;
}

static size_t walk_user(const struct regs *r, uint64_t *chain, size_t n, size_t max)
{
	chain[n++] = PERF_CONTEXT_USER;
	chain[n++] = r->rip;
	uint64_t fp = r->rbp, next, ret;
	while (n < max && user_word(fp, &next) && user_word(fp + 8, &ret) && ret) {
		chain[n++] = ret;
		if (next <= fp)
			break; /* callers' frames lie above: anything else is not a frame */
		fp = next;
	}
	return n;
}

/* The kernel frames from fp, inside the current kernel stack. */
static size_t walk_kernel(uint64_t ip, uint64_t fp, uint64_t *chain, size_t n, size_t max)
{
	chain[n++] = PERF_CONTEXT_KERNEL;
	chain[n++] = ip;
	uint64_t top = current ? current->kstack_top : 0, bottom = top - KSTACK_SIZE;
	while (n < max && fp >= bottom && fp + 16 <= top && fp % 8 == 0) {
		uint64_t ret = ((uint64_t *)fp)[1];
		if (ret < KERNEL_VMA)
			break;
		chain[n++] = ret;
		uint64_t next = ((uint64_t *)fp)[0];
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

static size_t callchain(const struct perf_event *e, const struct perf_sample *s, uint64_t *chain)
{
	size_t max = e->attr.sample_max_stack ? MIN((size_t)e->attr.sample_max_stack + 2, (size_t)CHAIN_MAX) : CHAIN_MAX;
	size_t n = 0;
	if (s->kernel && !(e->attr.flags & PERF_ATTR_FLAG_EXCLUDE_CALLCHAIN_KERNEL))
		n = walk_kernel(s->ip, s->kernel_fp, chain, n, max);
	if (s->user && n + 2 <= max && !(e->attr.flags & PERF_ATTR_FLAG_EXCLUDE_CALLCHAIN_USER))
		n = walk_user(s->user, chain, n, max);
	return n;
}

/* --- writing ------------------------------------------------------------------------------------- */

/* Before the record that fits after a loss: PERF_RECORD_LOST { id, lost }. */
static void put_lost(struct perf_event *e, struct perf_ring *rb, uint64_t now)
{
	uint64_t w[2 + ID_FIELDS_MAX];
	size_t n = 0;
	w[n++] = primary_id(e);
	w[n++] = rb->lost;
	n += id_trailer_if_asked(e, w + n, now);
	struct perf_event_header h = { PERF_RECORD_LOST, 0, (uint16_t)(sizeof(h) + n * 8) };
	struct perf_ring_handle rh;
	if (!perf_ring_begin(rb, &rh, h.size))
		return;
	perf_ring_put(&rh, &h, sizeof(h));
	perf_ring_put(&rh, w, n * 8);
	perf_ring_end(&rh, false);
	rb->lost = 0;
}

/* Reserve a record of `size` bytes in e's ring; false if there is no ring or no room. */
static bool output_begin(struct perf_event *e, struct perf_ring_handle *h, size_t size, uint64_t now)
{
	struct perf_ring *rb = ring_of(e);
	if (!rb || rb->size == 0)
		return false;
	if (rb->lost)
		put_lost(e, rb, now);
	if (!rb->lost && perf_ring_begin(rb, h, size))
		return true;
	rb->lost++;
	rb->lost_total++;
	return false;
}

/* The sample's parts after the leading identity words, as Linux orders them. */
struct sample_parts {
	uint64_t head[6];    /* IDENTIFIER, IP, TID, TIME, ADDR, ID */
	size_t nhead;
	uint64_t mid[3];     /* STREAM_ID, CPU, PERIOD */
	size_t nmid;
	uint64_t read[READ_WORDS_MAX];
	size_t nread;
	uint64_t chain[CHAIN_MAX];
	size_t nchain;
	uint32_t raw_size;   /* with the padding that keeps the record 8-byte aligned */
};

static void fill_parts(struct perf_event *e, const struct perf_sample *s, struct sample_parts *p, uint64_t now)
{
	uint64_t st = e->attr.sample_type;
	p->nhead = p->nmid = p->nread = p->nchain = 0;
	if (st & PERF_SAMPLE_IDENTIFIER)
		p->head[p->nhead++] = primary_id(e);
	if (st & PERF_SAMPLE_IP)
		p->head[p->nhead++] = s->ip;
	if (st & PERF_SAMPLE_TID)
		p->head[p->nhead++] = pid_tid_word(current);
	if (st & PERF_SAMPLE_TIME)
		p->head[p->nhead++] = now;
	if (st & PERF_SAMPLE_ADDR)
		p->head[p->nhead++] = s->addr;
	if (st & PERF_SAMPLE_ID)
		p->head[p->nhead++] = primary_id(e);
	if (st & PERF_SAMPLE_STREAM_ID)
		p->mid[p->nmid++] = e->id;
	if (st & PERF_SAMPLE_CPU)
		p->mid[p->nmid++] = 0;
	if (st & PERF_SAMPLE_PERIOD)
		p->mid[p->nmid++] = s->period;
	if (st & PERF_SAMPLE_READ)
		p->nread = perf_read_values(e->inherited_from ? e->inherited_from : e, p->read);
	if (st & PERF_SAMPLE_CALLCHAIN)
		p->nchain = callchain(e, s, p->chain);
	p->raw_size = (st & PERF_SAMPLE_RAW) ? (uint32_t)(ALIGN_UP((uint64_t)s->raw_size + 4, 8) - 4) : 0;
}

long perf_event_output_sample(struct perf_event *e, const struct perf_sample *s)
{
	static struct sample_parts p; /* too big for an interrupt's stack; interrupts are off while used */
	uint64_t flags = irq_save();
	uint64_t now = clock_monotonic_ns();
	fill_parts(e, s, &p, now);
	size_t size = sizeof(struct perf_event_header) + (p.nhead + p.nmid + p.nread) * 8;
	if (e->attr.sample_type & PERF_SAMPLE_CALLCHAIN)
		size += 8 + p.nchain * 8;
	if (e->attr.sample_type & PERF_SAMPLE_RAW)
		size += 4 + p.raw_size;
	long err = 0;
	struct perf_ring_handle h;
	if (size > PERF_RECORD_MAX)
		err = -E2BIG;
	else if (!ring_of(e))
		err = -ENOENT;
	else if (!output_begin(e, &h, size, now))
		err = -ENOSPC;
	if (err) {
		irq_restore(flags);
		return err;
	}
	uint16_t misc = s->kernel ? PERF_RECORD_MISC_KERNEL : PERF_RECORD_MISC_USER;
	struct perf_event_header hdr = { PERF_RECORD_SAMPLE, misc, (uint16_t)size };
	perf_ring_put(&h, &hdr, sizeof(hdr));
	perf_ring_put(&h, p.head, p.nhead * 8);
	perf_ring_put(&h, p.mid, p.nmid * 8);
	perf_ring_put(&h, p.read, p.nread * 8);
	if (e->attr.sample_type & PERF_SAMPLE_CALLCHAIN) {
		uint64_t nr = p.nchain;
		perf_ring_put(&h, &nr, 8);
		perf_ring_put(&h, p.chain, p.nchain * 8);
	}
	if (e->attr.sample_type & PERF_SAMPLE_RAW) {
		static const uint8_t zeros[8];
		perf_ring_put(&h, &p.raw_size, 4);
		perf_ring_put(&h, s->raw, s->raw_size);
		perf_ring_put(&h, zeros, p.raw_size - s->raw_size);
	}
	perf_ring_end(&h, true);
	irq_restore(flags);
	return 0;
}

long perf_event_output_raw(struct perf_event *e, const void *data, uint32_t size)
{
	const struct regs *user = current && current->mm ? task_regs(current) : NULL;
	struct perf_sample s = {
		.ip = user ? user->rip : 0,
		.user = user,
		.period = 1,
		.raw = data,
		.raw_size = size,
	};
	return perf_event_output_sample(e, &s);
}

/* --- side-band records --------------------------------------------------------------------------- */

/* A side-band record: fixed words, an optional NUL-terminated string padded to 8, the trailer. */
static void output_sideband(struct perf_event *e, uint32_t type, uint16_t misc, const uint64_t *words, size_t nwords,
			    const char *str)
{
	uint64_t flags = irq_save();
	uint64_t now = clock_monotonic_ns();
	uint64_t trailer[ID_FIELDS_MAX];
	size_t ntrailer = id_trailer_if_asked(e, trailer, now);
	size_t slen = str ? strlen(str) + 1 : 0, spad = ALIGN_UP(slen, 8);
	size_t size = sizeof(struct perf_event_header) + nwords * 8 + spad + ntrailer * 8;
	struct perf_ring_handle h;
	if (size <= PERF_RECORD_MAX && output_begin(e, &h, size, now)) {
		static const uint8_t zeros[8];
		struct perf_event_header hdr = { type, misc, (uint16_t)size };
		perf_ring_put(&h, &hdr, sizeof(hdr));
		perf_ring_put(&h, words, nwords * 8);
		perf_ring_put(&h, str, slen);
		perf_ring_put(&h, zeros, spad - slen);
		perf_ring_put(&h, trailer, ntrailer * 8);
		perf_ring_end(&h, false);
	}
	irq_restore(flags);
}

/* The enabled events that hear of t's life: those counting it, and the per-CPU ones. */
static bool watches(const struct perf_event *e, const struct task *t, uint64_t flag)
{
	return (e->attr.flags & flag) && e->enabled && (e->per_cpu || e->target == t);
}

void perf_output_comm(struct task *t, bool exec)
{
	uint64_t w = pid_tid_word(t);
	struct perf_event *e;
	for_each_perf_event(e)
		if (watches(e, t, PERF_ATTR_FLAG_COMM))
			output_sideband(e, PERF_RECORD_COMM, exec ? PERF_RECORD_MISC_COMM_EXEC : 0, &w, 1, t->name);
}

/* PERF_RECORD_FORK or EXIT: { pid, ppid, tid, ptid, time }. */
void perf_output_task(struct task *t, struct task *parent, bool fork)
{
	uint64_t pids = pid_tid_word(t), ppids = pid_tid_word(parent);
	uint64_t w[3] = {
		(uint32_t)task_tgid(t) | (uint64_t)(parent ? (uint32_t)task_tgid(parent) : 0) << 32,
		(uint32_t)(pids >> 32) | (ppids >> 32) << 32,
		clock_monotonic_ns(),
	};
	struct perf_event *e;
	for_each_perf_event(e)
		if (watches(e, fork ? parent : t, PERF_ATTR_FLAG_TASK | PERF_ATTR_FLAG_COMM | PERF_ATTR_FLAG_MMAP))
			output_sideband(e, fork ? PERF_RECORD_FORK : PERF_RECORD_EXIT, 0, w, 3, NULL);
}

/* PERF_RECORD_MMAP of the program's executable regions: { pid, tid, addr, len, pgoff, filename }. */
void perf_output_mmap(struct task *t, const char *filename)
{
	if (!t->mm)
		return;
	struct list_node *n;
	list_for_each(n, &t->mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (!(v->prot & PROT_EXEC))
			continue;
		uint64_t w[4] = { pid_tid_word(t), v->start, v->end - v->start, v->offset };
		struct perf_event *e;
		for_each_perf_event(e)
			if (watches(e, t, PERF_ATTR_FLAG_MMAP))
				output_sideband(e, PERF_RECORD_MMAP, PERF_RECORD_MISC_USER, w, 4, filename);
	}
}
