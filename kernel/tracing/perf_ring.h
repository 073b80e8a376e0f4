/* The perf mmap ring: pages a program maps and the kernel writes records into (course section: performance profiling tools). */
#ifndef KERNEL_TRACING_PERF_RING_H
#define KERNEL_TRACING_PERF_RING_H

#include "kernel/time/ktimer.h"
#include "kernel/tracing/perf.h"

struct poll_table;

#define PERF_RING_MAX_DATA_PAGES 1024 /* 4 MiB of records; a bigger mapping is ENOMEM */
#define PERF_RECORD_MAX 0xfff8        /* a record's size is a u16, kept 8-byte aligned */

struct perf_ring {
	struct perf_event *owner;         /* the descriptor mapped: its poll is woken */
	phys_addr_t *frames;              /* frames[0] the control page, then the data pages */
	uint32_t nr_pages;                /* data pages: 0 or a power of two */
	uint64_t size;                    /* data bytes */
	struct perf_event_mmap_page *page;
	bool overwrite;                   /* mapped read-only: data_tail is ignored (Linux's way) */
	uint64_t head;                    /* the kernel's write position, published as data_head */
	uint64_t lost;                    /* records dropped since the last PERF_RECORD_LOST */
	uint64_t lost_total;              /* for PERF_FORMAT_LOST */
	uint64_t watermark;               /* wake the reader when head passes this many more bytes */
	uint64_t wakeup_at;               /* ...that is, this position */
	uint32_t samples_since_wakeup;    /* attr.wakeup_events */
	bool readable;                    /* a wakeup happened that poll has not reported */
	struct ktimer wake_timer;         /* wakes the readers a moment later (not inside the scheduler) */
};

/* A record being written: its place in the ring. */
struct perf_ring_handle {
	struct perf_ring *rb;
	uint64_t pos, end;
};

/* The descriptor's mmap: check length, offset and sharing; make the ring at the first one. */
long perf_ring_mmap(struct perf_event *e, uint64_t offset, uint64_t len, unsigned long prot, unsigned long flags);
int perf_ring_frame(struct perf_event *e, uint64_t offset, phys_addr_t *frame);
uint32_t perf_ring_poll(struct perf_event *e, struct poll_table *pt);
void perf_ring_free(struct perf_ring *rb);
/* Room for size bytes, or false (the ring is full: the reader is behind). Interrupts off. */
bool perf_ring_begin(struct perf_ring *rb, struct perf_ring_handle *h, size_t size);
void perf_ring_put(struct perf_ring_handle *h, const void *data, size_t n);
/* Publish the record; a sample counts toward attr.wakeup_events. */
void perf_ring_end(struct perf_ring_handle *h, bool sample);
/* Refresh the control page's count and times. */
void perf_ring_update_page(struct perf_event *e);
/* Wake pollers now-ish (the task exited: POLLHUP). */
void perf_ring_wake(struct perf_event *e);

#endif
