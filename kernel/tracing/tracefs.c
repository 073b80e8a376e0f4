/*
 * tracefs: the files that steer tracing, at /sys/kernel/tracing (course
 * section: kernel debugging techniques).
 *
 * Tracing is controlled the Linux way, by reading and writing small text
 * files: `echo 1 > events/sched/sched_switch/enable` switches an event on,
 * `cat trace` shows the ring's contents without consuming them, and
 * `cat trace_pipe` consumes them, sleeping while the ring is empty. Every
 * line has Linux's layout:
 *
 *     comm-pid     [cpu] flags  seconds.micros: event: fields
 *
 * The files are ordinary inodes whose operations generate text on open
 * (show) or parse what is written (store); trace and trace_pipe have their
 * own operations, as they read the ring piece by piece.
 */
#include "kernel/tracing/tracefs.h"
#include "kernel/tracing/ftrace.h"
#include "kernel/tracing/perf.h"
#include "kernel/tracing/ring.h"
#include "kernel/tracing/tbuf.h"
#include "kernel/tracing/trace.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define SHOW_MAX (64 * 1024)   /* the longest generated file (available_events) */
#define STORE_MAX 4096         /* the longest write a control file takes */
#define LINE_MAX 1024          /* one trace line */
#define MARKER_MAX 1024        /* Linux's limit for one trace_marker write is larger; ours is a page's quarter */

static bool tracing_on = true;

bool tracing_is_on(void)
{
	return tracing_on;
}

/* --- generated text files ---------------------------------------------------------------------- */

struct tnode {
	const struct tracefs_file *ops;
	void *arg;
};

static int text_open(struct inode *inode, struct file *f)
{
	const struct tnode *n = inode->dev_data;
	struct tbuf *t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	if (file_readable(f) && n->ops->show) {
		t->buf = kmalloc(SHOW_MAX);
		if (!t->buf) {
			kfree(t);
			return -ENOMEM;
		}
		t->cap = SHOW_MAX;
		n->ops->show(t, n->arg);
	}
	if (file_writable(f) && !(f->flags & O_APPEND) && n->ops->reset)
		n->ops->reset(n->arg);
	f->private = t;
	return 0;
}

static ssize_t text_read(struct file *f, void __user *ubuf, size_t n, off_t *pos)
{
	const struct tbuf *t = f->private;
	return read_from_buffer(ubuf, n, pos, t->buf, t->len);
}

static ssize_t text_write(struct file *f, const void __user *ubuf, size_t n, off_t *pos)
{
	const struct tnode *node = f->inode->dev_data;
	if (!node->ops->store)
		return -EINVAL;
	if (n == 0)
		return 0;
	if (n >= STORE_MAX)
		return -EINVAL;
	char *text = kmalloc(n + 1);
	if (!text)
		return -ENOMEM;
	if (copy_from_user(text, ubuf, n)) {
		kfree(text);
		return -EFAULT;
	}
	text[n] = 0;
	int err = node->ops->store(text, node->arg);
	kfree(text);
	if (err)
		return err;
	*pos += n;
	return n;
}

static void text_release(struct file *f)
{
	struct tbuf *t = f->private;
	kfree(t->buf);
	kfree(t);
}

static const struct file_ops text_ops = {
	.open = text_open,
	.read = text_read,
	.write = text_write,
	.release = text_release,
	.seekable = true,
};

int tracefs_add(struct inode *dir, const char *name, unsigned mode, const struct tracefs_file *ops, void *arg)
{
	struct tnode *n = kmalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->ops = ops;
	n->arg = arg;
	struct inode *i;
	int err = dir_create(dir, name, S_IFREG | mode, &i);
	if (err) {
		kfree(n);
		return err;
	}
	i->dev_ops = &text_ops;
	i->dev_data = n;
	return 0;
}

struct inode *tracefs_mkdir(struct inode *dir, const char *name)
{
	struct inode *i = dir_lookup(dir, name);
	if (!i && dir_create(dir, name, S_IFDIR | 0755, &i))
		return NULL;
	return i;
}

/* --- the small control files ------------------------------------------------------------------- */

/* "0" or "1", with or without a newline: Linux's parser for on/off files. */
int tracefs_parse_bool(const char *s, bool *out)
{
	if ((s[0] != '0' && s[0] != '1') || (s[1] && strcmp(s + 1, "\n")))
		return -EINVAL;
	*out = s[0] == '1';
	return 0;
}

static int parse_number(const char *s, size_t *out)
{
	size_t v = 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (((size_t)-1) - 9) / 10)
			return -EINVAL;
		v = v * 10 + (size_t)(*s - '0');
	}
	if (*s && strcmp(s, "\n"))
		return -EINVAL;
	*out = v;
	return 0;
}

static void show_tracing_on(struct tbuf *t, void *arg)
{
	(void)arg;
	tprintf(t, "%d\n", tracing_on);
}

static int store_tracing_on(const char *s, void *arg)
{
	(void)arg;
	return tracefs_parse_bool(s, &tracing_on);
}

static void show_buffer_size(struct tbuf *t, void *arg)
{
	(void)arg;
	tprintf(t, "%zu\n", ring_size_kb());
}

static int store_buffer_size(const char *s, void *arg)
{
	(void)arg;
	size_t kb;
	int err = parse_number(s, &kb);
	return err ? err : kb == ring_size_kb() ? 0 : ring_resize_kb(kb);
}

static void show_tracers(struct tbuf *t, void *arg)
{
	(void)arg;
	ftrace_show_tracers(t);
}

static void show_current_tracer(struct tbuf *t, void *arg)
{
	(void)arg;
	tprintf(t, "%s\n", ftrace_tracer_name());
}

static int store_tracer(const char *s, void *arg)
{
	(void)arg;
	return ftrace_set_tracer(s);
}

/* --- trace_marker: a program's own lines in the trace ----------------------------------------- */

struct rec_print {
	struct trace_entry e;
	uint64_t ip;
	char buf[];
};

static const struct trace_field print_fields[] = {
	{ "unsigned long ip", 8, 8, false },
	{ "char buf[]", 16, 0, false },
};

static void print_marker(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev;
	const struct rec_print *p = r;
	size_t n = len - sizeof(*p);
	tputs(o, "tracing_mark_write: ");
	for (size_t i = 0; i < n && p->buf[i]; i++)
		tprintf(o, "%c", p->buf[i]);
}

struct trace_event trace_marker_event = {
	.system = "ftrace", .name = "print", .fields = print_fields, .nfields = ARRAY_SIZE(print_fields),
	.print_fmt = "\"%ps: %s\", (void *)REC->ip, REC->buf", .print = print_marker, .syscall_nr = -1,
};

static ssize_t marker_write(struct file *f, const void __user *ubuf, size_t n, off_t *pos)
{
	(void)f, (void)pos;
	if (!tracing_on)
		return -EBADF; /* Linux: writes fail while tracing is off */
	size_t take = MIN(n, (size_t)MARKER_MAX);
	struct rec_print *r = kmalloc(sizeof(*r) + take + 2);
	if (!r)
		return -ENOMEM;
	if (copy_from_user(r->buf, ubuf, take)) {
		kfree(r);
		return -EFAULT;
	}
	if (take == 0 || r->buf[take - 1] != '\n')
		r->buf[take++] = '\n'; /* Linux ends every marker line */
	r->buf[take++] = 0;
	r->ip = 0;
	r->e = (struct trace_entry){ (uint16_t)trace_marker_event.id, 0, 0, current->pid };
	trace_write_record(&trace_marker_event, r, sizeof(*r) + take);
	kfree(r);
	return n;
}

static const struct file_ops marker_ops = { .write = marker_write };

/* --- trace and trace_pipe ---------------------------------------------------------------------- */

void trace_print_line(struct tbuf *out, uint64_t ts_ns, const void *rec, size_t len)
{
	const struct trace_entry *e = rec;
	const struct task *t = e->pid ? task_find(e->pid) : NULL;
	const char *comm = e->pid == 0 ? "<idle>" : t ? t->name : "<...>";
	uint64_t us = ts_ns / 1000;
	tprintf(out, "%16s-%-7d [000] ..... %5lu.%06lu: ", comm, e->pid, us / 1000000, us % 1000000);
	const struct trace_event *ev = trace_event_by_id(e->type);
	if (!ev)
		tprintf(out, "Unknown type %u", e->type);
	else if (ev->syscall_nr >= 0 || !strcmp(ev->system, "ftrace")) /* no "name: " before these */
		ev->print(out, ev, rec, len);
	else {
		tprintf(out, "%s: ", ev->name);
		ev->print(out, ev, rec, len);
	}
	if (!out->len || out->buf[out->len - 1] != '\n')
		tputs(out, "\n");
}

static void trace_header(struct tbuf *out)
{
	uint64_t in, written;
	ring_counts(&in, &written);
	tprintf(out, "# tracer: %s\n#\n# entries-in-buffer/entries-written: %lu/%lu   #P:1\n#\n", ftrace_tracer_name(),
		in, written);
	tputs(out, "#                                _-----=> irqs-off/BH-disabled\n"
		   "#                               / _----=> need-resched\n"
		   "#                              | / _---=> hardirq/softirq\n"
		   "#                              || / _--=> preempt-depth\n"
		   "#                              ||| / _-=> migrate-disable\n"
		   "#                              |||| /     delay\n"
		   "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		   "#              | |         |   |||||     |         |\n");
}

/* A reader's place: the next record, and the rest of the line last made. */
struct ring_reader {
	bool pipe, header_done;
	uint64_t pos;
	struct tbuf line;
	size_t line_off;
	char text[LINE_MAX];
};

/* Make the next line; false when the ring has no more. */
static bool next_line(struct ring_reader *r)
{
	r->line.len = r->line_off = 0;
	if (!r->pipe && !r->header_done) {
		r->line.cap = LINE_MAX;
		r->header_done = true;
		trace_header(&r->line);
		return true;
	}
	struct ring_record rec;
	if (r->pipe)
		r->pos = ring_tail();
	if (!ring_peek(&r->pos, &rec))
		return false;
	trace_print_line(&r->line, rec.ts_ns, rec.data, rec.len);
	if (r->pipe)
		ring_consume_to(r->pos);
	return true;
}

static int ring_open(struct inode *inode, struct file *f)
{
	struct ring_reader *r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->pipe = inode->dev_data != NULL;
	r->pos = ring_tail();
	r->line = (struct tbuf){ r->text, 0, LINE_MAX };
	f->private = r;
	if (!r->pipe && file_writable(f) && !(f->flags & O_APPEND))
		ring_reset(); /* `> trace` empties the ring, as on Linux */
	return 0;
}

static ssize_t ring_read(struct file *f, void __user *ubuf, size_t n, off_t *pos)
{
	struct ring_reader *r = f->private;
	if (r->pipe && r->line_off == r->line.len && ring_empty()) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ring_readers(), !ring_empty());
		if (err)
			return err;
	}
	size_t done = 0;
	while (done < n) {
		if (r->line_off == r->line.len && !next_line(r))
			break;
		size_t k = MIN(n - done, r->line.len - r->line_off);
		if (copy_to_user((char __user *)ubuf + done, r->text + r->line_off, k))
			return done ? (ssize_t)done : -EFAULT;
		r->line_off += k;
		done += k;
	}
	*pos += done;
	return done;
}

/* Writing to `trace` empties the ring. */
static ssize_t ring_write(struct file *f, const void __user *ubuf, size_t n, off_t *pos)
{
	(void)f, (void)ubuf, (void)pos;
	ring_reset();
	return n;
}

static uint32_t ring_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	poll_wait(pt, ring_readers());
	return ring_empty() ? 0 : POLLIN | POLLRDNORM;
}

static void ring_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops ring_ops = {
	.open = ring_open,
	.read = ring_read,
	.write = ring_write,
	.poll = ring_poll,
	.release = ring_release,
};

static void add_special(struct inode *dir, const char *name, unsigned mode, const struct file_ops *ops, void *data)
{
	struct inode *i;
	if (dir_create(dir, name, S_IFREG | mode, &i) == 0) {
		i->dev_ops = ops;
		i->dev_data = data;
	}
}

static const struct tracefs_file tracing_on_file = { show_tracing_on, store_tracing_on, NULL };
static const struct tracefs_file buffer_size_file = { show_buffer_size, store_buffer_size, NULL };
static const struct tracefs_file tracers_file = { show_tracers, NULL, NULL };
static const struct tracefs_file current_tracer_file = { show_current_tracer, store_tracer, NULL };

void kallsyms_init(void); /* kernel/tracing/kallsyms.c */

void tracefs_init(void)
{
	trace_events_init();
	kallsyms_init();
	perf_pmus_sysfs_init(); /* /sys/bus/event_source/devices/{software,tracepoint,kprobe}/type */
	struct inode *sys = tracefs_mkdir(root_inode, "sys");
	struct inode *kernel = sys ? tracefs_mkdir(sys, "kernel") : NULL;
	struct inode *root = kernel ? tracefs_mkdir(kernel, "tracing") : NULL;
	if (!root)
		return;
	fs_mount(root, FS_TRACE);
	add_special(root, "trace", 0644, &ring_ops, NULL);
	add_special(root, "trace_pipe", 0444, &ring_ops, (void *)1);
	add_special(root, "trace_marker", 0222, &marker_ops, NULL);
	tracefs_add(root, "tracing_on", 0644, &tracing_on_file, NULL);
	tracefs_add(root, "buffer_size_kb", 0644, &buffer_size_file, NULL);
	tracefs_add(root, "available_tracers", 0444, &tracers_file, NULL);
	tracefs_add(root, "current_tracer", 0644, &current_tracer_file, NULL);
	ftrace_init(root); /* before the events/ tree: it registers ftrace:function */
	tracefs_events_init(root);
	kprobe_events_init(root);
}
