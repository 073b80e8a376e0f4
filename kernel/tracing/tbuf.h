/* A growing text buffer for tracefs files (course section: kernel debugging techniques). */
#ifndef KERNEL_TRACING_TBUF_H
#define KERNEL_TRACING_TBUF_H

#include "kernel/types.h"

/* Text with a fixed capacity: what does not fit is cut, never overrun. */
struct tbuf {
	char *buf;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) void tprintf(struct tbuf *t, const char *fmt, ...);
void tputs(struct tbuf *t, const char *s);

#endif
