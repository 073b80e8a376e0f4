/*
 * The registry of trace events (course section: kernel debugging techniques).
 *
 * Each event has a system and a name (sched:sched_switch), a number (its
 * `id`, which perf_event_open takes as config and every record carries in
 * its first two bytes) and a layout described by its `format` file.
 * Switching an event on sets its guard byte; firing it fills the common
 * header and hands the record to its listeners: the trace ring when tracefs
 * enabled it, the perf events counting it.
 *
 * Readers of trace_pipe are not woken at once: an event may fire inside
 * the scheduler, where waking a task is not allowed. A one-shot timer does
 * it a moment later, as Linux's irq_work does.
 */
#include "kernel/tracing/trace.h"
#include "kernel/bpf/bpf.h"
#include "kernel/tracing/perf.h"
#include "kernel/tracing/ring.h"
#include "kernel/tracing/tbuf.h"
#include "kernel/tracing/tracefs.h"
#include "kernel/proc/task.h"
#include "kernel/time/ktimer.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/poll.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define MAX_EVENTS 1200
#define WAKE_DELAY_NS 1000000 /* 1 ms */

static struct trace_event *events[MAX_EVENTS];
static int nevents;
static struct ktimer wake_timer;

void trace_event_register(struct trace_event *ev)
{
	if (nevents == MAX_EVENTS)
		return;
	ev->id = nevents + 1; /* 0 is no event */
	events[nevents++] = ev;
}

int trace_event_count(void)
{
	return nevents;
}

struct trace_event *trace_event_at(int i)
{
	return i >= 0 && i < nevents ? events[i] : NULL;
}

struct trace_event *trace_event_by_id(int id)
{
	return trace_event_at(id - 1);
}

struct trace_event *trace_event_find(const char *system, const char *name)
{
	for (int i = 0; i < nevents; i++)
		if (!strcmp(events[i]->name, name) && (!system || !strcmp(events[i]->system, system)))
			return events[i];
	return NULL;
}

/* The guard byte follows the listeners; the syscall path keeps counts. */
static void update_active(struct trace_event *ev)
{
	bool active = ev->enabled || ev->perf_users > 0;
	if (active == ev->active)
		return;
	ev->active = active;
	if (ev->syscall_nr >= 0)
		trace_syscalls_active += active ? 1 : -1;
}

int trace_event_set_enabled(struct trace_event *ev, bool on)
{
	ev->enabled = on;
	update_active(ev);
	return 0;
}

void trace_event_perf_get(struct trace_event *ev)
{
	ev->perf_users++;
	update_active(ev);
}

void trace_event_perf_put(struct trace_event *ev)
{
	ev->perf_users--;
	update_active(ev);
}

void trace_event_format(struct tbuf *out, const struct trace_event *ev)
{
	static const struct trace_field common[] = {
		{ "unsigned short common_type", 0, 2, false },
		{ "unsigned char common_flags", 2, 1, false },
		{ "unsigned char common_preempt_count", 3, 1, false },
		{ "int common_pid", 4, 4, true },
	};
	tprintf(out, "name: %s\nID: %d\nformat:\n", ev->name, ev->id);
	for (size_t i = 0; i < ARRAY_SIZE(common); i++)
		tprintf(out, "\tfield:%s;\toffset:%u;\tsize:%u;\tsigned:%d;\n", common[i].decl, common[i].offset,
			common[i].size, common[i].is_signed);
	tputs(out, "\n");
	for (int i = 0; i < ev->nfields; i++)
		tprintf(out, "\tfield:%s;\toffset:%u;\tsize:%u;\tsigned:%d;\n", ev->fields[i].decl,
			ev->fields[i].offset, ev->fields[i].size, ev->fields[i].is_signed);
	tprintf(out, "\nprint fmt: %s\n", ev->print_fmt);
}

static void wake_readers(struct ktimer *t)
{
	(void)t;
	wake_up(ring_readers(), POLLIN | POLLRDNORM);
}

/* Copy a record into the ring (the caller filled all but its header). */
void trace_write_record(struct trace_event *ev, const void *rec, size_t len)
{
	uint64_t now = clock_monotonic_ns();
	void *slot = ring_reserve(len, now);
	if (!slot)
		return;
	memcpy(slot, rec, len);
	ring_commit();
	if (!wake_timer.armed)
		ktimer_start(&wake_timer, now + WAKE_DELAY_NS);
	(void)ev;
}

void trace_event_commit(struct trace_event *ev, void *rec, size_t len)
{
	struct trace_entry *e = rec;
	e->type = (uint16_t)ev->id;
	e->flags = 0;
	e->preempt_count = 0;
	e->pid = current ? current->pid : 0;
	if (ev->perf_users)
		perf_tracepoint_hit(ev, rec, len);
	if (ev->enabled && tracing_is_on())
		trace_write_record(ev, rec, len);
}

void trace_events_init(void)
{
	ktimer_init(&wake_timer, wake_readers, NULL);
	ring_init();
	trace_event_register(&trace_marker_event);
	sched_events_register();
	fault_irq_events_register();
	syscall_events_register();
	bpf_tracing_init(); /* bpf_trace_printk's event, programs on perf events */
}
