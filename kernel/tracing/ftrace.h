/* The function tracer (course section: kernel debugging techniques). */
#ifndef KERNEL_TRACING_FTRACE_H
#define KERNEL_TRACING_FTRACE_H

#include "kernel/types.h"

struct inode;
struct tbuf;

/* available_filter_functions, set_ftrace_filter, set_ftrace_notrace in root. */
void ftrace_init(struct inode *root);
/* "function" or "nop": current_tracer's text and the trace header's. */
const char *ftrace_tracer_name(void);
/* available_tracers. */
void ftrace_show_tracers(struct tbuf *out);
/* current_tracer's store: 0, or -EINVAL for an unknown tracer. */
int ftrace_set_tracer(const char *name);

#endif
