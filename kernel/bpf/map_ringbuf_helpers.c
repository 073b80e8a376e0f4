/*
 * Writing a BPF ring buffer: the helpers programs call (course section:
 * advanced eBPF tracing).
 *
 * bpf_ringbuf_reserve(map, size, 0) gives the program room for a record
 * inside the ring itself; the program fills it in place and then submits
 * it (user space may read it) or discards it (user space skips it).
 * bpf_ringbuf_output copies a finished record in, in one call.
 *
 * A reserved record is marked BUSY in its header; the producer position
 * moves past it at once, so records reserved later go after it and may be
 * submitted first. The reader stops at the first BUSY header: records
 * reach user space in the order they were reserved. Space runs out when the
 * producer would be a whole ring ahead of the consumer, or of the oldest
 * record still BUSY: then reserve says NULL and output -EAGAIN; nothing
 * waits, for a program must never sleep.
 *
 * Interrupts are off while positions move, so a program run by an
 * interrupt in the middle of another's reserve cannot take the same space.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"
#include "kernel/bpf/map_ringbuf.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

#define RB_WAKEUP_FLAGS (BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)

static struct bpf_ringbuf *ringbuf_of(uint64_t map)
{
	return container_of((struct bpf_map *)(uintptr_t)map, struct bpf_ringbuf, map);
}

/* A record's whole size in the ring: header and data, rounded to 8. */
static uint64_t record_space(uint64_t size)
{
	return ALIGN_UP(size + BPF_RINGBUF_HDR_SZ, 8ull);
}

/* Move pending_pos past the records already submitted or discarded. */
static void skip_committed(struct bpf_ringbuf *rb, uint64_t prod)
{
	while (rb->pending_pos < prod) {
		struct bpf_ringbuf_hdr *h = (void *)(rb->data + (rb->pending_pos & rb->mask));
		uint32_t len = __atomic_load_n(&h->len, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		rb->pending_pos += record_space(len & ~BPF_RINGBUF_DISCARD_BIT);
	}
}

static void *reserve(struct bpf_ringbuf *rb, uint64_t size)
{
	if (size > RINGBUF_MAX_RECORD_SZ)
		return NULL;
	uint64_t space = record_space(size);
	if (space > rb->mask + 1)
		return NULL;
	uint64_t cons = __atomic_load_n(rb->consumer_pos, __ATOMIC_ACQUIRE);
	uint64_t irq = irq_save();
	uint64_t prod = *rb->producer_pos, new_prod = prod + space;
	skip_committed(rb, prod);
	if (new_prod - cons > rb->mask || new_prod - rb->pending_pos > rb->mask) {
		irq_restore(irq);
		return NULL; /* no room: a whole ring ahead of the reader or the oldest busy record */
	}
	struct bpf_ringbuf_hdr *h = (void *)(rb->data + (prod & rb->mask));
	h->len = (uint32_t)size | BPF_RINGBUF_BUSY_BIT;
	h->pg_off = (uint32_t)(((uint64_t)h - ALIGN_DOWN((uint64_t)rb->base, PAGE_SIZE)) / PAGE_SIZE);
	__atomic_store_n(rb->producer_pos, new_prod, __ATOMIC_RELEASE); /* the reader sees the header first */
	irq_restore(irq);
	return h + 1;
}

/* The ring a reserved record lives in: its header's pg_off leads back to
 * the head page of the vmap, which names the ring. */
static struct bpf_ringbuf *ringbuf_of_record(struct bpf_ringbuf_hdr *h)
{
	uint64_t page = ALIGN_DOWN((uint64_t)h, PAGE_SIZE) - (uint64_t)h->pg_off * PAGE_SIZE;
	return ((struct bpf_ringbuf_head *)page)->rb;
}

/*
 * Clear BUSY (and set DISCARD): the record is the reader's. Wake the
 * reader if it had caught up with this very record -- it may be asleep
 * waiting for it -- unless told not to; or always, when told to.
 */
static void commit(void *sample, uint64_t flags, bool discard)
{
	struct bpf_ringbuf_hdr *h = (struct bpf_ringbuf_hdr *)sample - 1;
	struct bpf_ringbuf *rb = ringbuf_of_record(h);
	uint32_t len = h->len ^ BPF_RINGBUF_BUSY_BIT;
	if (discard)
		len |= BPF_RINGBUF_DISCARD_BIT;
	__atomic_exchange_n(&h->len, len, __ATOMIC_ACQ_REL);
	uint64_t rec_pos = (uint64_t)((uint8_t *)h - rb->data);
	uint64_t cons_pos = __atomic_load_n(rb->consumer_pos, __ATOMIC_ACQUIRE) & rb->mask;
	if ((flags & BPF_RB_FORCE_WAKEUP) || (cons_pos == rec_pos && !(flags & BPF_RB_NO_WAKEUP)))
		bpf_ringbuf_wake_soon(rb);
}

uint64_t bpf_ringbuf_reserve_fn(uint64_t map, uint64_t size, uint64_t flags, uint64_t r4, uint64_t r5)
{
	(void)r4;
	(void)r5;
	if (flags)
		return 0; /* no flag is defined for reserve */
	return (uint64_t)(uintptr_t)reserve(ringbuf_of(map), size);
}

uint64_t bpf_ringbuf_submit_fn(uint64_t sample, uint64_t flags, uint64_t r3, uint64_t r4, uint64_t r5)
{
	(void)r3;
	(void)r4;
	(void)r5;
	commit((void *)(uintptr_t)sample, flags, false);
	return 0;
}

uint64_t bpf_ringbuf_discard_fn(uint64_t sample, uint64_t flags, uint64_t r3, uint64_t r4, uint64_t r5)
{
	(void)r3;
	(void)r4;
	(void)r5;
	commit((void *)(uintptr_t)sample, flags, true);
	return 0;
}

uint64_t bpf_ringbuf_output_fn(uint64_t map, uint64_t data, uint64_t size, uint64_t flags, uint64_t r5)
{
	(void)r5;
	if (flags & ~RB_WAKEUP_FLAGS)
		return (uint64_t)-EINVAL;
	void *rec = reserve(ringbuf_of(map), size);
	if (!rec)
		return (uint64_t)-EAGAIN;
	memcpy(rec, (const void *)(uintptr_t)data, size);
	commit(rec, flags, false);
	return 0;
}

uint64_t bpf_ringbuf_query_fn(uint64_t map, uint64_t flags, uint64_t r3, uint64_t r4, uint64_t r5)
{
	(void)r3;
	(void)r4;
	(void)r5;
	struct bpf_ringbuf *rb = ringbuf_of(map);
	switch (flags) {
	case BPF_RB_AVAIL_DATA: return ringbuf_avail_data(rb);
	case BPF_RB_RING_SIZE: return rb->mask + 1;
	case BPF_RB_CONS_POS: return __atomic_load_n(rb->consumer_pos, __ATOMIC_ACQUIRE);
	case BPF_RB_PROD_POS: return __atomic_load_n(rb->producer_pos, __ATOMIC_ACQUIRE);
	default: return 0;
	}
}
