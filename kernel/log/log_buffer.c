/*
 * The kernel log: a ring of records (course section: the kernel's own tools).
 *
 * printk's text arrives in pieces (a message may be printed in several
 * calls); a record is made at each newline. The record keeps what Linux's
 * keeps: a sequence number counting every record since boot, the time (ns
 * since boot), the priority (facility << 3 | level) and the text. The ring
 * holds the last LOG_RECORDS: record seq lives in slot seq % LOG_RECORDS, so
 * a reader that remembers a sequence number knows whether its record was
 * overwritten meanwhile (seq < first). Interrupts are held off around every
 * change, since printk is called from interrupt handlers too.
 */
#include "kernel/log/log_buffer.h"
#include "arch/x86_64/cpu.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "libc/format.h"
#include "libc/include/abi/syslog.h"
#include "libc/include/string.h"

struct log_record {
	uint64_t seq;
	uint64_t time_ns;
	uint8_t prio;
	uint16_t len;
	char text[LOG_TEXT_MAX];
};

static struct log_record records[LOG_RECORDS];
static uint64_t next_seq, clear_seq;
static struct log_record partial; /* printk's line being built */
struct wait_queue log_readers = WAIT_QUEUE_INIT(log_readers);

uint64_t log_next_seq(void) { return next_seq; }
uint64_t log_first_seq(void) { return next_seq > LOG_RECORDS ? next_seq - LOG_RECORDS : 0; }
uint64_t log_clear_seq(void) { return MAX(clear_seq, log_first_seq()); }
void log_set_clear_seq(uint64_t seq) { clear_seq = seq; }

static void commit(const struct log_record *r)
{
	uint64_t flags = irq_save();
	struct log_record *slot = &records[next_seq % LOG_RECORDS];
	*slot = *r;
	slot->seq = next_seq++;
	irq_restore(flags);
	wake_up(&log_readers, POLLIN | POLLRDNORM);
}

void log_add_record(unsigned prio, const char *text, size_t n)
{
	struct log_record r = { .time_ns = clock_monotonic_ns(), .prio = (uint8_t)prio };
	r.len = (uint16_t)MIN(n, sizeof(r.text));
	memcpy(r.text, text, r.len);
	commit(&r);
}

void log_append_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (partial.len == 0)
			partial.time_ns = clock_monotonic_ns(); /* when the line began */
		if (s[i] == '\n') {
			partial.prio = LOG_KERN_FACILITY << 3 | LOG_DEFAULT_LEVEL;
			commit(&partial);
			partial.len = 0;
		} else if (partial.len < LOG_TEXT_MAX) {
			partial.text[partial.len++] = s[i];
		}
	}
}

/* A copy of record seq, taken with interrupts off; false if it is gone. */
static bool get_record(uint64_t seq, struct log_record *r)
{
	uint64_t flags = irq_save();
	bool there = seq >= log_first_seq() && seq < next_seq;
	if (there)
		*r = records[seq % LOG_RECORDS];
	irq_restore(flags);
	return there;
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len < o->size)
			o->buf[o->len] = s[i];
}

__attribute__((format(printf, 2, 3))) static size_t put_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(put, o, fmt, ap);
	va_end(ap);
	return o->len;
}

size_t log_format_syslog(uint64_t seq, char *buf, size_t size)
{
	struct log_record r;
	if (!get_record(seq, &r))
		return 0;
	struct out o = { buf, size, 0 };
	uint64_t us = r.time_ns / 1000;
	put_fmt(&o, "<%u>[%5lu.%06lu] ", r.prio, us / 1000000, us % 1000000);
	put(&o, r.text, r.len);
	put(&o, "\n", 1);
	return o.len;
}

/* /dev/kmsg shows bytes that are not printable as \xNN, and '\' as \x5c. */
size_t log_format_kmsg(uint64_t seq, char *buf, size_t size)
{
	struct log_record r;
	if (!get_record(seq, &r))
		return 0;
	struct out o = { buf, size, 0 };
	put_fmt(&o, "%u,%lu,%lu,-;", r.prio, r.seq, r.time_ns / 1000);
	for (size_t i = 0; i < r.len; i++) {
		unsigned char c = (unsigned char)r.text[i];
		if (c < ' ' || c >= 127 || c == '\\')
			put_fmt(&o, "\\x%02x", c);
		else
			put(&o, (const char *)&c, 1);
	}
	put(&o, "\n", 1);
	return o.len;
}

/* The newest whole lines that fit in size bytes, plain "text\n", oldest
 * first: for /proc/kmsg's snapshot of the log. */
size_t log_read_text(char *buf, size_t size)
{
	uint64_t end = log_next_seq(), from = end;
	size_t total = 0;
	struct log_record r;
	while (from > log_first_seq() && get_record(from - 1, &r) && total + r.len + 1 <= size) {
		total += r.len + 1;
		from--;
	}
	size_t done = 0;
	for (uint64_t seq = from; seq < end && get_record(seq, &r) && done + r.len + 1 <= size; seq++) {
		memcpy(buf + done, r.text, r.len);
		buf[done + r.len] = '\n';
		done += r.len + 1;
	}
	return done;
}
