/*
 * A robust process-shared mutex: the owner's death does not leave it
 * locked for ever (course section: shared memory). See <futex_sync.h>.
 *
 * The lock word holds the owner's thread id (0 when free), and
 * FUTEX_WAITERS while someone sleeps on it. Every mutex this process holds
 * is on a list in its own memory, whose head the kernel was given with
 * set_robust_list. If the process dies, the kernel walks the list
 * (kernel/ipc/futex_robust.c), sets FUTEX_OWNER_DIED in each word still
 * holding our id, and wakes a waiter, whose lock call then succeeds with
 * EOWNERDEAD: the lock is its, but the data it protects may be half
 * updated -- the caller must check or repair it.
 *
 * list_op_pending covers the instants when a mutex is being taken or
 * released and is not yet (or no longer) on the list: the kernel looks at
 * that one entry too.
 */
#include <errno.h>
#include <futex_sync.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include "internal.h"
#include "syscall_arch.h"
#include "syscall_nr.h"

#define ORDER __ATOMIC_SEQ_CST

/* Linux's robust_list_head: what the kernel reads at our death. */
static struct {
	struct robust_mutex *next;	/* the first held mutex; the list ends back here */
	long futex_offset;		/* from a mutex's list entry to its word */
	struct robust_mutex *list_op_pending;
} head;
static pid_t registered_for;		/* the process that told the kernel (fork makes new ones) */

/* Tell the kernel where our list is -- once per process: a child starts
 * with no list in the kernel, and holds none of its parent's locks. */
static void register_list(void)
{
	pid_t me = (pid_t)__syscall0(__NR_getpid);

	if (registered_for == me)
		return;
	head.next = (struct robust_mutex *)&head;
	head.futex_offset = offsetof(struct robust_mutex, word) - offsetof(struct robust_mutex, next);
	head.list_op_pending = NULL;
	__syscall2(__NR_set_robust_list, (long)&head, sizeof(head));
	registered_for = me;
}

void robust_mutex_init(struct robust_mutex *m)
{
	m->next = m->prev = NULL;
	__atomic_store_n(&m->word, 0, ORDER);
}

/* On the list, at the front (the list is ours alone: no atomics needed). */
static void link_held(struct robust_mutex *m)
{
	m->next = head.next;
	m->prev = (struct robust_mutex *)&head;
	if (head.next != (struct robust_mutex *)&head)
		head.next->prev = m;
	head.next = m;
}

static void unlink_held(struct robust_mutex *m)
{
	if (m->prev == (struct robust_mutex *)&head)
		head.next = m->next;
	else
		m->prev->next = m->next;
	if (m->next != (struct robust_mutex *)&head)
		m->next->prev = m->prev;
}

int robust_mutex_lock(struct robust_mutex *m)
{
	uint32_t tid = (uint32_t)__syscall0(__NR_gettid);
	uint32_t want = tid; /* after a sleep, others may sleep too: keep FUTEX_WAITERS */
	int result = 0;

	register_list();
	head.list_op_pending = m;
	for (;;) {
		uint32_t seen = 0;
		if (__atomic_compare_exchange_n(&m->word, &seen, want, false, ORDER, ORDER))
			break; /* it was free */
		if (seen & FUTEX_OWNER_DIED) {
			/* Its owner died holding it: ours now, with the news. */
			if (__atomic_compare_exchange_n(&m->word, &seen, tid | (seen & FUTEX_WAITERS), false, ORDER,
							ORDER)) {
				result = EOWNERDEAD;
				break;
			}
			continue;
		}
		/* Held: say we wait, then sleep while it stays as we saw it. */
		if (!(seen & FUTEX_WAITERS) &&
		    !__atomic_compare_exchange_n(&m->word, &seen, seen | FUTEX_WAITERS, false, ORDER, ORDER))
			continue;
		futex_wait(&m->word, seen | FUTEX_WAITERS, NULL);
		want = tid | FUTEX_WAITERS;
	}
	link_held(m);
	head.list_op_pending = NULL;
	return result;
}

void robust_mutex_unlock(struct robust_mutex *m)
{
	head.list_op_pending = m;
	unlink_held(m);
	if (__atomic_exchange_n(&m->word, 0, ORDER) & FUTEX_WAITERS)
		futex_wake(&m->word, 1);
	head.list_op_pending = NULL;
}
