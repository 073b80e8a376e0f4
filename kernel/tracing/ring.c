/*
 * The trace ring buffer (course section: kernel debugging techniques).
 *
 * Events are written by the kernel at any moment and read by a program
 * whenever it likes, so they go into a ring: a fixed array in which the
 * writer never waits. When it is full the oldest records are overwritten
 * (Linux's default "overwrite" mode): a trace shows the latest events.
 *
 * Positions are logical byte counts that only grow; a record at position p
 * lies at data[p % size] and never straddles the end of the array (the
 * writer pads the end and wraps instead). `tail` is the oldest record still
 * there, `head` where the next one goes. trace_pipe consumes by moving
 * tail; `trace` reads a copy of a position and never moves it.
 *
 * Interrupts are off between reserve and commit: an event fired by an
 * interrupt handler cannot cut into a record being written.
 */
#include "kernel/tracing/ring.h"
#include "arch/x86_64/cpu.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct record_header {
	uint32_t len;  /* the whole record, header included, a multiple of 8 */
	uint32_t pad;  /* 1: filler up to the end of the array */
	uint64_t ts_ns;
};

static struct {
	uint8_t *data;
	size_t size;
	uint64_t head, tail;
	uint64_t entries, written; /* records in the ring, and since the reset */
	uint64_t irq_flags;
	struct wait_queue readers;
} ring;

static struct record_header *at(uint64_t pos)
{
	return (struct record_header *)(ring.data + pos % ring.size);
}

/* Drop the oldest record (or filler). */
static void drop_oldest(void)
{
	struct record_header *h = at(ring.tail);
	if (!h->pad)
		ring.entries--;
	ring.tail += h->len;
}

/* Make room for n contiguous bytes at head. */
static void make_room(size_t n)
{
	size_t to_end = ring.size - ring.head % ring.size;
	if (to_end < n) {
		while (ring.head + to_end - ring.tail > ring.size)
			drop_oldest();
		/* Fill to the end of the array and wrap. */
		struct record_header *pad = at(ring.head);
		pad->len = (uint32_t)to_end;
		pad->pad = 1;
		ring.head += to_end;
	}
	while (ring.head + n - ring.tail > ring.size)
		drop_oldest();
}

void *ring_reserve(size_t len, uint64_t ts_ns)
{
	size_t n = (sizeof(struct record_header) + len + 7) & ~(size_t)7;
	if (!ring.data || n > ring.size / 2)
		return NULL;
	ring.irq_flags = irq_save();
	make_room(n);
	struct record_header *h = at(ring.head);
	h->len = (uint32_t)n;
	h->pad = 0;
	h->ts_ns = ts_ns;
	ring.head += n;
	ring.entries++;
	ring.written++;
	return h + 1;
}

void ring_commit(void)
{
	irq_restore(ring.irq_flags);
}

bool ring_peek(uint64_t *pos, struct ring_record *rec)
{
	uint64_t f = irq_save();
	bool found = false;
	if (*pos < ring.tail)
		*pos = ring.tail;
	while (*pos < ring.head) {
		struct record_header *h = at(*pos);
		*pos += h->len;
		if (h->pad)
			continue;
		rec->ts_ns = h->ts_ns;
		rec->data = h + 1;
		rec->len = h->len - sizeof(*h);
		found = true;
		break;
	}
	irq_restore(f);
	return found;
}

uint64_t ring_tail(void)
{
	return ring.tail;
}

void ring_consume_to(uint64_t pos)
{
	uint64_t f = irq_save();
	while (ring.tail < pos && ring.tail < ring.head)
		drop_oldest();
	irq_restore(f);
}

bool ring_empty(void)
{
	return ring.entries == 0;
}

void ring_reset(void)
{
	uint64_t f = irq_save();
	ring.tail = ring.head;
	ring.entries = ring.written = 0;
	irq_restore(f);
}

int ring_resize_kb(size_t kb)
{
	if (kb == 0 || kb > RING_MAX_KB)
		return -EINVAL;
	uint8_t *data = kmalloc(kb * 1024);
	if (!data)
		return -ENOMEM;
	uint64_t f = irq_save();
	uint8_t *old = ring.data;
	ring.data = data;
	ring.size = kb * 1024;
	ring.head = ring.tail = 0;
	ring.entries = ring.written = 0;
	irq_restore(f);
	kfree(old);
	return 0;
}

size_t ring_size_kb(void)
{
	return ring.size / 1024;
}

void ring_counts(uint64_t *in_buffer, uint64_t *written)
{
	*in_buffer = ring.entries;
	*written = ring.written;
}

struct wait_queue *ring_readers(void)
{
	return &ring.readers;
}

void ring_init(void)
{
	wait_queue_init(&ring.readers);
	ring_resize_kb(RING_DEFAULT_KB);
}
