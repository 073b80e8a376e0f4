/* The trace ring buffer (course section: kernel debugging techniques). */
#ifndef KERNEL_TRACING_RING_H
#define KERNEL_TRACING_RING_H

#include "kernel/events/wait.h"
#include "kernel/types.h"

#define RING_DEFAULT_KB 64
#define RING_MAX_KB 1024

/* Where a record lies: its time stamp, its bytes (the event's layout). */
struct ring_record {
	uint64_t ts_ns;
	const void *data;
	size_t len;
};

/* Reserve room for a record of len bytes, overwriting the oldest if the
 * ring is full; write it with ring_commit. NULL if it can never fit. */
void *ring_reserve(size_t len, uint64_t ts_ns);
void ring_commit(void);
/* The record at logical position *pos, or the oldest if *pos fell behind;
 * *pos moves past it. False when no record is left. */
bool ring_peek(uint64_t *pos, struct ring_record *rec);
/* trace_pipe: the oldest record's position, and consuming up to pos. */
uint64_t ring_tail(void);
void ring_consume_to(uint64_t pos);
bool ring_empty(void);
void ring_reset(void);
int ring_resize_kb(size_t kb);
size_t ring_size_kb(void);
/* For the header of `trace`: in the buffer, and written since the reset. */
void ring_counts(uint64_t *in_buffer, uint64_t *written);
/* Readers of trace_pipe sleep here. */
struct wait_queue *ring_readers(void);
void ring_init(void);

#endif
