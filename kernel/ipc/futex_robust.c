/*
 * Robust futexes: a lock whose owner dies does not stay locked for ever
 * (course section: shared memory).
 *
 * A process-shared mutex lives in memory the kernel does not understand.
 * If its owner dies holding it, the other processes would wait forever --
 * unless the kernel is told, beforehand, where the locks this process holds
 * are. That is the robust list: the C library keeps, in user memory, a list
 * of the mutexes this process holds, and gives the kernel its head with
 * set_robust_list. At exit (and exec), the kernel walks that list -- user
 * memory, so every read may fail and the walk is bounded -- and for each
 * lock word still holding our thread id it sets FUTEX_OWNER_DIED and wakes
 * one waiter. That waiter takes the lock knowing its data may be half
 * updated (pthread_mutex_lock returns EOWNERDEAD).
 *
 * The protocol is Linux's: the word holds the owner's tid, with
 * FUTEX_WAITERS set while someone sleeps on it.
 */
#include "kernel/ipc/futex.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/ipc.h"
#include "mm/uaccess.h"

#define ROBUST_LIST_LIMIT 2048 /* entries walked at most: a corrupt list must end */

struct robust_list {
	uint64_t next; /* user pointer to the next entry; bit 0: a PI futex */
};

struct robust_list_head {
	struct robust_list list; /* the first entry; the list ends back here */
	long futex_offset;       /* from an entry to its lock word */
	uint64_t list_op_pending; /* an entry being added or removed at the moment */
};

_Static_assert(sizeof(struct robust_list_head) == 24, "Linux's robust_list_head is 24 bytes");

long sys_set_robust_list(void __user *head, size_t len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	current->robust_list = (uint64_t)head;
	return 0;
}

long sys_get_robust_list(pid_t pid, void __user **head_ptr, size_t __user *len_ptr)
{
	struct task *t = pid ? task_find(pid) : current;
	if (!t)
		return -ESRCH;
	uint64_t head = t->robust_list;
	size_t len = sizeof(struct robust_list_head);
	if (copy_to_user(len_ptr, &len, sizeof(len)) || copy_to_user(head_ptr, &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/* The owner died holding the lock at uaddr: mark it, wake one waiter. */
static void owner_died(uint64_t uaddr, pid_t tid)
{
	uint32_t word;
	if (uaddr % 4 || copy_from_user(&word, (const void __user *)uaddr, sizeof(word)))
		return;
	if ((word & FUTEX_TID_MASK) != (uint32_t)tid)
		return; /* not ours (any more) */
	uint32_t died = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	/* No other task runs meanwhile (the kernel is not preempted), so a
	 * plain store is as good as Linux's compare-and-exchange here. */
	if (copy_to_user((void __user *)uaddr, &died, sizeof(died)))
		return;
	if (word & FUTEX_WAITERS)
		futex_wake_address(uaddr, 1);
}

static bool fetch_next(uint64_t entry, uint64_t *next)
{
	return copy_from_user(next, (const void __user *)entry, sizeof(*next)) == 0;
}

void futex_release_robust_list(struct task *t)
{
	struct robust_list_head head;
	uint64_t uhead = t->robust_list;
	t->robust_list = 0;
	if (!uhead || copy_from_user(&head, (const void __user *)uhead, sizeof(head)))
		return;
	uint64_t entry = head.list.next & ~1ull;
	for (int n = 0; entry != uhead && n < ROBUST_LIST_LIMIT; n++) {
		uint64_t next;
		bool more = fetch_next(entry, &next); /* before the word changes hands */
		if (entry != (head.list_op_pending & ~1ull))
			owner_died(entry + head.futex_offset, t->pid);
		if (!more)
			break;
		entry = next & ~1ull;
	}
	if (head.list_op_pending)
		owner_died((head.list_op_pending & ~1ull) + head.futex_offset, t->pid);
}
