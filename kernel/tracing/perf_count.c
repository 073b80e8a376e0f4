/*
 * Counting perf events (course section: performance profiling tools).
 *
 * A counter is a number that the kernel adds to where the thing counted
 * happens: a page fault adds one to every enabled page-faults counter of
 * the faulting task, a context switch to the context-switches counters of
 * the task leaving the CPU, a tracepoint to the counters opened on it. The
 * clocks (task-clock, cpu-clock, and the time enabled/running read()
 * reports) add up the nanoseconds during which the counted task was on the
 * CPU with the counter enabled: the scheduler stops and starts them.
 *
 * Each hook is guarded by perf_sw_users, so while no counter exists the
 * kernel pays a not-taken branch.
 */
#include "kernel/tracing/perf.h"
#include "kernel/tracing/perf_ring.h"
#include "kernel/tracing/trace.h"
#include "arch/x86_64/cpu.h"
#include "drivers/timer.h"
#include "kernel/proc/task.h"
#include "mm/heap.h"

struct list_node perf_events = LIST_INIT(perf_events);
int perf_sw_users;

bool perf_event_on_cpu(const struct perf_event *e)
{
	return e->per_cpu || (e->target && e->target == current);
}

bool perf_event_counts_for(const struct perf_event *e, const struct task *t)
{
	return e->enabled && (e->per_cpu || (t && e->target == t));
}

/* Start or stop an event's clock to follow "enabled and on the CPU". */
static void clock_follow(struct perf_event *e, bool on_cpu)
{
	bool run = e->enabled && on_cpu;
	if (run == e->clock_running)
		return;
	uint64_t now = clock_monotonic_ns();
	if (run)
		e->clock_since = now;
	else
		e->clock_ns += now - e->clock_since;
	e->clock_running = run;
}

uint64_t perf_event_clock(struct perf_event *e)
{
	return e->clock_ns + (e->clock_running ? clock_monotonic_ns() - e->clock_since : 0);
}

static bool is_clock(const struct perf_event *e)
{
	return e->attr.type == PERF_TYPE_SOFTWARE &&
	       (e->attr.config == PERF_COUNT_SW_CPU_CLOCK || e->attr.config == PERF_COUNT_SW_TASK_CLOCK);
}

static uint64_t own_value(struct perf_event *e)
{
	return is_clock(e) ? perf_event_clock(e) : e->count;
}

/* With attr.inherit, the children's counts are part of the value: those
 * of children still running are added here, those of children gone were
 * folded in when they exited. */
uint64_t perf_event_value(struct perf_event *e)
{
	uint64_t v = own_value(e);
	struct perf_event *c;
	for_each_perf_event(c)
		if (c->inherited_from == e)
			v += own_value(c);
	return v;
}

static void set_enabled_one(struct perf_event *e, bool on)
{
	if (on == e->enabled)
		return;
	if (!on)
		clock_follow(e, false);
	e->enabled = on;
	if (on)
		clock_follow(e, perf_event_on_cpu(e));
}

/* An event and the copies its target's children made of it. */
void perf_event_set_enabled(struct perf_event *e, bool on)
{
	set_enabled_one(e, on);
	struct perf_event *c;
	for_each_perf_event(c)
		if (c->inherited_from == e)
			set_enabled_one(c, on);
}

void perf_event_reset(struct perf_event *e)
{
	e->count = 0;
	e->clock_ns = 0;
	e->clock_sampled_ns = 0;
	e->period_left = e->period;
	e->clock_since = clock_monotonic_ns();
}

/* n more of a software event; r (may be NULL) and addr say where, for a sample. */
void perf_sw_event(unsigned config, uint64_t n, const struct regs *r, uint64_t addr)
{
	struct perf_event *e;
	for_each_perf_event(e) {
		if (e->attr.type != PERF_TYPE_SOFTWARE || e->attr.config != config || !perf_event_counts_for(e, current))
			continue;
		e->count += n;
		if (e->period)
			perf_sample_overflow(e, n, r, addr);
	}
}

/* A syscall event's sample is the program's (Linux passes the syscall's
 * registers); any other tracepoint's is the kernel's, where it fired. */
void perf_tracepoint_hit(struct trace_event *ev, const void *rec, size_t len)
{
	struct perf_event *e;
	for_each_perf_event(e) {
		if (e->tp != ev || !perf_event_counts_for(e, current))
			continue;
		struct perf_event *orig = e->inherited_from ? e->inherited_from : e;
		if (orig->bpf_prog && perf_bpf_hooks && !perf_bpf_hooks->run_tracepoint(orig, rec, len))
			continue; /* the program said: not this one */
		e->count++;
		if (e->period)
			perf_tracepoint_overflow(e, ev->syscall_nr >= 0, rec, len);
	}
}

void perf_sched_switch(struct task *prev, struct task *next)
{
	struct perf_event *e;
	for_each_perf_event(e) {
		if (e->per_cpu) {
			if (e->enabled && e->attr.type == PERF_TYPE_SOFTWARE &&
			    e->attr.config == PERF_COUNT_SW_CONTEXT_SWITCHES)
				e->count++;
			continue;
		}
		if (e->target == prev) {
			if (e->enabled && e->attr.type == PERF_TYPE_SOFTWARE &&
			    e->attr.config == PERF_COUNT_SW_CONTEXT_SWITCHES)
				e->count++;
			clock_follow(e, false);
		} else if (e->target == next) {
			clock_follow(e, true);
		}
	}
}

static void free_event(struct perf_event *e)
{
	if (e->tp)
		trace_event_perf_put(e->tp);
	uint64_t flags = irq_save(); /* the tick walks the list */
	list_remove(&e->all);
	perf_sw_users--;
	irq_restore(flags);
	kfree(e);
}

/* The task is gone: its counters keep their values and count no more; a
 * copy a fork made hands its count to the event it was copied from. */
void perf_task_exit(struct task *t)
{
	struct perf_event *e;
	perf_output_task(t, t->parent, false);
	for (struct list_node *n = perf_events.next, *next; n != &perf_events; n = next) {
		next = n->next;
		e = list_entry(n, struct perf_event, all);
		if (e->target != t)
			continue;
		clock_follow(e, false);
		e->target = NULL;
		if (!e->inherited_from) {
			e->hup = true; /* poll: POLLHUP, the sign for perf record that the command is done */
			perf_ring_update_page(e);
			perf_ring_wake(e);
		} else {
			e->inherited_from->count += e->count;
			e->inherited_from->clock_ns += e->clock_ns;
			free_event(e);
		}
	}
}

void perf_drop_inherited(struct perf_event *e)
{
	for (struct list_node *n = perf_events.next, *next; n != &perf_events; n = next) {
		next = n->next;
		struct perf_event *c = list_entry(n, struct perf_event, all);
		if (c->inherited_from == e)
			free_event(c);
	}
}

/* attr.inherit: the child counts too, into a copy of each such event of
 * its parent's. The copies are added at the end of the list, where this
 * walk meets them after the events it copies; they are skipped. */
void perf_fork(struct task *parent, struct task *child)
{
	struct perf_event *e;
	for_each_perf_event(e) {
		if (e->target != parent || !(e->attr.flags & PERF_ATTR_FLAG_INHERIT))
			continue;
		struct perf_event *c = kzalloc(sizeof(*c));
		if (!c)
			continue; /* the child's counts are lost, as Linux loses them when out of memory */
		c->attr = e->attr;
		c->target = child;
		c->cpu = e->cpu;
		c->enabled = e->enabled;
		c->tp = e->tp;
		c->inherited_from = e->inherited_from ? e->inherited_from : e;
		c->leader = c;
		c->period = c->period_left = e->period;
		list_init(&c->siblings);
		wait_queue_init(&c->waitq);
		if (c->tp)
			trace_event_perf_get(c->tp);
		uint64_t flags = irq_save();
		list_push_back(&perf_events, &c->all);
		perf_sw_users++;
		irq_restore(flags);
	}
	perf_output_task(child, parent, true);
}

/* attr.enable_on_exec: counting starts with the new program. */
void perf_exec(struct task *t, const char *filename)
{
	/* With interrupts off, so that no sample of a newly enabled event
	 * reaches the ring before the COMM record naming the new program:
	 * perf report would have no name for it. */
	uint64_t flags = irq_save();
	struct perf_event *e;
	for_each_perf_event(e) {
		if (e->target == t && (e->attr.flags & PERF_ATTR_FLAG_ENABLE_ON_EXEC) && !e->enabled) {
			perf_event_reset(e);
			perf_event_set_enabled(e, true);
		}
	}
	perf_output_comm(t, true);
	perf_output_mmap(t, filename);
	irq_restore(flags);
}
