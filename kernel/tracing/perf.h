/* perf events: counters a program opens with perf_event_open (course section: performance profiling tools). */
#ifndef KERNEL_TRACING_PERF_H
#define KERNEL_TRACING_PERF_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/perf_event.h"

struct task;
struct trace_event;
struct bpf_prog;

struct perf_event {
	struct list_node all;        /* in the list of every perf event */
	struct perf_event_attr attr;
	uint64_t id;                 /* PERF_FORMAT_ID, PERF_EVENT_IOC_ID */
	struct task *target;         /* the task counted; NULL: the whole CPU, or a task that exited */
	bool per_cpu;                /* pid -1: every task on the CPU */
	bool enabled;
	uint64_t count;
	/* Time enabled and running: for a task, while it is on the CPU. */
	uint64_t clock_ns, clock_since;
	bool clock_running;
	struct trace_event *tp;      /* PERF_TYPE_TRACEPOINT */
	struct perf_event *inherited_from; /* attr.inherit: the event of the task that forked us */
	struct perf_event *leader;   /* its group's leader (itself if alone) */
	struct list_node siblings;   /* the leader's: its members; a member's: its place there */
	struct bpf_prog *prog;       /* PERF_EVENT_IOC_SET_BPF: decides which hits count (kernel/bpf/attach.c) */
};

/* The hooks' guards: non-zero while some perf event needs them. */
extern int perf_sw_users;

void perf_count_sw(unsigned config, uint64_t n);
/* rec: the record (its header filled), which attached BPF programs read. */
void perf_tracepoint_hit(struct trace_event *ev, const void *rec);
void perf_sched_switch(struct task *prev, struct task *next);
void perf_task_exit(struct task *t);
void perf_exec(struct task *t);
void perf_fork(struct task *parent, struct task *child);
/* Free the copies that children made of e (e is being closed). */
void perf_drop_inherited(struct perf_event *e);

/* kernel/tracing/perf_count.c: the list and the clocks. */
extern struct list_node perf_events;
#define for_each_perf_event(e)                                                                       \
	for (struct list_node *n_ = perf_events.next;                                                \
	     n_ != &perf_events && ((e) = list_entry(n_, struct perf_event, all), true); n_ = n_->next)
uint64_t perf_event_clock(struct perf_event *e);
uint64_t perf_event_value(struct perf_event *e);
void perf_event_set_enabled(struct perf_event *e, bool on);
void perf_event_reset(struct perf_event *e);
bool perf_event_on_cpu(const struct perf_event *e);

#endif
