/*
 * perf record: sample a program into a file (course section: performance
 * profiling tools).
 *
 *     perf record [-e EVENT] [-F FREQ | -c PERIOD] [-g] [-o FILE] [--] CMD [ARGS...]
 *
 * How: fork; the child waits on a pipe. The parent opens one sampling event
 * per CPU on the child (disabled, enabled by the child's execve, inherited
 * by the child's own children, with COMM, MMAP and FORK/EXIT records so
 * that report knows which program each sample belongs to), maps a ring for
 * each, lets the child go, and then copies whatever the kernel writes into
 * the rings to the file until the child has exited. poll() sleeps until a
 * ring is half full, or 100 ms. -g asks for a call chain in every sample.
 *
 * The default event is cpu-clock at 4000 samples a second (Linux's perf
 * falls back to it where there are no hardware counters; sysgate's tick
 * gives at most 1000).
 *
 * The file is Linux's "pipe mode" perf.data, the format `perf record -o -`
 * writes: the 16-byte header { "PERFILE2", 16 }, one PERF_RECORD_HEADER_ATTR
 * per event (its perf_event_attr and the ids of its per-CPU instances), then
 * the kernel's records exactly as they came out of the rings. Linux's
 * `perf report -i - < perf.data` can read it; ours reads it with -i FILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "perf.h"

#define PAGE 4096
#define RING_PAGES 64 /* 256 KiB a CPU */
#define MAX_CPUS 64
#define DEFAULT_FREQ 4000

struct ring {
	int fd;
	struct perf_event_mmap_page *page;
	uint8_t *data;
	uint64_t id;
};

static struct ring rings[MAX_CPUS];
static int nrings;
static uint8_t chunk[RING_PAGES * PAGE];
static unsigned long samples, bytes_written;

struct options {
	const char *event, *output;
	uint64_t freq, period;
	bool callchain;
	char **cmd;
};

static int parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){ "cpu-clock", PERF_DEFAULT_FILE, DEFAULT_FREQ, 0, false, NULL };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-g")) {
			o->callchain = true;
			continue;
		}
		if (i + 1 == argc)
			return -1;
		if (!strcmp(a, "-e"))
			o->event = argv[++i];
		else if (!strcmp(a, "-o"))
			o->output = argv[++i];
		else if (!strcmp(a, "-F"))
			o->freq = strtoull(argv[++i], NULL, 10), o->period = 0;
		else if (!strcmp(a, "-c"))
			o->period = strtoull(argv[++i], NULL, 10), o->freq = 0;
		else
			return -1;
	}
	o->cmd = argv + i;
	return i < argc && (o->freq || o->period) ? 0 : -1;
}

static struct perf_event_attr make_attr(const struct options *o, uint32_t type, uint64_t config)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = type;
	a.size = sizeof(a);
	a.config = config;
	a.sample_period = o->freq ? o->freq : o->period;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID | PERF_SAMPLE_CPU |
			PERF_SAMPLE_PERIOD | (o->callchain ? PERF_SAMPLE_CALLCHAIN : 0);
	a.flags = PERF_ATTR_FLAG_DISABLED | PERF_ATTR_FLAG_ENABLE_ON_EXEC | PERF_ATTR_FLAG_INHERIT |
		  PERF_ATTR_FLAG_MMAP | PERF_ATTR_FLAG_COMM | PERF_ATTR_FLAG_TASK | PERF_ATTR_FLAG_SAMPLE_ID_ALL |
		  PERF_ATTR_FLAG_COMM_EXEC | (o->freq ? PERF_ATTR_FLAG_FREQ : 0);
	return a;
}

/* One event per CPU, until the kernel says there is no such CPU. */
static int open_rings(struct perf_event_attr *a, pid_t child)
{
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		int fd = (int)syscall(SYS_perf_event_open, a, child, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			if (cpu == 0)
				fprintf(stderr, "perf: perf_event_open: %s\n", strerror(errno));
			return cpu == 0 ? -1 : 0;
		}
		struct ring *r = &rings[nrings++];
		r->fd = fd;
		r->page = mmap(NULL, (1 + RING_PAGES) * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (r->page == MAP_FAILED) {
			fprintf(stderr, "perf: mmap: %s\n", strerror(errno));
			return -1;
		}
		r->data = (uint8_t *)r->page + r->page->data_offset;
		ioctl(fd, PERF_EVENT_IOC_ID, &r->id);
	}
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
		bytes_written += (unsigned long)k;
	}
	return 0;
}

/* The pipe-mode header and the event's attr with its ids. */
static int write_header(int out, const struct perf_event_attr *a)
{
	uint64_t magic_size[2];
	memcpy(&magic_size[0], PERF_DATA_MAGIC, 8);
	magic_size[1] = sizeof(magic_size);
	struct perf_event_header h = { PERF_RECORD_HEADER_ATTR, 0,
				       (uint16_t)(sizeof(h) + sizeof(*a) + nrings * sizeof(uint64_t)) };
	if (write_all(out, magic_size, sizeof(magic_size)) || write_all(out, &h, sizeof(h)) || write_all(out, a, sizeof(*a)))
		return -1;
	for (int i = 0; i < nrings; i++)
		if (write_all(out, &rings[i].id, sizeof(uint64_t)))
			return -1;
	return 0;
}

/* Copy a ring's new records to the file and free their room. */
static int drain(struct ring *r, int out)
{
	uint64_t head = __atomic_load_n(&r->page->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->page->data_tail, size = r->page->data_size;
	size_t n = (size_t)(head - tail);
	for (size_t i = 0; i < n; i++)
		chunk[i] = r->data[(tail + i) % size];
	for (size_t at = 0; at + sizeof(struct perf_event_header) <= n;) {
		const struct perf_event_header *h = (const void *)(chunk + at);
		samples += h->type == PERF_RECORD_SAMPLE;
		at += h->size ? h->size : n;
	}
	__atomic_store_n(&r->page->data_tail, head, __ATOMIC_RELEASE);
	return write_all(out, chunk, n);
}

static int drain_all(int out)
{
	for (int i = 0; i < nrings; i++)
		if (drain(&rings[i], out))
			return -1;
	return 0;
}

/* Until the child exits: sleep in poll, copy what woke us. */
static int collect(pid_t child, int out, int *status, int *wakeups)
{
	struct pollfd pfd[MAX_CPUS];
	for (int i = 0; i < nrings; i++)
		pfd[i] = (struct pollfd){ rings[i].fd, POLLIN, 0 };
	for (;;) {
		int ready = poll(pfd, (nfds_t)nrings, 100);
		for (int i = 0; ready > 0 && i < nrings; i++) {
			*wakeups += (pfd[i].revents & POLLIN) != 0;
			if (pfd[i].revents & ~POLLIN)
				pfd[i].fd = -1; /* hung up: drained on every round still, but not polled */
		}
		if (drain_all(out))
			return -1;
		pid_t done = waitpid(child, status, WNOHANG);
		if (done == child)
			return drain_all(out);
		if (done < 0)
			return -1;
	}
}

int perf_record_main(int argc, char **argv)
{
	struct options o;
	uint32_t type;
	uint64_t config;
	if (parse(argc, argv, &o)) {
		fprintf(stderr, "usage: perf record [-e EVENT] [-F FREQ | -c PERIOD] [-g] [-o FILE] [--] COMMAND [ARGS...]\n");
		return 2;
	}
	if (!perf_parse_event(o.event, &type, &config)) {
		fprintf(stderr, "perf: event syntax error: '%s'\n", o.event);
		return 2;
	}
	int out = open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int go[2];
	if (out < 0 || pipe(go) < 0) {
		fprintf(stderr, "perf: %s: %s\n", o.output, strerror(errno));
		return 1;
	}
	pid_t child = fork();
	if (child == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127); /* the parent gave up */
		execvp(o.cmd[0], o.cmd);
		fprintf(stderr, "perf: %s: %s\n", o.cmd[0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	struct perf_event_attr a = make_attr(&o, type, config);
	int status = 0, wakeups = 0;
	if (child < 0 || open_rings(&a, child) || write_header(out, &a)) {
		if (child > 0) {
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
		}
		return 1;
	}
	write(go[1], "g", 1);
	close(go[1]);
	int err = collect(child, out, &status, &wakeups);
	close(out);
	for (int i = 0; i < nrings; i++) {
		munmap(rings[i].page, (1 + RING_PAGES) * PAGE);
		close(rings[i].fd);
	}
	if (err) {
		fprintf(stderr, "perf: writing %s: %s\n", o.output, strerror(errno));
		return 1;
	}
	fprintf(stderr, "[ perf record: Woken up %d times to write data ]\n", wakeups);
	fprintf(stderr, "[ perf record: Captured and wrote %lu.%03lu MB %s (%lu samples) ]\n", bytes_written >> 20,
		(bytes_written & 0xfffff) * 1000 >> 20, o.output, samples);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
