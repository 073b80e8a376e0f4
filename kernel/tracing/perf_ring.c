/*
 * The perf mmap ring (course section: performance profiling tools).
 *
 * A sampling event hands its records to the program through memory both
 * share, as Linux's does: the program maps 1 + 2^n pages of the
 * descriptor. The first page is the control page (struct
 * perf_event_mmap_page); the 2^n after it are a circular buffer of
 * records. The kernel writes records at data_head and then publishes the
 * new head; the program reads from data_tail up to data_head and then
 * stores the new data_tail. Positions only grow: a position p lives at
 * byte p % data_size, so a record may wrap around the end (a reader copies
 * it out in two parts).
 *
 * A writable mapping promises that the reader moves data_tail: a record
 * that would overwrite unread bytes is dropped and counted, and the next
 * record that fits is preceded by a PERF_RECORD_LOST saying how many went.
 * A read-only mapping makes no promise: the kernel writes over the oldest
 * records, and the reader takes what is recent.
 *
 * The ring is made by the first mmap (its size is the mapping's) and lives
 * as long as the event: a mapping holds the descriptor open, so the event
 * cannot go while pages are mapped. The data pages need not be contiguous:
 * the kernel reaches each one through the direct map, a page at a time.
 *
 * Readers sleep in poll or epoll. They are woken when half the ring (or
 * attr.wakeup_watermark bytes) has filled since the last wake-up, or every
 * attr.wakeup_events samples -- and not inside the code that wrote the
 * record, which may be the scheduler: a one-shot timer wakes them a moment
 * later, as Linux's irq_work does.
 */
#include "kernel/tracing/perf_ring.h"
#include "arch/x86_64/cpu.h"
#include "kernel/fs/file.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/mman.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/phys.h"

#define PAGE_BYTES 4096
#define WAKE_DELAY_NS 100000 /* 0.1 ms: the reader is woken just after the writer is done */

static void wake_readers(struct ktimer *t)
{
	struct perf_ring *rb = t->data;
	wake_up(&rb->owner->waitq, POLLIN | POLLRDNORM | POLLHUP);
}

void perf_ring_wake(struct perf_event *e)
{
	if (e->ring && !e->ring->wake_timer.armed)
		ktimer_start(&e->ring->wake_timer, clock_monotonic_ns() + WAKE_DELAY_NS);
	else if (!e->ring)
		wake_up(&e->waitq, POLLHUP);
}

static uint64_t watermark_of(const struct perf_event *e, uint64_t size)
{
	uint64_t w = (e->attr.flags & PERF_ATTR_FLAG_WATERMARK) ? e->attr.wakeup_events : 0;
	return (w == 0 || w > size) ? size / 2 : w;
}

void perf_ring_free(struct perf_ring *rb)
{
	if (!rb)
		return;
	ktimer_cancel(&rb->wake_timer);
	for (uint32_t i = 0; i <= rb->nr_pages; i++)
		frame_free(rb->frames[i]); /* pages still mapped keep their own reference */
	kfree(rb->frames);
	kfree(rb);
}

static struct perf_ring *ring_alloc(struct perf_event *e, uint32_t nr_pages, bool overwrite)
{
	struct perf_ring *rb = kzalloc(sizeof(*rb));
	phys_addr_t *frames = rb ? kzalloc((nr_pages + 1) * sizeof(*frames)) : NULL;
	if (!frames) {
		kfree(rb);
		return NULL;
	}
	rb->frames = frames;
	for (uint32_t i = 0; i <= nr_pages; i++) {
		frames[i] = frame_alloc(); /* zeroed */
		if (!frames[i]) {
			while (i--)
				frame_free(frames[i]);
			kfree(frames);
			kfree(rb);
			return NULL;
		}
	}
	rb->owner = e;
	rb->nr_pages = nr_pages;
	rb->size = (uint64_t)nr_pages * PAGE_BYTES;
	rb->overwrite = overwrite;
	rb->page = phys_to_virt(frames[0]);
	rb->page->capabilities = PERF_MMAP_CAP_BIT0_IS_DEPRECATED;
	rb->page->size = offsetof(struct perf_event_mmap_page, reserved_1); /* Linux: up to __reserved */
	rb->page->data_offset = PAGE_BYTES;
	rb->page->data_size = rb->size;
	rb->watermark = watermark_of(e, rb->size);
	rb->wakeup_at = rb->watermark;
	ktimer_init(&rb->wake_timer, wake_readers, rb);
	return rb;
}

/* Linux's perf_mmap rules: shared, from offset 0, 1 + 2^n pages; a second
 * mapping must have the first one's size. An inherited event of one task
 * on every CPU cannot be mapped (Linux: all its children would write into
 * one ring from many CPUs); perf record opens one per CPU instead. */
long perf_ring_mmap(struct perf_event *e, uint64_t offset, uint64_t len, unsigned long prot, unsigned long flags)
{
	if (e->cpu == -1 && (e->attr.flags & PERF_ATTR_FLAG_INHERIT))
		return -EINVAL;
	if ((flags & MAP_TYPE) == MAP_PRIVATE || offset != 0 || len % PAGE_BYTES)
		return -EINVAL;
	uint64_t nr_pages = len / PAGE_BYTES - 1;
	if (nr_pages & (nr_pages - 1))
		return -EINVAL;
	if (e->ring)
		return e->ring->nr_pages == nr_pages ? 0 : -EINVAL;
	if (nr_pages > PERF_RING_MAX_DATA_PAGES)
		return -ENOMEM;
	struct perf_ring *rb = ring_alloc(e, (uint32_t)nr_pages, !(prot & PROT_WRITE));
	if (!rb)
		return -ENOMEM;
	uint64_t f = irq_save();
	e->ring = rb; /* from now on the sample hooks write here */
	irq_restore(f);
	perf_ring_update_page(e);
	return 0;
}

int perf_ring_frame(struct perf_event *e, uint64_t offset, phys_addr_t *frame)
{
	struct perf_ring *rb = e->ring;
	if (!rb || offset / PAGE_BYTES > rb->nr_pages)
		return -EFAULT; /* past the ring: SIGBUS */
	*frame = rb->frames[offset / PAGE_BYTES];
	return 0;
}

/* The control page's counter and times, under its sequence count. */
void perf_ring_update_page(struct perf_event *e)
{
	struct perf_ring *rb = e->ring;
	if (!rb)
		return;
	struct perf_event_mmap_page *p = rb->page;
	uint64_t t = perf_event_clock(e);
	p->lock++;
	__asm__ volatile("" ::: "memory");
	p->index = 0; /* no hardware counter to read with rdpmc */
	p->offset = (int64_t)perf_event_value(e);
	p->time_enabled = t;
	p->time_running = t;
	__asm__ volatile("" ::: "memory");
	p->lock++;
}

/* --- writing ------------------------------------------------------------------------------- */

bool perf_ring_begin(struct perf_ring *rb, struct perf_ring_handle *h, size_t size)
{
	if (size > rb->size)
		return false;
	uint64_t tail = __atomic_load_n(&rb->page->data_tail, __ATOMIC_ACQUIRE);
	if (!rb->overwrite && rb->head + size - tail >= rb->size)
		return false; /* Linux keeps one byte free: a full ring would look empty */
	h->rb = rb;
	h->pos = rb->head;
	h->end = rb->head + size;
	return true;
}

/* Copy n bytes at the handle's position: page by page, wrapping at the end. */
void perf_ring_put(struct perf_ring_handle *h, const void *data, size_t n)
{
	struct perf_ring *rb = h->rb;
	const uint8_t *src = data;
	while (n) {
		uint64_t at = h->pos & (rb->size - 1);
		size_t chunk = MIN(n, (size_t)(PAGE_BYTES - at % PAGE_BYTES));
		uint8_t *page = phys_to_virt(rb->frames[1 + at / PAGE_BYTES]);
		memcpy(page + at % PAGE_BYTES, src, chunk);
		src += chunk;
		h->pos += chunk;
		n -= chunk;
	}
}

void perf_ring_end(struct perf_ring_handle *h, bool sample)
{
	struct perf_ring *rb = h->rb;
	struct perf_event *e = rb->owner;
	rb->head = h->end;
	__atomic_store_n(&rb->page->data_head, rb->head, __ATOMIC_RELEASE); /* after the bytes */
	bool wake = false;
	if (rb->head >= rb->wakeup_at) {
		rb->wakeup_at = rb->head + rb->watermark;
		wake = true;
	}
	uint32_t every = e->attr.wakeup_events;
	if (sample && every && !(e->attr.flags & PERF_ATTR_FLAG_WATERMARK) && ++rb->samples_since_wakeup >= every) {
		rb->samples_since_wakeup = 0;
		wake = true;
	}
	if (wake) {
		rb->readable = true;
		perf_ring_wake(e);
	}
}

/* --- poll ------------------------------------------------------------------------------------- */

/*
 * Linux's perf_poll: POLLHUP once the task counted has exited (or when
 * nothing is mapped), POLLIN after a wake-up. Linux forgets the wake-up at
 * the first poll that reports it; here it lasts while unread records
 * remain, because our epoll asks a file more than once per wait.
 */
uint32_t perf_ring_poll(struct perf_event *e, struct poll_table *pt)
{
	poll_wait(pt, &e->waitq);
	struct perf_ring *rb = e->ring;
	if (e->hup || !rb)
		return POLLHUP;
	if (rb->readable && __atomic_load_n(&rb->page->data_tail, __ATOMIC_ACQUIRE) == rb->head)
		rb->readable = false;
	return rb->readable ? POLLIN | POLLRDNORM : 0;
}
