/* The kernel log's records (course section: the kernel's own tools). */
#ifndef KERNEL_LOG_LOG_BUFFER_H
#define KERNEL_LOG_LOG_BUFFER_H

#include "kernel/types.h"

#define LOG_RECORDS 512		/* the ring keeps the last 512 lines */
#define LOG_TEXT_MAX 200	/* a longer line is cut */

struct wait_queue;
/* Woken when a record is added. */
extern struct wait_queue log_readers;

/* printk's text, as it comes: each '\n' ends a record. */
void log_append_text(const char *s, size_t n);
/* A whole record (a write to /dev/kmsg). */
void log_add_record(unsigned prio, const char *text, size_t n);

/* Sequence numbers: [first, next) are in the ring; clear is where the last
 * SYSLOG_ACTION_CLEAR left off (never below first). */
uint64_t log_first_seq(void);
uint64_t log_next_seq(void);
uint64_t log_clear_seq(void);
void log_set_clear_seq(uint64_t seq);

/* Record seq formatted into buf (at most size bytes, no NUL); returns the
 * length, 0 if the record is gone, or more than size if it does not fit
 * (nothing is then written). */
size_t log_format_syslog(uint64_t seq, char *buf, size_t size); /* <4>[    1.234567] text\n */
size_t log_format_kmsg(uint64_t seq, char *buf, size_t size);   /* 4,17,1234567,-;text\n */

/* Registers /dev/kmsg (kmsg.c). */
void kmsg_init(void);

/* The newest lines that fit, as plain text (/proc/kmsg). */
size_t log_read_text(char *buf, size_t size);

#endif
