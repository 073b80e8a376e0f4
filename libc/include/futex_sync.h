/*
 * futex_sync: a futex wrapper, a process-shared mutex and condition
 * variable, and a message ring built on them (course section: shared
 * memory).
 *
 * Two processes that map the same memory (a SysV segment, a MAP_SHARED
 * mapping, a POSIX shm object) can keep these structures in it and use
 * them to take turns. The idea to learn is the split between user space and
 * the kernel:
 *   - taking a free lock or signalling when nobody waits is one atomic
 *     instruction on the shared word: no syscall at all;
 *   - only a process that must wait enters the kernel, with
 *     FUTEX_WAIT(word, value seen): "put me to sleep, unless the word has
 *     changed meanwhile". The kernel checks the word and queues the caller
 *     in one step, so a wake-up sent between the check and the sleep is not
 *     lost. FUTEX_WAKE(word, n) wakes n sleepers.
 * The kernel finds the sleepers of a word by its physical address, so the
 * word may sit at different virtual addresses in the two processes.
 *
 * Every structure here is plain memory: initialise it once (the *_init
 * functions; a mutex or condvar may also start as all zeros), in memory
 * that every user maps MAP_SHARED. None of it is a pthread object; there
 * are no threads in sysgate. Limits a student should know: shared_mutex is
 * not "robust" -- a process that dies holding it leaves it held forever
 * (robust_mutex, below, is the answer) -- and a condvar waiter could miss a
 * signal only if exactly 2^32 signals came between its look at the
 * sequence number and its FUTEX_WAIT.
 *
 * A shared ring of fixed-size messages, between a producer and a consumer:
 *
 *     struct shared_ring *r = shmat(id, NULL, 0);   // at least shared_ring_size(...) bytes
 *     shared_ring_init(r, 1024, sizeof(long));       // once, before fork
 *     producer: shared_ring_put(r, msgs, n);   // waits while full; returns how many it put
 *     consumer: shared_ring_get(r, msgs, max); // waits while empty; returns how many it got
 *
 * Both calls move as many messages as they can at once (a batch), so the
 * processes switch only when the ring fills or empties.
 */
#ifndef LIBC_FUTEX_SYNC_H
#define LIBC_FUTEX_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "abi/ipc.h"	/* FUTEX_WAIT, FUTEX_WAKE, FUTEX_PRIVATE_FLAG, ... */

/* ---- the syscall ------------------------------------------------------------- */

/* futex(2) exactly as the kernel takes it: -1 and errno on failure. */
long futex(uint32_t *uaddr, int futex_op, uint32_t val, const struct timespec *timeout, uint32_t *uaddr2,
	   uint32_t val3);

/* Sleep while *word == expected, at most timeout (relative; NULL: no limit).
 * 0 when woken (or spuriously); -1 with errno EAGAIN (the word was not
 * `expected`), ETIMEDOUT or EINTR (a signal handler ran). The word may be
 * in memory shared with other processes. */
int futex_wait(uint32_t *word, uint32_t expected, const struct timespec *timeout);
/* Wake up to count processes sleeping on word; returns how many woke. */
int futex_wake(uint32_t *word, int count);

/* ---- mutex -------------------------------------------------------------------- */

/* state: 0 free, 1 locked, 2 locked and someone may be sleeping on it. */
struct shared_mutex {
	uint32_t state;
};

void shared_mutex_init(struct shared_mutex *m);
void shared_mutex_lock(struct shared_mutex *m);
int shared_mutex_trylock(struct shared_mutex *m);	/* 0, or EBUSY if it is taken */
void shared_mutex_unlock(struct shared_mutex *m);

/* ---- robust mutex (libc/robust_mutex.c) ------------------------------------ */

/* A mutex whose owner's death is reported instead of leaving it locked:
 * the word is the owner's thread id, and the kernel, told where this
 * process's held mutexes are (set_robust_list), marks them FUTEX_OWNER_DIED
 * when it dies. Zeroed memory is an unlocked robust_mutex. */
struct robust_mutex {
	struct robust_mutex *next, *prev;	/* this process's list of held ones */
	uint32_t word;				/* 0 free; owner tid | FUTEX_WAITERS */
};
void robust_mutex_init(struct robust_mutex *m);
/* 0, or EOWNERDEAD: the lock is ours, but its last owner died holding it,
 * so what it protects may be inconsistent. */
int robust_mutex_lock(struct robust_mutex *m);
void robust_mutex_unlock(struct robust_mutex *m);

/* ---- condition variable --------------------------------------------------------- */

/* seq changes at every signal; sleepers wait for it to change. waiters
 * counts them, so that a signal nobody waits for costs no syscall. */
struct shared_cond {
	uint32_t seq;
	uint32_t waiters;
};

void shared_cond_init(struct shared_cond *c);
/* Unlocks m, sleeps until signalled, locks m again. May return without a
 * signal: always call it in a loop that re-checks the condition. */
void shared_cond_wait(struct shared_cond *c, struct shared_mutex *m);
void shared_cond_signal(struct shared_cond *c);		/* wakes one sleeper */
void shared_cond_broadcast(struct shared_cond *c);	/* wakes them all */

/* ---- a ring of messages ------------------------------------------------------------ */

struct shared_ring {
	struct shared_mutex lock;
	struct shared_cond not_empty, not_full;
	uint32_t slots;		/* capacity, in messages */
	uint32_t slot_size;	/* bytes per message */
	uint64_t put, got;	/* messages ever put and ever taken: put - got are waiting */
	unsigned char data[];	/* slots * slot_size bytes */
};

/* Bytes of shared memory a ring of `slots` messages of `slot_size` needs
 * (slots and slot_size at least 1). */
size_t shared_ring_size(uint32_t slots, uint32_t slot_size);
void shared_ring_init(struct shared_ring *r, uint32_t slots, uint32_t slot_size);
/* Copies up to count messages in, waiting while the ring is full. Returns
 * how many it put (at least 1 if count > 0). */
size_t shared_ring_put(struct shared_ring *r, const void *msgs, size_t count);
/* Copies up to max messages out, waiting while the ring is empty. Returns
 * how many it got (at least 1 if max > 0). */
size_t shared_ring_get(struct shared_ring *r, void *msgs, size_t max);

#endif
