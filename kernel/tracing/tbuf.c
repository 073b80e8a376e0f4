/*
 * Text buffers for tracefs (course section: kernel debugging techniques).
 *
 * Every tracefs file that is read is text made on demand: a format file, a
 * list of events, a trace line. They are all printed into a struct tbuf,
 * whose capacity bounds what one line or file may take.
 */
#include "kernel/tracing/tbuf.h"
#include "libc/format.h"
#include "libc/include/string.h"

static void emit(void *ctx, const char *s, size_t n)
{
	struct tbuf *t = ctx;
	while (n-- && t->len < t->cap)
		t->buf[t->len++] = *s++;
}

void tprintf(struct tbuf *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(emit, t, fmt, ap);
	va_end(ap);
}

void tputs(struct tbuf *t, const char *s)
{
	emit(t, s, strlen(s));
}
