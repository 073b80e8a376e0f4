/*
 * bpf_trace_printk: a program's printf, into the trace (course section:
 * advanced eBPF tracing).
 *
 * The quickest way to see what a program does: bpf_trace_printk(fmt,
 * sizeof(fmt), a, b, c) writes a line to the trace ring, and
 * `cat /sys/kernel/tracing/trace_pipe` shows it as Linux does:
 *
 *     prog-42 [000] ..... 12.345678: bpf_trace_printk: opened 3
 *
 * It is the trace event bpf_trace:bpf_trace_printk (a record holding the
 * text), switched on when a program that calls it is loaded. The format
 * is checked first, by Linux's rules, or the call returns -EINVAL: it must
 * end with a NUL within its size, hold printable characters only and at
 * most three conversions among %d %i %u %x %X (with l or ll), %c, %s, %p,
 * %px, %pK, with the flags 0 + - space and a width. A %s argument is read
 * with probe_read (a bad pointer prints an error text, never an oops).
 * The result is the number of characters written.
 */
#include "kernel/bpf/helpers.h"
#include "kernel/tracing/tbuf.h"
#include "libc/format.h"
#include "kernel/tracing/trace.h"
#include "kernel/tracing/tracefs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define PRINTK_MAX_ARGS 3
#define PRINTK_OUT_MAX 1024 /* Linux's BPF_TRACE_PRINTK_SIZE */
#define PRINTK_STR_MAX 128  /* the longest %s argument kept */
#define FMT_MAX 128         /* the longest format checked (Linux bounds it by the program's memory) */

struct printk_rec {
	struct trace_entry e;
	uint32_t data_loc;  /* __data_loc char[]: the string's offset, its length in the upper half */
	char text[PRINTK_OUT_MAX];
};

static void print_printk(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct printk_rec *p = r;
	tputs(o, p->text);
	/* Linux ends every event with a newline of its own, so a text ending
	 * with one gives an empty line after it; the line printer only adds a
	 * newline where the text has none, so add that second one here. */
	size_t n = strlen(p->text);
	if (n && p->text[n - 1] == '\n')
		tputs(o, "\n");
}

static const struct trace_field printk_fields[] = {
	{ "__data_loc char[] bpf_string", 8, 4, false },
};

struct trace_event bpf_trace_printk_event = {
	.system = "bpf_trace", .name = "bpf_trace_printk", .fields = printk_fields,
	.nfields = ARRAY_SIZE(printk_fields), .print_fmt = "\"%s\", __get_str(bpf_string)",
	.print = print_printk, .syscall_nr = -1,
};

void bpf_trace_printk_enable(void)
{
	if (!bpf_trace_printk_event.enabled)
		trace_event_set_enabled(&bpf_trace_printk_event, true);
}

/* --- the format --------------------------------------------------------------------------------- */

static bool printable(char c)
{
	return (c >= ' ' && c <= '~') || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A %s argument as text, into buf: probe-read from the user or kernel half. */
static const char *string_arg(uint64_t ptr, char *buf)
{
	long n = ptr < USER_TOP ? strncpy_from_user(buf, (const char __user *)ptr, PRINTK_STR_MAX)
				: strncpy_from_kernel_nofault(buf, (const void *)ptr, PRINTK_STR_MAX);
	if (n == -ENAMETOOLONG)
		buf[PRINTK_STR_MAX - 1] = 0;
	else if (n < 0)
		return "(efault)";
	return buf;
}

/*
 * Check fmt (Linux's bpf_bprintf_prepare) and make the arguments what each
 * conversion reads: 32-bit ones cut to 32 bits, strings copied into strs.
 * The number of conversions, or -EINVAL.
 */
static int prepare(char *fmt, uint64_t *args, char strs[PRINTK_MAX_ARGS][PRINTK_STR_MAX])
{
	int n = 0;
	for (char *f = fmt; *f; f++) {
		if (!printable(*f))
			return -EINVAL;
		if (*f != '%')
			continue;
		if (f[1] == '%') {
			f++;
			continue;
		}
		if (n == PRINTK_MAX_ARGS)
			return -EINVAL;
		f++;
		while (*f == '0' || *f == '+' || *f == '-' || *f == ' ')
			f++;
		while (*f >= '0' && *f <= '9')
			f++;
		if (*f == 'p') {
			if (f[1] == 'x' || f[1] == 'K')
				f[1] = 'x', f[0] = 'l'; /* the raw address, as hex */
			else if ((f[1] >= 'a' && f[1] <= 'z') || (f[1] >= 'A' && f[1] <= 'Z') || (f[1] >= '0' && f[1] <= '9'))
				return -EINVAL;
			n++;
			continue;
		}
		if (*f == 's') {
			args[n] = (uint64_t)string_arg(args[n], strs[n]);
			n++;
			continue;
		}
		bool wide = *f == 'l';
		f += *f == 'l';
		f += *f == 'l';
		if (*f == 'c' && !wide) {
			n++;
			continue;
		}
		if (*f != 'd' && *f != 'i' && *f != 'u' && *f != 'x' && *f != 'X')
			return -EINVAL;
		if (!wide) /* %d reads an int: the argument's low 32 bits */
			args[n] = *f == 'd' || *f == 'i' ? (uint64_t)(int64_t)(int32_t)args[n] : (uint32_t)args[n];
		n++;
	}
	return n;
}

static void emit(void *ctx, const char *s, size_t n)
{
	struct tbuf *t = ctx;
	while (n-- && t->len < t->cap)
		t->buf[t->len++] = *s++;
}

/* vformat with the arguments as 64-bit words: each conversion reads one
 * 8-byte slot of the x86_64 calling convention, which prepare() filled
 * with what that conversion expects. */
static size_t format_words(struct tbuf *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(emit, t, fmt, ap);
	va_end(ap);
	return t->len;
}

/* The text into rec; its length. */
static size_t format(struct printk_rec *rec, const char *fmt, const uint64_t *a)
{
	struct tbuf t = { rec->text, 0, sizeof(rec->text) - 1 };
	size_t len = format_words(&t, fmt, a[0], a[1], a[2]);
	rec->text[len] = 0;
	return len;
}

BPF_HELPER(bpf_trace_printk_fn)
{
	const char *ufmt = (const char *)r1;
	uint32_t size = (uint32_t)r2;
	char fmt[FMT_MAX];
	if (size == 0 || size > sizeof(fmt) || !memchr(ufmt, 0, size))
		return (uint64_t)-EINVAL;
	memcpy(fmt, ufmt, size);
	uint64_t args[PRINTK_MAX_ARGS] = { r3, r4, r5 };
	static char strs[PRINTK_MAX_ARGS][PRINTK_STR_MAX];
	static struct printk_rec rec; /* one CPU, and programs do not nest */
	if (prepare(fmt, args, strs) < 0)
		return (uint64_t)-EINVAL;
	size_t len = format(&rec, fmt, args);
	rec.data_loc = (uint32_t)(len + 1) << 16 | offsetof(struct printk_rec, text);
	if (bpf_trace_printk_event.active)
		trace_event_commit(&bpf_trace_printk_event, &rec, offsetof(struct printk_rec, text) + len + 1);
	return len;
}
