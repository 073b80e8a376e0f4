/*
 * C library: formatted output, the printf engine (course section: the C library
 * on raw syscalls).
 *
 * Shared by libc (printf, snprintf, ...) and the kernel (printk): vformat()
 * knows how to turn "%d" into digits but not where the characters go. Each
 * caller passes an emit function that receives the output in pieces, e.g.
 * copies them into a buffer, writes them to a file or to the serial port.
 * Only freestanding headers here, because the kernel includes this file too.
 */
#ifndef LIBC_FORMAT_H
#define LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives n characters (not NUL-terminated) of output. */
typedef void (*format_emit_fn)(void *ctx, const char *s, size_t n);

/* Formats fmt with the arguments in ap, passing the text to emit(ctx, ...).
 * Returns the number of characters produced. Supports %d %i %u %x %X %o %p
 * %s %c %%, the length modifiers hh h l ll z t j, width and precision
 * (also as *), and the flags - 0 + space #. No floating point. */
int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap);

#endif
