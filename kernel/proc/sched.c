/*
 * The scheduler: round robin, preempted by the timer (course section: processes).
 *
 * Runnable tasks wait in one FIFO run queue; the running task is not in it.
 * Each task runs for a slice of TIME_SLICE_TICKS timer ticks. When the slice
 * is used up, the timer interrupt sets "need resched", and on its way back to
 * user mode (kernel/entry.c) the task calls schedule(), which puts it at the
 * back of the queue and switches to the task at the front. A task that
 * blocks calls schedule() itself, marked asleep, and is not queued again
 * until task_wake(). When nothing is runnable the idle task halts the CPU.
 *
 * The kernel itself is not preempted: a task switches only where it calls
 * schedule(). With one CPU, that is why kernel data needs no locks, only
 * irq_save() where interrupt handlers touch it too.
 */
#include "kernel/proc/sched.h"
#include "kernel/proc/rlimit.h"
#include "kernel/time/itimer.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "kernel/time/ktimer.h"
#include "kernel/printk.h"
#include "kernel/tracing/hooks.h"
#include "mm/vm.h"
#include "mm/paging.h"

void context_switch(uint64_t *save_rsp, uint64_t load_rsp);

static struct list_node run_queue = LIST_INIT(run_queue);
static struct task *idle_task;
static bool resched_needed;

void sched_init(struct task *idle)
{
	idle_task = idle;
}

void sched_enqueue(struct task *t)
{
	uint64_t f = irq_save();
	if (t != idle_task && list_empty(&t->run_node))
		list_push_back(&run_queue, &t->run_node);
	irq_restore(f);
}

void task_wake(struct task *t)
{
	uint64_t f = irq_save();
	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		tracehook_wakeup(t);
		if (t != current)
			sched_enqueue(t);
		resched_needed = resched_needed || current == idle_task;
	}
	irq_restore(f);
}

bool need_resched(void)
{
	return resched_needed;
}

static struct task *pick_next(void)
{
	if (list_empty(&run_queue))
		return idle_task;
	struct task *t = list_first(&run_queue, struct task, run_node);
	list_remove(&t->run_node);
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
	if (prev->state == TASK_RUNNING)
		sched_enqueue(prev);
	struct task *next = pick_next();
	resched_needed = false;
	if (next != prev) {
		next->ticks_left = TIME_SLICE_TICKS;
		tracehook_sched_switch(prev, next); /* sched:sched_switch, perf's clocks */
		switch_cpu_state(prev, next);
		this_cpu()->current_task = next;
		context_switch(&prev->saved_rsp, next->saved_rsp);
		/* ...and much later, when someone switches back to prev, here. */
	} else if (prev->ticks_left <= 0) {
		prev->ticks_left = TIME_SLICE_TICKS;
	}
	irq_restore(f);
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
	if (--t->ticks_left <= 0 && !list_empty(&run_queue))
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
