/*
 * RINGBUF maps: a ring of records from programs to user space (course
 * section: advanced eBPF tracing).
 *
 * A program writes records (an event: a pid, a file name, a latency); a
 * process reads them without a syscall per record, straight from memory it
 * has mapped. Two positions, each on a page of its own, say what is
 * written and what is read: the kernel advances the producer position (a
 * page user space may only read), the reader advances the consumer
 * position (a page it may write). Records may be of any size, each behind
 * an 8-byte header, and they never wrap: the data pages are mapped twice in
 * a row, in the kernel and in the process, so a record that runs off the
 * end continues, at the next address, at the start.
 *
 * This file makes the map: Linux's attribute checks, the frames, the two
 * mappings, mmap's rules and poll. map_ringbuf_helpers.c writes records.
 */
#include "arch/x86_64/x86.h"
#include "kernel/bpf/map_ringbuf.h"
#include "kernel/fs/file.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/mman.h"
#include "libc/include/abi/poll.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "mm/vmap.h"

static struct bpf_ringbuf *ringbuf_of(const struct bpf_map *map)
{
	return container_of(map, struct bpf_ringbuf, map);
}

static bool is_power_of_2(uint32_t n)
{
	return n && !(n & (n - 1));
}

static long ringbuf_check(const union bpf_attr *attr)
{
	if (attr->map_flags & ~BPF_F_NUMA_NODE)
		return -EINVAL;
	if (attr->key_size || attr->value_size || !is_power_of_2(attr->max_entries) ||
	    attr->max_entries % PAGE_SIZE)
		return -EINVAL;
	if (!bpf_map_size_possible(attr->max_entries))
		return -ENOMEM;
	return 0;
}

static void wake_pollers(struct ktimer *t)
{
	struct bpf_ringbuf *rb = t->data;
	wake_up(&rb->waitq, POLLIN | POLLRDNORM);
}

void bpf_ringbuf_wake_soon(struct bpf_ringbuf *rb)
{
	if (!rb->wake_timer.armed)
		ktimer_start(&rb->wake_timer, clock_monotonic_ns()); /* the next tick */
}

static phys_addr_t frame_of_page(const struct bpf_ringbuf *rb, size_t page)
{
	if (page == 0)
		return rb->head_frame;
	if (page < RINGBUF_DATA_PGOFF)
		return page == 1 ? rb->cons_frame : rb->prod_frame;
	return rb->data_frames[(page - RINGBUF_DATA_PGOFF) % rb->data_pages];
}

static long alloc_frames(struct bpf_ringbuf *rb)
{
	rb->data_frames = kzalloc(rb->data_pages * sizeof(phys_addr_t));
	if (!rb->data_frames)
		return -ENOMEM;
	rb->head_frame = frame_alloc();
	rb->cons_frame = frame_alloc();
	rb->prod_frame = frame_alloc();
	for (size_t i = 0; i < rb->data_pages; i++)
		if (!(rb->data_frames[i] = frame_alloc()))
			return -ENOMEM;
	return rb->head_frame && rb->cons_frame && rb->prod_frame ? 0 : -ENOMEM;
}

/* The kernel's view: head, positions, data twice. */
static long map_kernel_view(struct bpf_ringbuf *rb)
{
	size_t pages = RINGBUF_DATA_PGOFF + 2 * rb->data_pages;
	phys_addr_t *frames = kmalloc(pages * sizeof(phys_addr_t));
	if (!frames)
		return -ENOMEM;
	for (size_t p = 0; p < pages; p++)
		frames[p] = frame_of_page(rb, p);
	rb->base = vmap(frames, pages);
	kfree(frames);
	if (!rb->base)
		return -ENOMEM;
	((struct bpf_ringbuf_head *)rb->base)->rb = rb;
	rb->consumer_pos = (volatile uint64_t *)(rb->base + PAGE_SIZE);
	rb->producer_pos = (volatile uint64_t *)(rb->base + 2 * PAGE_SIZE);
	rb->data = rb->base + RINGBUF_DATA_PGOFF * PAGE_SIZE;
	return 0;
}

static void ringbuf_free(struct bpf_map *map)
{
	struct bpf_ringbuf *rb = ringbuf_of(map);
	ktimer_cancel(&rb->wake_timer);
	wait_queue_detach_all(&rb->waitq);
	if (rb->base)
		vunmap(rb->base, RINGBUF_DATA_PGOFF + 2 * rb->data_pages);
	phys_addr_t own[] = { rb->head_frame, rb->cons_frame, rb->prod_frame };
	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		if (own[i])
			frame_free(own[i]);
	for (size_t i = 0; rb->data_frames && i < rb->data_pages; i++)
		if (rb->data_frames[i])
			frame_free(rb->data_frames[i]);
	kfree(rb->data_frames);
}

static long ringbuf_alloc(struct bpf_map *map, const union bpf_attr *attr)
{
	long err = ringbuf_check(attr);
	if (err)
		return err;
	struct bpf_ringbuf *rb = ringbuf_of(map);
	rb->mask = attr->max_entries - 1;
	rb->data_pages = attr->max_entries / PAGE_SIZE;
	wait_queue_init(&rb->waitq);
	ktimer_init(&rb->wake_timer, wake_pollers, rb);
	if ((err = alloc_frames(rb)) || (err = map_kernel_view(rb)))
		ringbuf_free(map); /* what was taken goes back; BPF_MAP_CREATE frees the object */
	return err;
}

/* Not a table: bpf(2)'s element commands do not apply. */
static void *ringbuf_lookup(struct bpf_map *map, const void *key)
{
	(void)map;
	(void)key;
	return NULL; /* the verifier lets no program call it */
}

static long ringbuf_sys_lookup(struct bpf_map *map, const void *key, void *value)
{
	(void)map;
	(void)key;
	(void)value;
	return -ENOTSUPP;
}

static long ringbuf_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags)
{
	(void)map;
	(void)key;
	(void)value;
	(void)flags;
	return -ENOTSUPP;
}

static long ringbuf_delete(struct bpf_map *map, const void *key)
{
	(void)map;
	(void)key;
	return -ENOTSUPP;
}

static long ringbuf_get_next_key(struct bpf_map *map, const void *key, void *next_key)
{
	(void)map;
	(void)key;
	(void)next_key;
	return -ENOTSUPP;
}

/*
 * User space maps the consumer page (offset 0), the producer page and the
 * data pages twice. Only the consumer page may be writable, and only
 * alone (EPERM otherwise): the producer position and the records are the
 * kernel's to write. Nothing past the second copy of the data (EINVAL).
 */
static long ringbuf_mmap_check(struct bpf_map *map, uint64_t offset, uint64_t len, int prot)
{
	struct bpf_ringbuf *rb = ringbuf_of(map);
	if ((prot & PROT_WRITE) && (offset != 0 || len != PAGE_SIZE))
		return -EPERM;
	uint64_t user_bytes = (RINGBUF_POS_PAGES + 2 * rb->data_pages) * PAGE_SIZE;
	if (offset > user_bytes || len > user_bytes - offset)
		return -EINVAL;
	return 0;
}

static int ringbuf_mmap_frame(struct bpf_map *map, uint64_t offset, phys_addr_t *frame)
{
	struct bpf_ringbuf *rb = ringbuf_of(map);
	size_t page = RINGBUF_HEAD_PAGES + offset / PAGE_SIZE;
	if (page >= RINGBUF_DATA_PGOFF + 2 * rb->data_pages)
		return -EINVAL;
	*frame = frame_of_page(rb, page);
	return 0;
}

/* Readable while records wait: the producer is ahead of the consumer. */
static uint32_t ringbuf_poll(struct bpf_map *map, struct file *f, struct poll_table *pt)
{
	(void)f;
	struct bpf_ringbuf *rb = ringbuf_of(map);
	poll_wait(pt, &rb->waitq);
	return ringbuf_avail_data(rb) ? POLLIN | POLLRDNORM : 0;
}

static const struct bpf_map_ops ringbuf_ops = {
	.alloc = ringbuf_alloc,
	.free = ringbuf_free,
	.lookup = ringbuf_lookup,
	.update = ringbuf_update,
	.delete = ringbuf_delete,
	.get_next_key = ringbuf_get_next_key,
	.mmap_check = ringbuf_mmap_check,
	.mmap_frame = ringbuf_mmap_frame,
	.poll = ringbuf_poll,
};

const struct bpf_map_kind bpf_ringbuf_map_kind = { .ops = &ringbuf_ops,
						   .size = sizeof(struct bpf_ringbuf),
						   .sys_lookup = ringbuf_sys_lookup };
