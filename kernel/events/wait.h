/* Wait queues: how a task sleeps until something happens (course section: processes). */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/errno.h"

struct task;
struct waiter;

/* What to do when the queue is woken: by default, wake the task. poll and
 * epoll install their own function to learn which file became ready. */
typedef void (*wake_fn)(struct waiter *w, uint32_t events);

struct waiter {
	struct list_node node;
	struct task *task;
	wake_fn wake;
	void *data;
};

struct wait_queue {
	struct list_node waiters;
};

#define WAIT_QUEUE_INIT(name) { LIST_INIT((name).waiters) }

void wait_queue_init(struct wait_queue *wq);
void waiter_init(struct waiter *w, wake_fn wake, void *data);
void wait_queue_add(struct wait_queue *wq, struct waiter *w);
void wait_queue_remove(struct waiter *w);
/* The queue is about to be freed: unhook every waiter still on it. */
void wait_queue_detach_all(struct wait_queue *wq);

/* Wake every waiter; `events` tells poll waiters what happened (POLLIN...). */
void wake_up(struct wait_queue *wq, uint32_t events);
static inline void wake_up_all(struct wait_queue *wq) { wake_up(wq, ~0u); }

/* Sleep on wq until cond is true. Returns 0, or -ERESTARTSYS if a signal
 * arrived first (the syscall then returns EINTR or is restarted). The
 * condition is tested after the task is on the queue and marked asleep, so
 * a wake-up between the test and the sleep is never lost. */
#define wait_event_interruptible(wq, cond)                                   \
	({                                                                   \
		int __ret = 0;                                               \
		struct waiter __w;                                           \
		waiter_init(&__w, NULL, NULL);                               \
		for (;;) {                                                   \
			prepare_to_wait((wq), &__w);                         \
			if (cond)                                            \
				break;                                       \
			if (current_signal_pending()) {                      \
				__ret = -ERESTARTSYS;                        \
				break;                                       \
			}                                                    \
			schedule();                                          \
		}                                                            \
		finish_wait(&__w);                                           \
		__ret;                                                       \
	})

void prepare_to_wait(struct wait_queue *wq, struct waiter *w);
void finish_wait(struct waiter *w);
bool current_signal_pending(void);
void schedule(void);

#endif
