/* Shared pieces of the kernel's bug reports (course section: kernel debugging techniques). */
#ifndef KERNEL_DEBUG_DIAG_H
#define KERNEL_DEBUG_DIAG_H

#include "kernel/types.h"

/* The line that opens and closes a sanitizer report, as Linux draws it. */
#define DIAG_RULE "==================================================================\n"

/* snprintf into a fixed buffer (always terminated). */
__attribute__((format(printf, 3, 4))) void diag_format(char *buf, size_t size, const char *fmt, ...);
void diag_vformat(char *buf, size_t size, const char *fmt, va_list ap);
/* "Call trace:" of the caller, by its frame pointers, leaving out the
 * caller and `skip` frames above it. */
void diag_dump_stack(int skip);

#ifdef CONFIG_UBSAN
#define UBSAN_ENABLED 1
#else
#define UBSAN_ENABLED 0
#endif

/* Reports made since boot, for tests and the post-suite check. */
extern unsigned long ubsan_report_count;

#endif
