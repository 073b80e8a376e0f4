/*
 * perf sampling and the mmap ring (course section: performance profiling
 * tools).
 *
 * The same binary runs on the host Linux (root) and on sysgate: the ring's
 * mmap rules (1 + 2^n shared pages from offset 0), the control page's
 * layout, PERF_RECORD_SAMPLE's fields in Linux's order (IP inside this
 * program's text, pid/tid, PERIOD, ADDR of a page fault, CALLCHAIN from
 * PERF_CONTEXT_USER, RAW holding a tracepoint's record), the side-band
 * records FORK and EXIT with sample_id_all, PERF_RECORD_LOST when the
 * reader falls behind, poll waking at wakeup_events, POLLHUP without a
 * ring, and no leak on sysgate.
 */
#include <fcntl.h>
#include <stdio.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "lib/perflib.h"
#include "lib/testlib.h"

#define PAGE 4096
#define DATA_PAGES 8

extern char __executable_start[], etext[];

static struct perf_event_attr attr(unsigned type, uint64_t config, uint64_t period, uint64_t sample_type)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = type;
	a.size = sizeof(a);
	a.config = config;
	a.sample_period = period;
	a.sample_type = sample_type;
	a.flags = PERF_ATTR_FLAG_DISABLED;
	return a;
}

/* A mapped ring and a reader's position in it. */
struct ring {
	int fd;
	struct perf_event_mmap_page *page;
	uint8_t *data;
	size_t len;
	uint8_t rec[65536];
};

static int ring_map(struct ring *r, int fd, int pages)
{
	r->fd = fd;
	r->len = (size_t)(1 + pages) * PAGE;
	r->page = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->page == MAP_FAILED)
		return -1;
	r->data = (uint8_t *)r->page + r->page->data_offset;
	return 0;
}

/* The next record, copied out whole (it may wrap around the end), or NULL. */
static struct perf_event_header *ring_next(struct ring *r)
{
	uint64_t head = __atomic_load_n(&r->page->data_head, __ATOMIC_ACQUIRE), tail = r->page->data_tail;
	uint64_t size = r->page->data_size;
	if (tail == head)
		return NULL;
	for (uint64_t i = 0; i < sizeof(struct perf_event_header); i++)
		r->rec[i] = r->data[(tail + i) % size];
	struct perf_event_header *h = (void *)r->rec;
	for (uint64_t i = sizeof(*h); i < h->size; i++)
		r->rec[i] = r->data[(tail + i) % size];
	__atomic_store_n(&r->page->data_tail, tail + h->size, __ATOMIC_RELEASE);
	return h;
}

static void ring_unmap(struct ring *r)
{
	munmap(r->page, r->len);
	close(r->fd);
}

static void test_mmap_rules(void)
{
	struct perf_event_attr a = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 100000, PERF_SAMPLE_IP);
	int fd = perf_open(&a, 0, -1, -1, 0);
	check_errno("mmap MAP_PRIVATE: EINVAL", (long)mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	check_errno("mmap of 1 + 3 pages: EINVAL", (long)mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
	check_errno("mmap at offset 4096: EINVAL", (long)mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, PAGE), EINVAL);
	struct perf_event_mmap_page *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check("mmap of 1 + 2 pages", p != MAP_FAILED, "%s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	check_eq("data_offset: one page", (long)p->data_offset, PAGE);
	check_eq("data_size: two pages", (long)p->data_size, 2 * PAGE);
	check_eq("data_head starts at 0", (long)p->data_head, 0);
	check_errno("a second mmap of another size: EINVAL", (long)mmap(NULL, 5 * PAGE, PROT_READ, MAP_SHARED, fd, 0),
		    EINVAL);
	void *q = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	check("a second mmap of the same size: the same ring", q != MAP_FAILED && ((struct perf_event_mmap_page *)q)->data_size == 2 * PAGE, "%s", strerror(errno));
	munmap(q, 3 * PAGE);
	munmap(p, 3 * PAGE);
	close(fd);
	struct perf_event_attr c = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 0, 0);
	fd = perf_open(&c, 0, -1, -1, 0);
	struct pollfd pf = { fd, POLLIN, 0 };
	check("poll without a ring: POLLHUP", poll(&pf, 1, 0) == 1 && pf.revents == POLLHUP, "revents %#x", pf.revents);
	close(fd);
}

static volatile unsigned long sink;
static uint64_t busy_return; /* where busy() returns to: a call chain must hold it */

/* Work for ms milliseconds of our own CPU time, as a task-clock counter
 * measures it (the host may be busy; sysgate's CPU-time clocks count ticks,
 * which QEMU may deliver in bursts). The counter is read by a syscall whose
 * instruction lies in our text. */
static __attribute__((noinline)) void busy(long ms)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	int fd = perf_open(&a, 0, -1, -1, 0);
	uint64_t ns = 0;
	busy_return = (uint64_t)__builtin_return_address(0);
	while (ns < (uint64_t)ms * 1000000 && read(fd, &ns, sizeof(ns)) == sizeof(ns))
		for (int i = 0; i < 10000; i++)
			sink += i;
	close(fd);
}

static bool in_text(uint64_t ip)
{
	return ip >= (uint64_t)__executable_start && ip < (uint64_t)etext;
}

/* task-clock every 2 ms of user time: IP, TID, PERIOD, CALLCHAIN, in that order. */
static void test_task_clock(void)
{
	static struct ring r;
	struct perf_event_attr a = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 2000000,
					PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN);
	a.flags |= PERF_ATTR_FLAG_EXCLUDE_KERNEL;
	int fd = perf_open(&a, 0, -1, -1, 0);
	if (ring_map(&r, fd, DATA_PAGES)) {
		t_fail("task-clock ring", "%s", strerror(errno));
		return;
	}
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	busy(100);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	int samples = 0, inside = 0, user = 0, ours = 0, chains = 0, called = 0;
	uint64_t periods = 0;
	struct perf_event_header *h;
	while ((h = ring_next(&r))) {
		if (h->type != PERF_RECORD_SAMPLE)
			continue;
		uint64_t *w = (uint64_t *)(h + 1);
		samples++;
		inside += in_text(w[0]);
		user += (h->misc & 7) == PERF_RECORD_MISC_USER;
		ours += (uint32_t)w[1] == (uint32_t)getpid() && (uint32_t)(w[1] >> 32) == (uint32_t)getpid();
		periods += w[2];
		uint64_t nr = w[3];
		chains += nr >= 2 && w[4] == PERF_CONTEXT_USER && w[5] == w[0];
		for (uint64_t i = 2; i < nr; i++)
			called += w[4 + i] == busy_return;
	}
	/* Linux's timer gives 50; sysgate samples on the tick, which a busy host
	 * may deliver late: fewer samples, each with a longer PERIOD (summed below). */
	check("task-clock: 100 ms of work gives samples of 2 ms or more", samples >= 5, "%d samples", samples);
	check("task-clock: every sample's IP lies in this program's text", samples && inside == samples, "%d of %d", inside, samples);
	check("task-clock: exclude_kernel: all samples PERF_RECORD_MISC_USER", samples && user == samples, "%d of %d", user, samples);
	check("task-clock: pid and tid are ours", samples && ours == samples, "%d of %d", ours, samples);
	check("task-clock: the periods add up to about the time worked", periods >= 60000000 && periods <= 400000000, "%lu ns", (unsigned long)periods);
	check("callchain: PERF_CONTEXT_USER, then the sample's IP", samples && chains == samples, "%d of %d", chains, samples);
	check("callchain: the frame pointers lead back to the caller of busy()", called >= samples / 2, "%d of %d", called, samples);
	ring_unmap(&r);
}

/* page faults, each one sampled with its address. */
static void test_page_fault_addr(void)
{
	static struct ring r;
	struct perf_event_attr a = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1, PERF_SAMPLE_IP | PERF_SAMPLE_ADDR);
	int fd = perf_open(&a, 0, -1, -1, 0);
	if (ring_map(&r, fd, DATA_PAGES)) {
		t_fail("page-fault ring", "%s", strerror(errno));
		return;
	}
	char *m = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 16; i++)
		m[i * PAGE] = 1;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	int inside = 0;
	struct perf_event_header *h;
	while ((h = ring_next(&r))) {
		uint64_t *w = (uint64_t *)(h + 1);
		if (h->type == PERF_RECORD_SAMPLE && w[1] >= (uint64_t)m && w[1] < (uint64_t)m + 16 * PAGE)
			inside += in_text(w[0]);
	}
	check("page-faults with period 1: 16 samples whose ADDR is a touched page, IP ours", inside == 16, "%d", inside);
	munmap(m, 16 * PAGE);
	ring_unmap(&r);
}

/* A tracepoint sampled with its record as PERF_SAMPLE_RAW; poll wakes at wakeup_events. */
static void test_tracepoint_raw(void)
{
	static struct ring r;
	int id = t_tracepoint_id("syscalls/sys_enter_getpid");
	struct perf_event_attr a = attr(PERF_TYPE_TRACEPOINT, id, 1, PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_RAW);
	a.wakeup_events = 5;
	int fd = perf_open(&a, 0, -1, -1, 0);
	if (id < 0 || ring_map(&r, fd, DATA_PAGES)) {
		t_fail("tracepoint ring", "id %d: %s", id, strerror(errno));
		return;
	}
	struct pollfd pf = { fd, POLLIN, 0 };
	check_eq("poll before any sample: nothing", poll(&pf, 1, 0), 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 10; i++)
		syscall(SYS_getpid);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	pf.revents = 0;
	check("poll after 10 samples with wakeup_events 5: POLLIN", poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN), "revents %#x", pf.revents);
	int good = 0, n = 0;
	struct perf_event_header *h;
	while ((h = ring_next(&r))) {
		if (h->type != PERF_RECORD_SAMPLE)
			continue;
		n++;
		uint64_t *w = (uint64_t *)(h + 1);
		uint32_t size = *(uint32_t *)&w[2];
		uint8_t *raw = (uint8_t *)&w[2] + 4;
		uint16_t type;
		int32_t pid, nr;
		memcpy(&type, raw, 2);
		memcpy(&pid, raw + 4, 4);
		memcpy(&nr, raw + 8, 4);
		good += in_text(w[0]) && (h->misc & 7) == PERF_RECORD_MISC_USER && size >= 12 && (size + 4) % 8 == 0 &&
			type == id && pid == getpid() && nr == SYS_getpid;
	}
	check_eq("sys_enter_getpid with period 1: 10 samples", n, 10);
	check_eq("RAW: the record (common_type, common_pid, __syscall_nr), size keeping 8-byte alignment, IP the caller's", good, 10);
	ring_unmap(&r);
}

/* A one-page ring that nobody reads: PERF_RECORD_LOST before the next record that fits. */
static void test_lost(void)
{
	static struct ring r;
	struct perf_event_attr a = attr(PERF_TYPE_TRACEPOINT, t_tracepoint_id("syscalls/sys_enter_getpid"), 1, PERF_SAMPLE_IP);
	int fd = perf_open(&a, 0, -1, -1, 0);
	if (ring_map(&r, fd, 1)) {
		t_fail("lost ring", "%s", strerror(errno));
		return;
	}
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 1000; i++)
		syscall(SYS_getpid); /* 16 bytes each: 255 fit (one byte stays free) */
	int before = 0;
	while (ring_next(&r))
		before++;
	syscall(SYS_getpid);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	struct perf_event_header *h = ring_next(&r);
	uint64_t lost = h && h->type == PERF_RECORD_LOST ? ((uint64_t *)(h + 1))[1] : 0;
	check_eq("a full ring keeps 255 samples of 16 bytes", before, 255);
	check("then PERF_RECORD_LOST counts the 745 dropped", lost == 745, "type %u lost %lu", h ? h->type : 0, (unsigned long)lost);
	h = ring_next(&r);
	check("then the sample that fitted", h && h->type == PERF_RECORD_SAMPLE, "type %u", h ? h->type : 0);
	ring_unmap(&r);
}

/* attr.task with inherit: FORK and EXIT of a child, with sample_id_all's
 * pid/tid. An inherited event is mapped only when bound to a CPU: 0, where
 * main() keeps us. */
static void test_fork_exit(void)
{
	static struct ring r;
	struct perf_event_attr a = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY, 0, PERF_SAMPLE_TID);
	a.flags = PERF_ATTR_FLAG_TASK | PERF_ATTR_FLAG_INHERIT | PERF_ATTR_FLAG_SAMPLE_ID_ALL;
	int fd = perf_open(&a, 0, -1, -1, 0);
	check_errno("mmap of an inherited event on any CPU: EINVAL",
		    (long)mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EINVAL);
	close(fd);
	fd = perf_open(&a, 0, 0, -1, 0);
	if (ring_map(&r, fd, DATA_PAGES)) {
		t_fail("fork ring", "%s", strerror(errno));
		return;
	}
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	waitpid(c, NULL, 0);
	int fork_ok = 0, exit_ok = 0;
	struct perf_event_header *h;
	while ((h = ring_next(&r))) {
		uint32_t *w = (uint32_t *)(h + 1); /* pid, ppid, tid, ptid, time (2), then pid, tid */
		bool size_ok = h->size == sizeof(*h) + 24 + 8;
		if (h->type == PERF_RECORD_FORK)
			fork_ok += size_ok && w[0] == (uint32_t)c && w[1] == (uint32_t)getpid() && w[2] == (uint32_t)c &&
				   w[6] == (uint32_t)getpid();
		if (h->type == PERF_RECORD_EXIT)
			exit_ok += size_ok && w[0] == (uint32_t)c && w[1] == (uint32_t)getpid() && w[6] == (uint32_t)c;
	}
	check_eq("PERF_RECORD_FORK: the child, its parent, sample_id_all's pid being the parent", fork_ok, 1);
	check_eq("PERF_RECORD_EXIT: the child, sample_id_all's pid being the child", exit_ok, 1);
	ring_unmap(&r);
}

static void leak_work(void)
{
	for (int i = 0; i < 20; i++) {
		static struct ring r;
		struct perf_event_attr a = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 1, PERF_SAMPLE_IP);
		a.flags = PERF_ATTR_FLAG_INHERIT;
		int fd = perf_open(&a, 0, 0, -1, 0);
		ring_map(&r, fd, 4);
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
		if (i % 2)
			close(fd); /* the mapping holds the event: it goes at munmap */
		munmap(r.page, r.len);
		if (i % 2 == 0)
			close(fd);
	}
}

static uint64_t spin_cycles(void)
{
	uint64_t t0 = t_rdtsc();
	for (int i = 0; i < 20000000; i++)
		sink += i;
	return t_rdtsc() - t0;
}

/* --measure (ICOUNT=1): the cost of a cpu-clock sample on the tick, with
 * a call chain, as instructions per sample and as a share of the time. */
static int measure(void)
{
	static struct ring r;
	uint64_t plain = spin_cycles();
	struct perf_event_attr a = attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 1000000,
					PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD |
						PERF_SAMPLE_CALLCHAIN);
	a.flags = 0;
	int fd = perf_open(&a, 0, -1, -1, 0);
	ring_map(&r, fd, 64);
	uint64_t sampled = spin_cycles();
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	long samples = 0;
	struct perf_event_header *h;
	while ((h = ring_next(&r)))
		samples += h->type == PERF_RECORD_SAMPLE;
	printf("spin_cycles=%lu\nspin_sampled_cycles=%lu\nsamples=%ld\ncycles_per_sample=%ld\n", (unsigned long)plain,
	       (unsigned long)sampled, samples, samples ? (long)(sampled - plain) / samples : 0);
	ring_unmap(&r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--measure"))
		return measure();
	t_set_self(argv);
	t_begin("perf_sample");
	uint64_t cpu0 = 1;
	syscall(203 /* sched_setaffinity */, 0, sizeof(cpu0), &cpu0); /* Linux: on CPU 0 (sysgate has only it) */
	test_mmap_rules();
	test_task_clock();
	test_page_fault_addr();
	test_tracepoint_raw();
	test_lost();
	test_fork_exit();
	if (on_sysgate()) {
		struct leak_mark m;
		leak_mark(&m);
		leak_work();
		leak_mark(&m);
		leak_work();
		leak_check("20 rings mapped, sampled into by a child, unmapped: no frame or heap byte lost", &m);
	} else {
		t_skip("leaks", "sysgate only");
	}
	return t_end();
}
