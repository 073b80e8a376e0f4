/*
 * Reading a BPF ring buffer map from user space (course section: advanced
 * eBPF tracing).
 *
 * A ringbuf map is memory shared by the kernel's programs (the producers)
 * and one reader, with Linux's layout, mapped from the map's fd:
 *
 *   offset 0           one page: the consumer position (we write it)
 *   offset page        one page: the producer position (read-only for us)
 *   offset 2 pages     the data, `size` bytes, mapped twice in a row, so a
 *                      record that wraps around the end reads as one piece
 *
 * Positions only grow; the data offset of position p is p & (size - 1).
 * Each record is an 8-byte header (its length, with a BUSY bit while the
 * producer still writes it and a DISCARD bit if it gave it up) and the
 * data, rounded up to 8 bytes. We read records up to the producer's
 * position, stop at a busy one, and publish how far we got by storing the
 * consumer position: that is what frees the space for the producers.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpflib.h"

#define RB_PAGE 4096

static uint32_t map_size(int map_fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	if (bpf_obj_info(map_fd, &info, &len) < 0 || info.type != BPF_MAP_TYPE_RINGBUF)
		return 0;
	return info.max_entries;
}

int ringbuf_open(struct ringbuf *rb, int map_fd, ringbuf_fn fn, void *ctx)
{
	memset(rb, 0, sizeof(*rb));
	rb->map_fd = map_fd;
	rb->fn = fn;
	rb->ctx = ctx;
	rb->size = map_size(map_fd);
	if (rb->size == 0) {
		fprintf(stderr, "bpf: fd %d is not a ring buffer map\n", map_fd);
		return -EINVAL;
	}
	void *cons = mmap(NULL, RB_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (cons == MAP_FAILED) {
		int err = -errno;
		fprintf(stderr, "bpf: mmap of the ring buffer's consumer page: %s\n", strerror(-err));
		return err;
	}
	void *prod = mmap(NULL, RB_PAGE + 2 * (size_t)rb->size, PROT_READ, MAP_SHARED, map_fd, RB_PAGE);
	if (prod == MAP_FAILED) {
		int err = -errno;
		fprintf(stderr, "bpf: mmap of the ring buffer's data: %s\n", strerror(-err));
		munmap(cons, RB_PAGE);
		return err;
	}
	rb->consumer = cons;
	rb->producer = prod;
	rb->data = (const uint8_t *)prod + RB_PAGE;
	return 0;
}

int ringbuf_consume(struct ringbuf *rb)
{
	uint64_t cons = __atomic_load_n(rb->consumer, __ATOMIC_ACQUIRE);
	int count = 0;
	for (;;) {
		uint64_t prod = __atomic_load_n(rb->producer, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			return count;
		const uint8_t *hdr = rb->data + (cons & (rb->size - 1));
		uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			return count; /* still being written: read it next time */
		uint32_t data_len = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		uint64_t next = cons + ((data_len + BPF_RINGBUF_HDR_SZ + 7) & ~7u);
		int r = 0;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			count++;
			r = rb->fn(rb->ctx, hdr + BPF_RINGBUF_HDR_SZ, data_len);
		}
		cons = next;
		__atomic_store_n(rb->consumer, cons, __ATOMIC_RELEASE);
		if (r < 0)
			return r;
	}
}

int ringbuf_poll(struct ringbuf *rb, int timeout_ms)
{
	struct pollfd p = { .fd = rb->map_fd, .events = POLLIN };
	if (poll(&p, 1, timeout_ms) < 0 && errno == EINTR)
		return -EINTR;
	return ringbuf_consume(rb);
}

void ringbuf_close(struct ringbuf *rb)
{
	if (rb->consumer)
		munmap((void *)rb->consumer, RB_PAGE);
	if (rb->producer)
		munmap((void *)rb->producer, RB_PAGE + 2 * (size_t)rb->size);
	rb->consumer = rb->producer = NULL;
}
