/* perf events: counters a program opens with perf_event_open (course section: performance profiling tools). */
#ifndef KERNEL_TRACING_PERF_H
#define KERNEL_TRACING_PERF_H

#include "kernel/events/wait.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/perf_event.h"

struct task;
struct trace_event;
struct perf_ring;
struct regs;
struct file;

struct perf_event {
	struct list_node all;        /* in the list of every perf event */
	struct perf_event_attr attr;
	uint64_t id;                 /* PERF_FORMAT_ID, PERF_EVENT_IOC_ID */
	struct task *target;         /* the task counted; NULL: the whole CPU, or a task that exited */
	bool per_cpu;                /* pid -1: every task on the CPU */
	int cpu;                     /* the CPU asked for, or -1: any */
	bool enabled;
	uint64_t count;
	/* Time enabled and running: for a task, while it is on the CPU. */
	uint64_t clock_ns, clock_since;
	bool clock_running;
	struct trace_event *tp;      /* PERF_TYPE_TRACEPOINT */
	struct perf_event *inherited_from; /* attr.inherit: the event of the task that forked us */
	struct perf_event *leader;   /* its group's leader (itself if alone) */
	struct list_node siblings;   /* the leader's: its members; a member's: its place there */

	/* Sampling (kernel/tracing/perf_sample.c): every `period` counts (or
	 * nanoseconds, for the clocks) make a PERF_RECORD_SAMPLE in the ring. */
	struct perf_ring *ring;      /* made by the first mmap of the descriptor */
	uint64_t period;             /* 0: a counting event */
	uint64_t period_left;
	uint64_t clock_sampled_ns;   /* the clocks: task time at the last sample */
	bool hup;                    /* its task exited: poll says POLLHUP */
	struct kprobe *kprobe;       /* the kprobe PMU's: the probe it made (perf_kprobe.c) */
	void *bpf_prog;              /* PERF_EVENT_IOC_SET_BPF: kernel/bpf/'s program, opaque here */
	struct wait_queue waitq;     /* poll and epoll on the descriptor */
};

/* The kprobe PMU's type number (/sys/bus/event_source/devices/kprobe/type):
 * Linux gives dynamic PMUs numbers from PERF_TYPE_MAX (6) on. */
#define PERF_TYPE_KPROBE 6

/* The hooks' guards: non-zero while some perf event needs them. */
extern int perf_sw_users;

/* n more of a software event; r (may be NULL) and addr say where, for a sample. */
void perf_sw_event(unsigned config, uint64_t n, const struct regs *r, uint64_t addr);
/* A tracepoint fired with this record (common header filled). */
void perf_tracepoint_hit(struct trace_event *ev, const void *rec, size_t len);
void perf_sched_switch(struct task *prev, struct task *next);
void perf_task_exit(struct task *t);
void perf_exec(struct task *t, const char *filename);
void perf_fork(struct task *parent, struct task *child);
/* Free the copies that children made of e (e is being closed). */
void perf_drop_inherited(struct perf_event *e);

/* kernel/tracing/perf_count.c: the list and the clocks. */
extern struct list_node perf_events;
#define for_each_perf_event(e)                                                                       \
	for (struct list_node *n_ = perf_events.next;                                                \
	     n_ != &perf_events && ((e) = list_entry(n_, struct perf_event, all), true); n_ = n_->next)
uint64_t perf_event_clock(struct perf_event *e);
/* Is e enabled and counting task t (its target, or every task on the CPU)? */
bool perf_event_counts_for(const struct perf_event *e, const struct task *t);
uint64_t perf_event_value(struct perf_event *e);
void perf_event_set_enabled(struct perf_event *e, bool on);
void perf_event_reset(struct perf_event *e);
bool perf_event_on_cpu(const struct perf_event *e);


/* --- the mmap ring and its records (perf_ring.c, perf_output.c, perf_sample.c) --- */

/* What a sample says beyond what the event and the current task tell. */
struct perf_sample {
	uint64_t ip;
	bool kernel;                 /* ip is the kernel's: PERF_RECORD_MISC_KERNEL */
	const struct regs *user;     /* the program's registers (its stack for CALLCHAIN), or NULL */
	uint64_t kernel_fp;          /* the kernel frame to walk from, 0 for none */
	uint64_t addr;               /* PERF_SAMPLE_ADDR */
	uint64_t period;
	const void *raw;             /* PERF_SAMPLE_RAW: a tracepoint's record, a BPF program's data */
	uint32_t raw_size;
};

/* The event the descriptor f holds, or NULL if f is not a perf descriptor
 * (for BPF_MAP_TYPE_PERF_EVENT_ARRAY: the map keeps a reference to f). */
struct perf_event *perf_event_from_file(struct file *f);

/*
 * Append a PERF_RECORD_SAMPLE carrying `data` as its PERF_SAMPLE_RAW part
 * (and the other parts e's sample_type asks for, taken from the current
 * task) to e's ring: BPF's bpf_perf_event_output. Returns 0, -ENOENT when
 * e has no ring (nobody mapped it), -ENOSPC when the ring is full (the
 * record is counted lost), -E2BIG when the record would pass 64 KiB.
 * Any context: a tracepoint, an interrupt, the scheduler.
 */
long perf_event_output_raw(struct perf_event *e, const void *data, uint32_t size);
/* The same with everything said: the sample hooks' way. */
long perf_event_output_sample(struct perf_event *e, const struct perf_sample *s);
/* Side-band records (attr.comm, attr.task, attr.mmap) about task t. */
void perf_output_comm(struct task *t, bool exec);
void perf_output_task(struct task *t, struct task *parent, bool fork);
void perf_output_mmap(struct task *t, const char *filename);

/* The timer tick: cpu-clock and task-clock sampling. */
void perf_tick(const struct regs *r);
/* A sampling event counted n more: a sample each time its period runs out. */
void perf_sample_overflow(struct perf_event *e, uint64_t n, const struct regs *r, uint64_t addr);
void perf_tracepoint_overflow(struct perf_event *e, bool user, const void *rec, size_t len);
/* Set up the period at open; EINVAL for a frequency above the limit. */
int perf_sample_init(struct perf_event *e);

/* --- the kprobe PMU and BPF (perf_kprobe.c) --- */
int perf_kprobe_init(struct perf_event *e);
void perf_kprobe_release(struct perf_event *e);
void perf_pmus_sysfs_init(void);

/*
 * What kernel/bpf/ provides to run programs attached to perf events
 * (PERF_EVENT_IOC_SET_BPF): it sets perf_bpf_hooks at boot. attach takes
 * the program fd, checks its type against the event (kprobe PMU:
 * BPF_PROG_TYPE_KPROBE; tracepoint: BPF_PROG_TYPE_TRACEPOINT), keeps a
 * reference in e->bpf_prog and answers 0 or Linux's errno; detach drops it
 * (the event is closing). run_kprobe runs the program at a hit of a kprobe
 * PMU event, on the probed registers (r->rip is the probed address; the
 * hook makes Linux's pt_regs of them with bpf_regs_to_pt_regs); its result
 * 0 means the hit is not counted or sampled. run_tracepoint likewise gets
 * a tracepoint's record. Interrupts are off in both.
 */
struct perf_bpf_hooks {
	long (*attach)(struct perf_event *e, int prog_fd);
	void (*detach)(struct perf_event *e);
	uint64_t (*run_kprobe)(struct perf_event *e, const struct regs *r);
	uint64_t (*run_tracepoint)(struct perf_event *e, const void *rec, size_t len);
};
extern const struct perf_bpf_hooks *perf_bpf_hooks;
long perf_event_set_bpf(struct perf_event *e, int prog_fd);

#endif
