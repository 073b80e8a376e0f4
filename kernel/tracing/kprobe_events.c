/*
 * kprobe events: probes made by writing a line to tracefs (course section:
 * kernel debugging techniques).
 *
 *     echo 'p:myprobe sys_getpid' >> /sys/kernel/tracing/kprobe_events
 *     echo 1 > /sys/kernel/tracing/events/kprobes/myprobe/enable
 *     cat /sys/kernel/tracing/trace
 *        ...  myprobe: (sys_getpid+0x0/0x30)
 *     echo '-:myprobe' >> /sys/kernel/tracing/kprobe_events
 *
 * Each line "p[:[GROUP/]NAME] SYMBOL[+OFFSET]" makes a trace event
 * kprobes:NAME (Linux's default group; the name defaults to p_SYMBOL_OFFSET)
 * with Linux's record: the common header and `unsigned long __probe_ip`.
 * The event is like any other: enable and format files, an id that
 * perf_event_open takes as a tracepoint (counting, sampling with the record
 * as RAW). "-:NAME" removes one (EBUSY while it is enabled or perf uses
 * it), and opening the file with `>` removes them all. Fetch arguments
 * (%di, +0(%si):string) and return probes (r:) are not taken: EINVAL.
 *
 * A removed event's trace_event and tracefs directory stay (a reader may
 * hold its files open; the slot is reused by the next probe of that name):
 * it is only dropped from available_events and refuses to be enabled.
 */
#include "kernel/tracing/kprobes.h"
#include "arch/x86_64/regs.h"
#include "kernel/tracing/tbuf.h"
#include "kernel/tracing/trace.h"
#include "kernel/tracing/tracefs.h"
#include "kernel/module/ksyms.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

#define MAX_KPROBE_EVENTS 32
#define NAME_LEN 64

struct kprobe_event {
	struct trace_event ev;
	struct kprobe kp;
	char name[NAME_LEN], symbol[NAME_LEN];
};

struct kprobe_record {
	struct trace_entry ent;
	uint64_t probe_ip;
};

static struct kprobe_event kevents[MAX_KPROBE_EVENTS];
static int nkevents;

static const struct trace_field kprobe_fields[] = {
	{ "unsigned long __probe_ip", 8, 8, false },
};

/* "(sys_getpid+0x0/0x30)": function, offset, size, as Linux's %pS prints. */
static void print_kprobe(struct tbuf *out, const struct trace_event *ev, const void *rec, size_t len)
{
	(void)ev, (void)len;
	uint64_t ip = ((const struct kprobe_record *)rec)->probe_ip, off = 0;
	const char *name = ksym_lookup(ip, &off);
	if (name)
		tprintf(out, "(%s+0x%lx/0x%lx)", name, off, ksym_size(ip - off));
	else
		tprintf(out, "(%lx)", ip);
}

/* The probe's handler: a record, if the event is on (tracefs or perf). */
static void kprobe_event_hit(struct kprobe *p, const struct regs *r)
{
	struct kprobe_event *k = p->data;
	if (!k->ev.active)
		return;
	struct kprobe_record rec = { .probe_ip = r->rip };
	trace_event_commit(&k->ev, &rec, sizeof(rec));
}

static struct kprobe_event *find(const char *name)
{
	for (int i = 0; i < nkevents; i++)
		if (!strcmp(kevents[i].name, name))
			return &kevents[i];
	return NULL;
}

/* Make (or bring back) the event NAME on SYMBOL+offset. */
static int create(const char *name, const char *symbol, uint64_t offset)
{
	struct kprobe_event *k = find(name);
	if (k && !k->ev.removed)
		return -EEXIST;
	bool fresh = !k;
	if (fresh && nkevents == MAX_KPROBE_EVENTS)
		return -ENOSPC;
	if (fresh)
		k = &kevents[nkevents];
	struct kprobe kp = { .symbol = k->symbol, .offset = offset, .handler = kprobe_event_hit, .data = k };
	strncpy(k->symbol, symbol, NAME_LEN - 1);
	k->kp = kp;
	int err = kprobe_register(&k->kp);
	if (err)
		return err;
	if (!fresh) {
		k->ev.removed = false;
		return 0;
	}
	nkevents++;
	strncpy(k->name, name, NAME_LEN - 1);
	k->ev = (struct trace_event){
		.system = "kprobes",
		.name = k->name,
		.fields = kprobe_fields,
		.nfields = 1,
		.print_fmt = "\"(%lx)\", REC->__probe_ip",
		.print = print_kprobe,
		.syscall_nr = -1,
	};
	trace_event_register(&k->ev);
	tracefs_event_dir_add(&k->ev);
	return 0;
}

static int remove(struct kprobe_event *k)
{
	if (k->ev.enabled || k->ev.perf_users)
		return -EBUSY;
	kprobe_unregister(&k->kp);
	k->ev.removed = true;
	return 0;
}

/* "16" or "0x10". */
static int parse_offset(const char *s, uint64_t *out)
{
	unsigned base = (s[0] == '0' && s[1] == 'x') ? 16 : 10;
	if (base == 16)
		s += 2;
	if (!*s)
		return -EINVAL;
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
			   : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) : 99;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* One line: "p[:[GROUP/]NAME] SYMBOL[+OFFSET]" or "-:[GROUP/]NAME". */
static int parse_line(char *line)
{
	char *words[3];
	int n = 0;
	char *save;
	for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		if (n < 3)
			words[n++] = w;
		else
			return -EINVAL; /* fetch arguments are not supported */
	if (n == 0)
		return 0;
	char kind = words[0][0], *name = words[0][1] == ':' ? words[0] + 2 : NULL;
	if (words[0][1] && words[0][1] != ':')
		return -EINVAL;
	if (name && strchr(name, '/')) {
		if (strncmp(name, "kprobes/", 8))
			return -EINVAL; /* one group here: kprobes */
		name += 8;
	}
	if (kind == '-') {
		struct kprobe_event *k = name && n == 1 ? find(name) : NULL;
		return k && !k->ev.removed ? remove(k) : -ENOENT;
	}
	if (kind != 'p' || n != 2)
		return -EINVAL; /* r: (return probes) is not here */
	char *plus = strchr(words[1], '+');
	uint64_t offset = 0;
	if (plus) {
		*plus = 0;
		if (parse_offset(plus + 1, &offset))
			return -EINVAL;
	}
	char auto_name[NAME_LEN];
	if (!name || !*name) {
		struct tbuf t = { auto_name, 0, NAME_LEN - 1 };
		tprintf(&t, "p_%s_%lu", words[1], offset); /* Linux's name for an unnamed probe */
		auto_name[t.len] = 0;
		name = auto_name;
	}
	if (strlen(name) >= NAME_LEN || strlen(words[1]) >= NAME_LEN)
		return -EINVAL;
	return create(name, words[1], offset);
}

static int store_kprobe_events(const char *text, void *arg)
{
	(void)arg;
	char buf[256];
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, line, len);
		buf[len] = 0;
		char *hash = strchr(buf, '#'); /* a comment */
		if (hash)
			*hash = 0;
		int err = parse_line(buf);
		if (err)
			return err;
		line += len + (line[len] == '\n');
	}
	return 0;
}

static void show_kprobe_events(struct tbuf *out, void *arg)
{
	(void)arg;
	for (int i = 0; i < nkevents; i++) {
		struct kprobe_event *k = &kevents[i];
		if (k->ev.removed)
			continue;
		tprintf(out, "p:kprobes/%s %s", k->name, k->symbol);
		if (k->kp.offset)
			tprintf(out, "+%lu", k->kp.offset);
		tputs(out, "\n");
	}
}

/* `> kprobe_events`: all go, unless one is in use (Linux: EBUSY, then none go). */
static void reset_kprobe_events(void *arg)
{
	(void)arg;
	for (int i = 0; i < nkevents; i++)
		if (!kevents[i].ev.removed)
			remove(&kevents[i]);
}

static const struct tracefs_file kprobe_events_file = { show_kprobe_events, store_kprobe_events, reset_kprobe_events };

void kprobe_events_init(struct inode *root)
{
	tracefs_add(root, "kprobe_events", 0644, &kprobe_events_file, NULL);
}
