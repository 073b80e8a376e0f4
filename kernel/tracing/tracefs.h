/* tracefs: the tracing control files (course section: kernel debugging techniques). */
#ifndef KERNEL_TRACING_TRACEFS_H
#define KERNEL_TRACING_TRACEFS_H

#include "kernel/types.h"

struct tbuf;
struct inode;
struct trace_event;

#define TRACEFS_PATH "/sys/kernel/tracing"

/* A control file: show writes its text when it is opened for reading;
 * store takes what a program writes (a NUL-terminated copy) and answers 0
 * or -errno; reset runs when the file is opened for writing without
 * O_APPEND (the shell's `>`). Any of them may be NULL. */
struct tracefs_file {
	void (*show)(struct tbuf *out, void *arg);
	int (*store)(const char *text, void *arg);
	void (*reset)(void *arg);
};

void tracefs_init(void);
int tracefs_add(struct inode *dir, const char *name, unsigned mode, const struct tracefs_file *ops, void *arg);
struct inode *tracefs_mkdir(struct inode *dir, const char *name);
/* events/ and set_event (kernel/tracing/tracefs_events.c). */
void tracefs_events_init(struct inode *root);
/* events/SYSTEM/NAME/{enable,format,id} for an event made at run time (a kprobe's). */
void tracefs_event_dir_add(struct trace_event *ev);
/* kprobe_events (kernel/tracing/kprobe_events.c). */
void kprobe_events_init(struct inode *root);

bool tracing_is_on(void);
extern struct trace_event trace_marker_event;
/* The line `trace` and trace_pipe print for one record. */
void trace_print_line(struct tbuf *out, uint64_t ts_ns, const void *rec, size_t len);

#endif
