/*
 * futex_sync: a process-shared mutex, condition variable and message ring
 * on futex(2) (course section: shared memory). See <futex_sync.h>.
 *
 * The atomic operations are gcc's __atomic builtins, which on x86_64 become
 * `lock cmpxchg`, `xchg` and `lock xadd`: read-modify-write instructions the
 * CPU performs indivisibly on the shared word, whichever process (and CPU)
 * runs them. Sequentially consistent ordering everywhere: the simplest to
 * reason about, and these paths are not hot enough to need less.
 */
#include <errno.h>
#include <futex_sync.h>
#include <stdbool.h>
#include <string.h>

#include "internal.h"
#include "syscall_arch.h"
#include "syscall_nr.h"

#define ORDER __ATOMIC_SEQ_CST

/* ---- the syscall ------------------------------------------------------------- */

long futex(uint32_t *uaddr, int futex_op, uint32_t val, const struct timespec *timeout, uint32_t *uaddr2,
	   uint32_t val3)
{
	return __syscall_ret(__syscall6(__NR_futex, (long)uaddr, futex_op, val, (long)timeout, (long)uaddr2, val3));
}

/* No FUTEX_PRIVATE_FLAG: the word may be shared with another process, so
 * the kernel must key it by its physical page, not by our address space. */
int futex_wait(uint32_t *word, uint32_t expected, const struct timespec *timeout)
{
	return (int)futex(word, FUTEX_WAIT, expected, timeout, NULL, 0);
}

int futex_wake(uint32_t *word, int count)
{
	return (int)futex(word, FUTEX_WAKE, (uint32_t)count, NULL, NULL, 0);
}

/* ---- mutex ----------------------------------------------------------------------
 *
 * The classic three-state futex mutex (U. Drepper, "Futexes Are Tricky"):
 * 0 free, 1 locked, 2 locked with possible sleepers. Lock: 0 -> 1 with one
 * compare-and-swap when free; otherwise mark it 2 and sleep until it is
 * released. Unlock: back to 0, and only if it was 2 wake one sleeper. */

void shared_mutex_init(struct shared_mutex *m)
{
	__atomic_store_n(&m->state, 0, ORDER);
}

/* Swap in `want` if the word holds `expect`; returns what it held. */
static uint32_t compare_and_swap(uint32_t *word, uint32_t expect, uint32_t want)
{
	__atomic_compare_exchange_n(word, &expect, want, false, ORDER, ORDER);
	return expect; /* on failure the builtin stored the current value here */
}

int shared_mutex_trylock(struct shared_mutex *m)
{
	return compare_and_swap(&m->state, 0, 1) == 0 ? 0 : EBUSY;
}

void shared_mutex_lock(struct shared_mutex *m)
{
	uint32_t seen = compare_and_swap(&m->state, 0, 1);
	if (seen == 0)
		return; /* it was free: ours, without the kernel */
	/* Taken. Say "someone waits" (2) and sleep while it stays taken. The
	 * exchange also takes the lock if it was released meanwhile (it
	 * returns 0), leaving 2: our unlock will then wake a possible sleeper. */
	if (seen != 2)
		seen = __atomic_exchange_n(&m->state, 2, ORDER);
	while (seen != 0) {
		futex_wait(&m->state, 2, NULL);
		seen = __atomic_exchange_n(&m->state, 2, ORDER);
	}
}

void shared_mutex_unlock(struct shared_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, ORDER) == 2)
		futex_wake(&m->state, 1);
}

/* ---- condition variable -----------------------------------------------------------
 *
 * A waiter notes seq, releases the mutex and sleeps "while seq is still
 * what I noted". A signal changes seq first, then wakes: whether it comes
 * before the waiter's FUTEX_WAIT (which then returns EAGAIN at once) or
 * after (which wakes it), the waiter does not miss it. The caller changes
 * the state it signals about under the mutex, so a waiter either sees the
 * change when it checks its condition or notes seq before the signal. */

void shared_cond_init(struct shared_cond *c)
{
	__atomic_store_n(&c->seq, 0, ORDER);
	__atomic_store_n(&c->waiters, 0, ORDER);
}

void shared_cond_wait(struct shared_cond *c, struct shared_mutex *m)
{
	__atomic_add_fetch(&c->waiters, 1, ORDER);
	uint32_t seq = __atomic_load_n(&c->seq, ORDER);
	shared_mutex_unlock(m);
	futex_wait(&c->seq, seq, NULL); /* EAGAIN or EINTR: the caller's loop re-checks */
	__atomic_sub_fetch(&c->waiters, 1, ORDER);
	shared_mutex_lock(m);
}

static void cond_wake(struct shared_cond *c, int count)
{
	if (__atomic_load_n(&c->waiters, ORDER) == 0)
		return; /* nobody sleeps: no syscall */
	__atomic_add_fetch(&c->seq, 1, ORDER);
	futex_wake(&c->seq, count);
}

void shared_cond_signal(struct shared_cond *c)
{
	cond_wake(c, 1);
}

void shared_cond_broadcast(struct shared_cond *c)
{
	cond_wake(c, INT32_MAX);
}

/* ---- a ring of messages -------------------------------------------------------------
 *
 * put and got only grow (64 bits never wrap in practice); message k lives
 * in slot k % slots. The ring is full when put - got == slots. */

size_t shared_ring_size(uint32_t slots, uint32_t slot_size)
{
	return sizeof(struct shared_ring) + (size_t)slots * slot_size;
}

void shared_ring_init(struct shared_ring *r, uint32_t slots, uint32_t slot_size)
{
	shared_mutex_init(&r->lock);
	shared_cond_init(&r->not_empty);
	shared_cond_init(&r->not_full);
	r->slots = slots;
	r->slot_size = slot_size;
	r->put = r->got = 0;
}

static unsigned char *slot(struct shared_ring *r, uint64_t k)
{
	return r->data + (size_t)(k % r->slots) * r->slot_size;
}

size_t shared_ring_put(struct shared_ring *r, const void *msgs, size_t count)
{
	if (count == 0)
		return 0;
	shared_mutex_lock(&r->lock);
	while (r->put - r->got == r->slots)
		shared_cond_wait(&r->not_full, &r->lock);
	size_t room = r->slots - (size_t)(r->put - r->got);
	size_t n = count < room ? count : room;
	for (size_t i = 0; i < n; i++)
		memcpy(slot(r, r->put + i), (const unsigned char *)msgs + i * r->slot_size, r->slot_size);
	r->put += n;
	bool room_left = r->put - r->got < r->slots;
	shared_mutex_unlock(&r->lock);
	shared_cond_signal(&r->not_empty);
	if (room_left)
		shared_cond_signal(&r->not_full); /* pass the turn on to another producer */
	return n;
}

size_t shared_ring_get(struct shared_ring *r, void *msgs, size_t max)
{
	if (max == 0)
		return 0;
	shared_mutex_lock(&r->lock);
	while (r->put == r->got)
		shared_cond_wait(&r->not_empty, &r->lock);
	size_t waiting = (size_t)(r->put - r->got);
	size_t n = max < waiting ? max : waiting;
	for (size_t i = 0; i < n; i++)
		memcpy((unsigned char *)msgs + i * r->slot_size, slot(r, r->got + i), r->slot_size);
	r->got += n;
	bool more_left = r->put != r->got;
	shared_mutex_unlock(&r->lock);
	shared_cond_signal(&r->not_full);
	if (more_left)
		shared_cond_signal(&r->not_empty); /* pass the rest on to another consumer */
	return n;
}
