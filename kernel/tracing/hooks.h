/*
 * Where the rest of the kernel calls tracing (course section: kernel
 * debugging techniques). Each hook is one guarded call: while nothing
 * listens, the cost is a test of one variable and a branch not taken.
 */
#ifndef KERNEL_TRACING_HOOKS_H
#define KERNEL_TRACING_HOOKS_H

#include "kernel/tracing/perf.h"
#include "kernel/tracing/trace.h"

static inline void tracehook_sched_switch(struct task *prev, struct task *next)
{
	if (unlikely(perf_sw_users))
		perf_sched_switch(prev, next);
	if (unlikely(tp_sched_switch.active))
		trace_sched_switch(prev, next);
}

static inline void tracehook_wakeup(struct task *t)
{
	if (unlikely(tp_sched_wakeup.active))
		trace_sched_wakeup(t);
}

static inline void tracehook_fork(struct task *parent, struct task *child)
{
	if (unlikely(perf_sw_users))
		perf_fork(parent, child);
	if (unlikely(tp_sched_process_fork.active))
		trace_sched_process_fork(parent, child);
}

static inline void tracehook_exec(struct task *t, const char *filename)
{
	if (unlikely(perf_sw_users))
		perf_exec(t, filename);
	if (unlikely(tp_sched_process_exec.active))
		trace_sched_process_exec(t, filename);
}

static inline void tracehook_exit(struct task *t)
{
	if (unlikely(tp_sched_process_exit.active))
		trace_sched_process_exit(t);
	if (unlikely(perf_sw_users))
		perf_task_exit(t);
}

/* result: Linux's TRACE_SIGNAL_* (0 delivered, 1 ignored, 2 already pending...). */
static inline void tracehook_signal_generate(int sig, int code, struct task *t, bool group, int result)
{
	if (unlikely(tp_signal_generate.active))
		trace_signal_generate(sig, code, t, group, result);
}

static inline void tracehook_signal_deliver(int sig, int code, uint64_t handler, uint64_t flags)
{
	if (unlikely(tp_signal_deliver.active))
		trace_signal_deliver(sig, code, handler, flags);
}

/* A page fault of the current task at addr: page-faults, and minor-faults when it was resolved. */
static inline void tracehook_page_fault(const struct regs *r, uint64_t addr, bool resolved)
{
	if (unlikely(perf_sw_users)) {
		perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS, 1, r, addr);
		if (resolved)
			perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS_MIN, 1, r, addr);
	}
}

/* The timer tick: cpu-clock and task-clock samples. */
static inline void tracehook_tick(const struct regs *r)
{
	if (unlikely(perf_sw_users))
		perf_tick(r);
}

static inline void tracehook_page_fault_user(uint64_t address, uint64_t ip, uint64_t error_code)
{
	if (unlikely(tp_page_fault_user.active))
		trace_page_fault_user(address, ip, error_code);
}

static inline void tracehook_irq_entry(int irq)
{
	if (unlikely(tp_irq_handler_entry.active))
		trace_irq_handler_entry(irq);
}

static inline void tracehook_irq_exit(int irq, bool handled)
{
	if (unlikely(tp_irq_handler_exit.active))
		trace_irq_handler_exit(irq, handled);
}

#endif
