/*
 * perf report: where did the time go? (course section: performance
 * profiling tools)
 *
 *     perf report [-i FILE] [--folded]
 *
 * reads what perf record wrote and names every sample: a kernel address
 * (above the canonical hole) by /proc/kallsyms, a program's address by the
 * symbol table of the file its PERF_RECORD_MMAP says was mapped there (the
 * program's path as execve got it), and its command by PERF_RECORD_COMM.
 * Samples are added up per (command, file, function), each weighted by its
 * PERIOD (for a clock, the nanoseconds it stands for), and printed sorted,
 * as Linux's `perf report --stdio` prints them: [.] a program's function,
 * [k] the kernel's.
 *
 * --folded prints one line per distinct call chain, root first, frames
 * separated by ';', then the number of samples: "busy;main;spin 812". That
 * is the "folded stacks" format flame graph tools read (a kernel frame ends
 * in _[k], as Linux's stackcollapse-perf marks it). Without -g at record
 * time a chain is just the sampled function.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf.h"

#define KERNEL_START 0xffff800000000000ull
#define CONTEXT_MARKERS ((uint64_t)-4095) /* PERF_CONTEXT_*: -4095 and above */
#define MAX_MAPS 256
#define MAX_PIDS 512
#define MAX_SYMTABS 32
#define MAX_ENTRIES 8192
#define FRAME_TEXT 4096

struct map { uint32_t pid; uint64_t start, len, pgoff; char file[256]; };
struct proc { uint32_t pid, ppid; char comm[16]; };
struct entry { char *key; uint64_t weight, samples; };

static struct map maps[MAX_MAPS];
static int nmaps;
static struct proc procs[MAX_PIDS];
static int nprocs;
static struct symtab symtabs[MAX_SYMTABS], kernel;
static int nsymtabs;
static bool kernel_loaded;
static struct entry entries[MAX_ENTRIES];
static int nentries;
static uint64_t total_weight, nsamples, lost;
static struct perf_event_attr attr;

static struct proc *proc_of(uint32_t pid, bool create)
{
	for (int i = 0; i < nprocs; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	if (!create || nprocs == MAX_PIDS)
		return NULL;
	procs[nprocs] = (struct proc){ pid, 0, "" };
	return &procs[nprocs++];
}

/* The mapping holding addr in pid, or in the process it was forked from. */
static const struct map *map_of(uint32_t pid, uint64_t addr)
{
	for (int depth = 0; depth < 8 && pid; depth++) {
		for (int i = nmaps - 1; i >= 0; i--)
			if (maps[i].pid == pid && addr >= maps[i].start && addr - maps[i].start < maps[i].len)
				return &maps[i];
		struct proc *p = proc_of(pid, false);
		pid = p ? p->ppid : 0;
	}
	return NULL;
}

static const struct symtab *symtab_for(const char *path)
{
	for (int i = 0; i < nsymtabs; i++)
		if (!strcmp(symtabs[i].path, path))
			return &symtabs[i];
	if (nsymtabs == MAX_SYMTABS)
		return NULL;
	symtab_load_elf(&symtabs[nsymtabs], path);
	return &symtabs[nsymtabs++];
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* One frame's names: its file (dso), its function (or the address). */
static void name_frame(uint32_t pid, uint64_t ip, char *dso, size_t dlen, char *sym, size_t slen, bool *kernel_frame)
{
	*kernel_frame = ip >= KERNEL_START;
	const struct symbol *s = NULL;
	if (*kernel_frame) {
		if (!kernel_loaded) {
			symtab_load_kallsyms(&kernel);
			kernel_loaded = true;
		}
		snprintf(dso, dlen, "[kernel.kallsyms]");
		s = symtab_find(&kernel, ip);
	} else {
		const struct map *m = map_of(pid, ip);
		snprintf(dso, dlen, "%s", m ? base_name(m->file) : "[unknown]");
		const struct symtab *t = m ? symtab_for(m->file) : NULL;
		s = t ? symtab_find(t, ip) : NULL; /* our programs are static, linked at their addresses */
	}
	if (s)
		snprintf(sym, slen, "%s", s->name);
	else
		snprintf(sym, slen, "%#lx", (unsigned long)ip);
}

static struct entry *entry_for(const char *key)
{
	for (int i = 0; i < nentries; i++)
		if (!strcmp(entries[i].key, key))
			return &entries[i];
	if (nentries == MAX_ENTRIES)
		return NULL;
	entries[nentries] = (struct entry){ strdup(key), 0, 0 };
	return &entries[nentries++];
}

static void add(const char *key, uint64_t weight)
{
	struct entry *e = entry_for(key);
	if (e) {
		e->weight += weight;
		e->samples++;
	}
}

/* --- records ----------------------------------------------------------------------------------- */

struct sample {
	uint64_t ip, period;
	uint32_t pid, tid;
	const uint64_t *chain;
	uint64_t nchain;
};

/* A PERF_RECORD_SAMPLE's fields, in the order attr.sample_type puts them. */
static bool parse_sample(const struct perf_event_header *h, struct sample *s)
{
	const uint64_t *w = (const uint64_t *)(h + 1), *end = (const uint64_t *)((const char *)h + h->size);
	uint64_t st = attr.sample_type;
	memset(s, 0, sizeof(*s));
	s->period = 1;
	if (st & PERF_SAMPLE_IDENTIFIER)
		w++;
	if (st & PERF_SAMPLE_IP)
		s->ip = *w++;
	if (st & PERF_SAMPLE_TID) {
		s->pid = (uint32_t)*w;
		s->tid = (uint32_t)(*w++ >> 32);
	}
	w += !!(st & PERF_SAMPLE_TIME) + !!(st & PERF_SAMPLE_ADDR) + !!(st & PERF_SAMPLE_ID) +
	     !!(st & PERF_SAMPLE_STREAM_ID) + !!(st & PERF_SAMPLE_CPU);
	if (st & PERF_SAMPLE_PERIOD)
		s->period = *w++;
	if (st & PERF_SAMPLE_READ)
		return false; /* perf record does not ask for it */
	if ((st & PERF_SAMPLE_CALLCHAIN) && w < end) {
		s->nchain = *w++;
		s->chain = w;
		if (s->nchain > (uint64_t)(end - w))
			return false;
	}
	return w <= end;
}

static void on_comm(const struct perf_event_header *h)
{
	const uint32_t *w = (const uint32_t *)(h + 1);
	struct proc *p = proc_of(w[0], true);
	if (p)
		snprintf(p->comm, sizeof(p->comm), "%s", (const char *)(w + 2));
}

static void on_fork(const struct perf_event_header *h)
{
	const uint32_t *w = (const uint32_t *)(h + 1); /* pid, ppid, tid, ptid */
	struct proc *parent = proc_of(w[1], false), *p = proc_of(w[0], true);
	if (p && p != parent) {
		p->ppid = w[1];
		if (parent)
			memcpy(p->comm, parent->comm, sizeof(p->comm));
	}
}

static void on_mmap(const struct perf_event_header *h)
{
	const uint64_t *w = (const uint64_t *)(h + 1); /* pid/tid, addr, len, pgoff, filename */
	if (nmaps == MAX_MAPS)
		return;
	struct map *m = &maps[nmaps++];
	m->pid = (uint32_t)w[0];
	m->start = w[1];
	m->len = w[2];
	m->pgoff = w[3];
	snprintf(m->file, sizeof(m->file), "%s", (const char *)(w + 4));
}

static void on_sample(const struct perf_event_header *h, bool folded)
{
	struct sample s;
	if (!parse_sample(h, &s))
		return;
	nsamples++;
	total_weight += s.period;
	struct proc *p = proc_of(s.pid, false);
	const char *comm = p && p->comm[0] ? p->comm : "[unknown]";
	char dso[64], sym[128], key[FRAME_TEXT];
	bool k;
	if (!folded) {
		name_frame(s.pid, s.ip, dso, sizeof(dso), sym, sizeof(sym), &k);
		snprintf(key, sizeof(key), "%s\t%s\t[%c] %s", comm, dso, k ? 'k' : '.', sym);
		add(key, s.period);
		return;
	}
	size_t n = (size_t)snprintf(key, sizeof(key), "%s", comm);
	uint64_t leaf_only[1] = { s.ip };
	const uint64_t *chain = s.nchain ? s.chain : leaf_only;
	for (uint64_t i = s.nchain ? s.nchain : 1; i-- > 0 && n < sizeof(key);) {
		if (chain[i] >= CONTEXT_MARKERS)
			continue;
		name_frame(s.pid, chain[i], dso, sizeof(dso), sym, sizeof(sym), &k);
		n += (size_t)snprintf(key + n, sizeof(key) - n, ";%s%s", sym, k ? "_[k]" : "");
	}
	add(key, 1);
}

static int read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	off_t size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	*buf = size > 0 ? malloc((size_t)size) : NULL;
	ssize_t got = *buf ? read(fd, *buf, (size_t)size) : -1;
	close(fd);
	*len = got > 0 ? (size_t)got : 0;
	return got == size ? 0 : -1;
}

static int walk_records(const char *data, size_t len, bool folded)
{
	if (len < 16 || memcmp(data, PERF_DATA_MAGIC, 8) || *(const uint64_t *)(data + 8) != 16)
		return -1; /* not a pipe-mode perf.data */
	for (size_t at = 16; at + sizeof(struct perf_event_header) <= len;) {
		const struct perf_event_header *h = (const void *)(data + at);
		if (h->size < sizeof(*h) || h->size > len - at)
			return -1;
		switch (h->type) {
		case PERF_RECORD_HEADER_ATTR: {
			size_t n = h->size - sizeof(*h);
			memcpy(&attr, h + 1, n < sizeof(attr) ? n : sizeof(attr));
			break;
		}
		case PERF_RECORD_COMM: on_comm(h); break;
		case PERF_RECORD_FORK: on_fork(h); break;
		case PERF_RECORD_MMAP: on_mmap(h); break;
		case PERF_RECORD_LOST: lost += ((const uint64_t *)(h + 1))[1]; break;
		case PERF_RECORD_SAMPLE: on_sample(h, folded); break;
		}
		at += h->size;
	}
	return 0;
}

/* --- printing ----------------------------------------------------------------------------------- */

static int by_weight(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return x->weight < y->weight ? 1 : x->weight > y->weight ? -1 : strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static const char *event_name(void)
{
	static const char *const sw[] = { "cpu-clock", "task-clock", "page-faults", "context-switches",
					  "cpu-migrations", "minor-faults", "major-faults" };
	static char buf[32];
	if (attr.type == PERF_TYPE_SOFTWARE && attr.config < sizeof(sw) / sizeof(sw[0]))
		return sw[attr.config];
	snprintf(buf, sizeof(buf), "%s:%lu", attr.type == PERF_TYPE_TRACEPOINT ? "tracepoint" : "type",
		 (unsigned long)attr.config);
	return buf;
}

static void print_table(void)
{
	qsort(entries, (size_t)nentries, sizeof(entries[0]), by_weight);
	printf("#\n# Total Lost Samples: %lu\n#\n", (unsigned long)lost);
	printf("# Samples: %lu  of event '%s'\n", (unsigned long)nsamples, event_name());
	printf("# Event count (approx.): %lu\n#\n", (unsigned long)total_weight);
	printf("# Overhead  Command          Shared Object      Symbol\n");
	printf("# ........  ...............  .................  ......................\n#\n");
	for (int i = 0; i < nentries; i++) {
		uint64_t hundredths = total_weight ? entries[i].weight * 10000 / total_weight : 0;
		char *comm = entries[i].key, *dso = strchr(comm, '\t'), *sym = strchr(dso + 1, '\t');
		*dso++ = 0;
		*sym++ = 0;
		printf("%7lu.%02lu%%  %-15s  %-17s  %s\n", (unsigned long)(hundredths / 100), (unsigned long)(hundredths % 100),
		       comm, dso, sym);
	}
	printf("\n");
}

int perf_report_main(int argc, char **argv)
{
	const char *input = PERF_DEFAULT_FILE;
	bool folded = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-i") && i + 1 < argc) {
			input = argv[++i];
		} else if (!strcmp(argv[i], "--folded")) {
			folded = true;
		} else {
			fprintf(stderr, "usage: perf report [-i FILE] [--folded]\n");
			return 2;
		}
	}
	char *data = NULL;
	size_t len = 0;
	if (read_file(input, &data, &len) || walk_records(data, len, folded)) {
		fprintf(stderr, "perf: %s: not a perf.data file perf record wrote\n", input);
		free(data);
		return 1;
	}
	if (folded) {
		qsort(entries, (size_t)nentries, sizeof(entries[0]), by_key);
		for (int i = 0; i < nentries; i++)
			printf("%s %lu\n", entries[i].key, (unsigned long)entries[i].samples);
	} else {
		print_table();
	}
	free(data);
	return 0;
}
