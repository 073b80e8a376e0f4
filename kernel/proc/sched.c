/*
 * The scheduler: fair share by virtual run time (course section: processes).
 *
 * Every task keeps a virtual run time, vruntime: the CPU time it has used,
 * weighted by its nice value -- a nanosecond of CPU adds 1024/weight ns,
 * so a task at nice 0 (weight 1024) ages at the speed of the clock, one at
 * nice 19 (weight 15) 68 times faster. The run queue is kept in vruntime
 * order, and the task that has had the least runs next. This is the idea
 * of Linux's CFS (2007-2023):
 *
 *  - Fair shares. Each tick adds the running task's CPU time to its
 *    vruntime; when it has run for its slice (SCHED_LATENCY_NS divided
 *    among the runnable tasks, at least MIN_SLICE_NS), the timer asks for
 *    a switch, and the task with the smallest vruntime goes on. CPU-bound
 *    tasks of equal nice so get equal shares.
 *  - Interactive work is served. A task that sleeps does not age, so when
 *    it wakes its vruntime is the smallest and it runs at once: the wake-up
 *    preempts the running task (at its next return to user mode) if the
 *    woken one is more than WAKEUP_GRANULARITY_NS behind it. Its credit is
 *    capped, though: it comes back at no less than min_vruntime minus half
 *    a latency period, or a task that slept an hour would own the CPU for
 *    an hour.
 *  - New tasks start at the queue's min_vruntime, not at 0, for the same
 *    reason.
 *
 * Linux keeps the queue in a red-black tree; sysgate uses a list kept
 * sorted, searched from its end, where a task that used its slice goes.
 * The idle task is not in the queue: it runs when the queue is empty.
 * /proc/PID/schedstat shows each task's CPU time, its time waiting in the
 * queue, and how many turns it had.
 *
 * The kernel itself is not preempted: a task switches only where it calls
 * schedule(). With one CPU, that is why kernel data needs no locks, only
 * irq_save() where interrupt handlers touch it too.
 */
#include "kernel/proc/sched.h"
#include "kernel/proc/priority.h"
#include "kernel/proc/rlimit.h"
#include "kernel/time/itimer.h"
#include "kernel/time/posix_timer.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "kernel/time/ktimer.h"
#include "kernel/printk.h"
#include "kernel/tracing/hooks.h"
#include "mm/vm.h"
#include "mm/paging.h"

#define SCHED_LATENCY_NS 6000000ull     /* every runnable task runs once in this period... */
#define MIN_SLICE_NS 750000ull          /* ...unless that makes turns shorter than this */
#define WAKEUP_GRANULARITY_NS 1000000ull /* a woken task preempts one this far ahead of it */
#define MAX_CHARGE_NS 2000000ull        /* two ticks: see account_current */

void context_switch(uint64_t *save_rsp, uint64_t load_rsp);

static struct list_node run_queue = LIST_INIT(run_queue); /* by vruntime, smallest first */
static unsigned nr_queued;
static uint64_t min_vruntime; /* never goes back: where new and waking tasks are placed */
static struct task *idle_task;
static bool resched_needed;

void sched_init(struct task *idle)
{
	idle_task = idle;
}

/* a < b for vruntimes, safe across wrap-around. */
static bool before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

static struct task *leftmost(void)
{
	return list_empty(&run_queue) ? NULL : list_first(&run_queue, struct task, run_node);
}

/* min_vruntime follows the smallest vruntime of the running and queued tasks, never back. */
static void update_min_vruntime(void)
{
	struct task *cur = current, *first = leftmost();
	bool cur_counts = cur != idle_task && cur->state == TASK_RUNNING;
	uint64_t v = cur_counts ? cur->se.vruntime : min_vruntime;
	if (first && (!cur_counts || before(first->se.vruntime, v)))
		v = first->se.vruntime;
	if (before(min_vruntime, v))
		min_vruntime = v;
}

/* Charge the running task for the CPU it used since it was last charged:
 * at every tick, and when it stops running. A longer gap between two
 * charges is not CPU it used: under emulation the host may pause the
 * virtual CPU for 100 ms ("steal time"), and charging all of it to the
 * task that happened to be running would push it far behind the others. */
static void account_current(uint64_t now)
{
	struct task *cur = current;
	if (cur == idle_task || now <= cur->se.exec_start)
		return;
	uint64_t delta = now - cur->se.exec_start;
	if (delta > MAX_CHARGE_NS)
		delta = MAX_CHARGE_NS;
	cur->se.exec_start = now;
	cur->se.sum_exec += delta;
	cur->se.vruntime += delta * NICE_0_WEIGHT / (cur->se.weight ? cur->se.weight : NICE_0_WEIGHT);
	update_min_vruntime();
}

/* Into the queue in vruntime order. From the back: a task that used its
 * slice has the largest vruntime, so it usually goes straight to the end. */
static void queue_insert(struct task *t, uint64_t now)
{
	struct list_node *pos = &run_queue;
	while (pos->prev != &run_queue &&
	       before(t->se.vruntime, list_entry(pos->prev, struct task, run_node)->se.vruntime))
		pos = pos->prev;
	list_add_before(pos, &t->run_node);
	t->se.wait_start = now;
	nr_queued++;
}

/* A task joins from outside (new, woken, continued): place it near the others. */
static void place(struct task *t)
{
	if (t->se.weight == 0) { /* new: its parent's nice, and no head start */
		priority_init(t, t->parent);
		t->se.vruntime = min_vruntime;
		if (t->parent && before(min_vruntime, t->parent->se.vruntime))
			t->se.vruntime = t->parent->se.vruntime;
		return;
	}
	uint64_t credit = min_vruntime - SCHED_LATENCY_NS / 2; /* what a sleeper may be owed at most */
	if (before(t->se.vruntime, credit))
		t->se.vruntime = credit;
}

void sched_enqueue(struct task *t)
{
	uint64_t f = irq_save();
	if (t != idle_task && list_empty(&t->run_node)) {
		place(t);
		queue_insert(t, clock_monotonic_ns());
	}
	irq_restore(f);
}

/* Should the woken task t run before the current one? */
static bool wakeup_preempts(const struct task *t)
{
	struct task *cur = current;
	if (cur == idle_task)
		return true;
	return before(t->se.vruntime + WAKEUP_GRANULARITY_NS, cur->se.vruntime);
}

void task_wake(struct task *t)
{
	uint64_t f = irq_save();
	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		tracehook_wakeup(t);
		if (t != current) {
			account_current(clock_monotonic_ns());
			sched_enqueue(t);
			resched_needed = resched_needed || wakeup_preempts(t);
		}
	}
	irq_restore(f);
}

bool need_resched(void)
{
	return resched_needed;
}

/* The one place that chooses: the runnable task with the least vruntime. */
static struct task *pick_next(uint64_t now)
{
	struct task *t = leftmost();
	if (!t)
		return idle_task;
	list_remove(&t->run_node);
	nr_queued--;
	t->se.run_delay += now - t->se.wait_start;
	return t;
}

/* Load what the CPU needs to run `next` in user mode later. */
static void switch_cpu_state(struct task *prev, struct task *next)
{
	fpu_save(prev->fpu_state);
	fpu_restore(next->fpu_state);
	tss_set_kernel_stack(next->kstack_top);
	percpu_set_kernel_stack(next->kstack_top);
	if (next->mm && (!prev->mm || prev->mm->pml4 != next->mm->pml4))
		switch_address_space(next->mm->pml4);
	wrmsr(MSR_FS_BASE, next->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, next->gs_base); /* the user's gs, swapped in on exit */
}

void schedule(void)
{
	uint64_t f = irq_save();
	struct task *prev = current;
	free_dead_tasks(); /* exited with nobody to wait for them (kernel/proc/task.c) */
	uint64_t now = clock_monotonic_ns();
	account_current(now);
	if (prev->state == TASK_RUNNING && prev != idle_task && list_empty(&prev->run_node))
		queue_insert(prev, now); /* still runnable: back in line, by its vruntime */
	struct task *next = pick_next(now);
	resched_needed = false;
	next->se.exec_start = now;
	next->se.slice_start = next->se.sum_exec;
	if (next != prev) {
		next->se.timeslices++;
		tracehook_sched_switch(prev, next); /* sched:sched_switch, perf's clocks */
		switch_cpu_state(prev, next);
		this_cpu()->current_task = next;
		context_switch(&prev->saved_rsp, next->saved_rsp);
		/* ...and much later, when someone switches back to prev, here. */
	}
	irq_restore(f);
}

/* This turn's length: the latency period shared by all that want the CPU. */
static uint64_t slice_ns(void)
{
	uint64_t slice = SCHED_LATENCY_NS / (nr_queued + 1);
	return slice < MIN_SLICE_NS ? MIN_SLICE_NS : slice;
}

void sched_tick(bool from_user)
{
	struct task *t = current;
	if (t == idle_task)
		return;
	if (from_user)
		t->user_ticks++;
	else
		t->system_ticks++;
	cpu_limit_tick(t);
	itimer_tick(t, from_user);
	posix_cpu_timers_tick(t);
	account_current(clock_monotonic_ns());
	struct task *first = leftmost();
	if (first && t->se.sum_exec - t->se.slice_start >= slice_ns() && !before(t->se.vruntime, first->se.vruntime))
		resched_needed = true;
}

void idle_loop(void)
{
	for (;;) {
		irq_disable();
		if (list_empty(&run_queue))
			irq_enable_and_halt(); /* sleep until the next interrupt */
		else
			schedule();
		irq_enable();
	}
}

static void wake_sleeper(struct ktimer *t)
{
	task_wake(t->data);
}

uint64_t sleep_ns(uint64_t ns)
{
	struct ktimer timer;
	uint64_t deadline = clock_monotonic_ns() + ns;
	ktimer_init(&timer, wake_sleeper, current);
	ktimer_start(&timer, deadline);
	for (;;) {
		current->state = TASK_SLEEPING;
		if (clock_monotonic_ns() >= deadline || current_signal_pending())
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
	ktimer_cancel(&timer);
	uint64_t now = clock_monotonic_ns();
	return now >= deadline ? 0 : deadline - now;
}
