/*
 * Reading a perf event array map: bpf_perf_event_output's records (course
 * section: advanced eBPF tracing).
 *
 * Before ring buffer maps, a program sent records through perf: user space
 * opens one "BPF output" software perf event per CPU, maps its ring, and
 * stores the event's fd in the map at that CPU's index; the program's
 * bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, data, size) writes
 * a PERF_RECORD_SAMPLE with the data as its raw part into the ring of the
 * CPU it runs on. Each ring is Linux's perf mmap layout: a control page
 * (struct perf_event_mmap_page: data_head written by the kernel, data_tail
 * by us) and then 2^n data pages, records wrapping around the end.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "bpflib.h"

#define PB_PAGE 4096
#define RECORD_MAX 65536

static int open_cpu(struct perfbuf *pb, int map_fd, int cpu)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_BPF_OUTPUT;
	a.sample_type = PERF_SAMPLE_RAW;
	a.sample_period = 1;
	a.wakeup_events = 1;
	struct perfbuf_cpu *c = &pb->cpus[cpu];
	long fd = syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	c->fd = (int)fd;
	void *m = mmap(NULL, PB_PAGE + pb->data_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	c->base = m;
	uint32_t key = (uint32_t)cpu, value = (uint32_t)c->fd;
	int err = bpf_map_update(map_fd, &key, &value, BPF_ANY);
	if (err)
		return err;
	return ioctl(c->fd, PERF_EVENT_IOC_ENABLE, 0) < 0 ? -errno : 0;
}

int perfbuf_open(struct perfbuf *pb, int map_fd, size_t pages, perfbuf_fn fn, perfbuf_lost_fn lost, void *ctx)
{
	memset(pb, 0, sizeof(*pb));
	pb->n_cpus = possible_cpus();
	if (pb->n_cpus > PERFBUF_MAX_CPUS)
		pb->n_cpus = PERFBUF_MAX_CPUS;
	pb->data_size = pages * PB_PAGE;
	pb->fn = fn;
	pb->lost = lost;
	pb->ctx = ctx;
	for (int i = 0; i < pb->n_cpus; i++)
		pb->cpus[i].fd = -1;
	if (pages == 0 || (pages & (pages - 1)))
		return -EINVAL; /* the kernel wants 2^n data pages */
	for (int i = 0; i < pb->n_cpus; i++) {
		int err = open_cpu(pb, map_fd, i);
		if (err) {
			fprintf(stderr, "bpf: perf buffer for CPU %d: %s\n", i, strerror(-err));
			perfbuf_close(pb);
			return err;
		}
	}
	return 0;
}

/* Copies len bytes at ring offset off, which may wrap past the end. */
static void ring_copy(const struct perfbuf *pb, const uint8_t *data, uint64_t off, void *dst, size_t len)
{
	size_t at = off & (pb->data_size - 1), first = pb->data_size - at;
	if (first > len)
		first = len;
	memcpy(dst, data + at, first);
	memcpy((uint8_t *)dst + first, data, len - first);
}

static void read_cpu(struct perfbuf *pb, int cpu, uint8_t *rec)
{
	struct perfbuf_cpu *c = &pb->cpus[cpu];
	struct perf_event_mmap_page *control = (struct perf_event_mmap_page *)c->base;
	volatile uint64_t *head_p = &control->data_head, *tail_p = &control->data_tail;
	const uint8_t *data = c->base + PB_PAGE;
	uint64_t head = __atomic_load_n(head_p, __ATOMIC_ACQUIRE), tail = *tail_p;
	while (tail + sizeof(struct perf_event_header) <= head) {
		struct perf_event_header h;
		ring_copy(pb, data, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		ring_copy(pb, data, tail, rec, h.size);
		if (h.type == PERF_RECORD_SAMPLE && h.size >= sizeof(h) + 4) {
			uint32_t raw_size;
			memcpy(&raw_size, rec + sizeof(h), 4);
			if (raw_size <= h.size - sizeof(h) - 4)
				pb->fn(pb->ctx, cpu, rec + sizeof(h) + 4, raw_size);
		} else if (h.type == PERF_RECORD_LOST && pb->lost && h.size >= sizeof(h) + 16) {
			uint64_t lost;
			memcpy(&lost, rec + sizeof(h) + 8, 8);
			pb->lost(pb->ctx, cpu, lost);
		}
		tail += h.size;
	}
	__atomic_store_n(tail_p, tail, __ATOMIC_RELEASE);
}

int perfbuf_poll(struct perfbuf *pb, int timeout_ms)
{
	struct pollfd p[PERFBUF_MAX_CPUS];
	for (int i = 0; i < pb->n_cpus; i++)
		p[i] = (struct pollfd){ .fd = pb->cpus[i].fd, .events = POLLIN };
	int n = poll(p, (nfds_t)pb->n_cpus, timeout_ms);
	if (n < 0)
		return -errno;
	static uint8_t rec[RECORD_MAX];
	for (int i = 0; i < pb->n_cpus; i++)
		read_cpu(pb, i, rec);
	return n;
}

void perfbuf_close(struct perfbuf *pb)
{
	for (int i = 0; i < pb->n_cpus; i++) {
		struct perfbuf_cpu *c = &pb->cpus[i];
		if (c->base)
			munmap(c->base, PB_PAGE + pb->data_size);
		if (c->fd >= 0)
			close(c->fd);
		c->base = NULL;
		c->fd = -1;
	}
}
