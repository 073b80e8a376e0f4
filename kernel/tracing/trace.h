/*
 * Trace events: named points in the kernel that can be switched on at run
 * time (course sections: syscall tracing, kernel debugging techniques).
 *
 * A tracepoint is a call site guarded by one byte:
 *
 *     if (unlikely(tp_sched_switch.active))
 *             trace_sched_switch(prev, next);
 *
 * While nobody listens the byte is 0 and the cost is a load, a compare and a
 * not-taken branch; the event's code is out of line. An event is "active"
 * while tracefs has it enabled or a perf event counts it.
 *
 * Every event writes a record whose layout is the one its `format` file
 * describes (Linux's: the 8-byte common header, then the fields), so tools
 * that parse Linux's format files parse ours.
 */
#ifndef KERNEL_TRACING_TRACE_H
#define KERNEL_TRACING_TRACE_H

#include "kernel/types.h"

struct tbuf;
struct task;

/* The first 8 bytes of every record (Linux's struct trace_entry). */
struct trace_entry {
	uint16_t type; /* the event's id */
	uint8_t flags;
	uint8_t preempt_count;
	int32_t pid;
};

/* One line of a format file: "field:TYPE NAME;\toffset:O;\tsize:S;\tsigned:G;" */
struct trace_field {
	const char *decl; /* "char prev_comm[16]", "pid_t pid" */
	uint8_t offset, size;
	bool is_signed;
};

struct trace_event {
	const char *system, *name;
	int id;
	bool active;       /* the tracepoint's guard byte */
	bool enabled;      /* tracefs: events/SYSTEM/NAME/enable */
	bool removed;      /* a kprobe event taken away: hidden, cannot be enabled */
	int perf_users;    /* perf events counting it */
	uint64_t perf_count_total; /* hits since boot, while active */
	/* For the format file; syscall events generate theirs from the table. */
	const struct trace_field *fields;
	int nfields;
	const char *print_fmt;
	/* The text after "comm-pid [cpu] flags time: " for one record. */
	void (*print)(struct tbuf *out, const struct trace_event *ev, const void *rec, size_t len);
	int syscall_nr;    /* syscalls:*: the number, else -1 */
	bool syscall_exit;
};

/* --- the event registry (kernel/tracing/events.c) --- */
void trace_events_init(void);
/* Give ev the next id and list it (at boot). */
void trace_event_register(struct trace_event *ev);
/* Copy a whole record into the trace ring and wake trace_pipe's readers. */
void trace_write_record(struct trace_event *ev, const void *rec, size_t len);
int trace_event_count(void);
struct trace_event *trace_event_at(int i);
struct trace_event *trace_event_by_id(int id);
struct trace_event *trace_event_find(const char *system, const char *name);
int trace_event_set_enabled(struct trace_event *ev, bool on);
void trace_event_perf_get(struct trace_event *ev);
void trace_event_perf_put(struct trace_event *ev);
/* The format file's text. */
void trace_event_format(struct tbuf *out, const struct trace_event *ev);
/* An active event fired with this record (already filled but for the
 * common header): count it for perf, write it to the ring if tracing. */
void trace_event_commit(struct trace_event *ev, void *rec, size_t len);

/* --- the tracepoints outside the syscall path --- */
extern struct trace_event tp_sched_switch, tp_sched_wakeup, tp_sched_process_fork, tp_sched_process_exec,
	tp_sched_process_exit, tp_signal_generate, tp_signal_deliver;
void trace_sched_switch(struct task *prev, struct task *next);
void trace_sched_wakeup(struct task *t);
void trace_sched_process_fork(struct task *parent, struct task *child);
void trace_sched_process_exec(struct task *t, const char *filename);
void trace_sched_process_exit(struct task *t);
void trace_signal_generate(int sig, int code, struct task *t, bool group, int result);
void trace_signal_deliver(int sig, int code, uint64_t handler, uint64_t flags);
void sched_events_register(void);
/* exceptions:page_fault_user, irq:irq_handler_entry/exit (kernel/tracing/fault_irq_events.c). */
extern struct trace_event tp_page_fault_user, tp_irq_handler_entry, tp_irq_handler_exit;
void trace_page_fault_user(uint64_t address, uint64_t ip, uint64_t error_code);
void trace_irq_handler_entry(int irq);
void trace_irq_handler_exit(int irq, bool handled);
void fault_irq_events_register(void);

/* --- syscall events (kernel/tracing/syscall_events.c) --- */
/* The gate's one guard: how many sys_enter_* and sys_exit_* events are
 * active. While it is 0 the gate calls the syscall directly; otherwise it
 * calls traced_syscall, which fires the events around the call. */
extern int trace_syscalls_active;
struct regs;
/* It takes the number from r, so the gate keeps nothing alive across it. */
long traced_syscall(const struct regs *r);
void syscall_events_register(void);

#endif
