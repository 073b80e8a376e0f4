/*
 * The BPF ring buffer's state, shared by the map (map_ringbuf.c) and the
 * helpers programs call (map_ringbuf_helpers.c) (course section: advanced
 * eBPF tracing).
 */
#ifndef KERNEL_BPF_MAP_RINGBUF_H
#define KERNEL_BPF_MAP_RINGBUF_H

#include "kernel/bpf/map.h"
#include "kernel/events/wait.h"
#include "kernel/time/ktimer.h"

/*
 * The kernel's view is one vmap (mm/vmap.c), laid out as Linux's is, so a
 * record header's pg_off means the same:
 *   page 0                 the head: which ring this is
 *   page 1                 the consumer position (user space writes it)
 *   page 2                 the producer position (the kernel writes it)
 *   pages 3 .. 3+n-1       the data
 *   pages 3+n .. 3+2n-1    the same data frames again
 * User space maps the same frames from page 1 on (mmap offset 0 is the
 * consumer page).
 */
#define RINGBUF_HEAD_PAGES 1
#define RINGBUF_POS_PAGES 2
#define RINGBUF_DATA_PGOFF (RINGBUF_HEAD_PAGES + RINGBUF_POS_PAGES)
/* A record's size fits the header's 30 bits of length (Linux's limit). */
#define RINGBUF_MAX_RECORD_SZ (UINT32_MAX / 4)

/* The 8 bytes before each record. */
struct bpf_ringbuf_hdr {
	uint32_t len;    /* the record's size, BUSY while reserved, DISCARD if dropped */
	uint32_t pg_off; /* pages from the head of the vmap to this header's page */
};

struct bpf_ringbuf {
	struct bpf_map map;
	uint64_t mask;                     /* data bytes - 1 (a power of two) */
	size_t data_pages;
	phys_addr_t head_frame, cons_frame, prod_frame;
	phys_addr_t *data_frames;
	uint8_t *base;                     /* the vmap */
	volatile uint64_t *consumer_pos;   /* base + 1 page */
	volatile uint64_t *producer_pos;   /* base + 2 pages */
	uint8_t *data;                     /* base + 3 pages, twice in a row */
	uint64_t pending_pos;              /* the oldest record that may still be BUSY */
	struct wait_queue waitq;           /* poll and epoll on the map's fd */
	struct ktimer wake_timer;          /* wakes waitq a moment after a commit */
};

/* The head page: how a record's header finds its ring (pg_off pages back). */
struct bpf_ringbuf_head {
	struct bpf_ringbuf *rb;
};

static inline uint64_t ringbuf_avail_data(const struct bpf_ringbuf *rb)
{
	return *rb->producer_pos - *rb->consumer_pos;
}

/* Wake the map's pollers soon: programs run where waking a task is not
 * allowed (inside the scheduler), so a timer does it, as Linux's irq_work. */
void bpf_ringbuf_wake_soon(struct bpf_ringbuf *rb);

#endif
