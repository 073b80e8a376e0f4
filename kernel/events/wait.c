/*
 * Wait queues (course section: processes; the integrated event system).
 *
 * Everything that blocks -- a read from an empty pipe, wait4, nanosleep,
 * poll -- puts the task on a wait queue belonging to the thing it waits
 * for, marks it asleep and calls schedule(). Whoever changes that thing
 * (a writer, an exiting child, a timer) calls wake_up() on the queue.
 *
 * A waiter can carry its own wake function: that is how poll and epoll
 * learn which of many files became ready, through the same queues that
 * plain blocking reads use. One mechanism serves all of them.
 */
#include "kernel/events/wait.h"
#include "arch/x86_64/cpu.h"
#include "kernel/proc/sched.h"
#include "kernel/proc/task.h"

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

void waiter_init(struct waiter *w, wake_fn wake, void *data)
{
	list_init(&w->node);
	w->task = current;
	w->wake = wake;
	w->data = data;
}

void wait_queue_add(struct wait_queue *wq, struct waiter *w)
{
	uint64_t f = irq_save();
	if (list_empty(&w->node))
		list_push_back(&wq->waiters, &w->node);
	irq_restore(f);
}

void wait_queue_remove(struct waiter *w)
{
	uint64_t f = irq_save();
	if (!list_empty(&w->node))
		list_remove(&w->node);
	irq_restore(f);
}

/* For a queue that dies before its waiters: a task's signal queue, on
 * which an epoll item watching its signalfd may still hang when the task
 * exits (the epoll set can live on in another process). */
void wait_queue_detach_all(struct wait_queue *wq)
{
	uint64_t f = irq_save();
	while (!list_empty(&wq->waiters))
		list_remove(wq->waiters.next);
	irq_restore(f);
}

void wake_up(struct wait_queue *wq, uint32_t events)
{
	uint64_t f = irq_save();
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &wq->waiters) {
		struct waiter *w = list_entry(n, struct waiter, node);
		if (w->wake)
			w->wake(w, events);
		else
			task_wake(w->task);
	}
	irq_restore(f);
}

void prepare_to_wait(struct wait_queue *wq, struct waiter *w)
{
	uint64_t f = irq_save();
	wait_queue_add(wq, w);
	current->state = TASK_SLEEPING;
	irq_restore(f);
}

void finish_wait(struct waiter *w)
{
	current->state = TASK_RUNNING;
	wait_queue_remove(w);
}
