/*
 * C library: buffered standard I/O (course section: the C library on raw
 * syscalls).
 *
 * Each FILE owns one buffer. For output, characters collect in it and go to
 * the kernel with one write(2) when it is full, at a '\n' if the stream is
 * line-buffered, at fflush, and at exit. For input, read(2) fills it and
 * fgetc hands the bytes out one at a time. A FILE is used in one direction
 * at a time: reading first writes out anything still waiting.
 *
 * All the printf functions share libc/format.c; they differ only in the
 * emit function that receives its output (a FILE, a string, a descriptor).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "internal.h"

struct stdio_file {
	int fd;
	int mode;		/* _IOFBF, _IOLBF or _IONBF */
	int eof;		/* a read returned 0 */
	int error;		/* a read or write failed */
	size_t wlen;		/* output: bytes waiting in buf */
	size_t rpos, rlen;	/* input: next byte to hand out, bytes in buf */
	char *buf;		/* BUFSIZ bytes */
	struct stdio_file *next;	/* fopen'ed files, for exit() to flush */
};

/* The buffers are separate arrays so that they land in .bss (zero-filled at
 * load time) and do not take up 12 KiB of .data in every program file. */
static char bufs[3][BUFSIZ];

static FILE files[3] = {
	{ .fd = STDIN_FILENO, .mode = _IOLBF, .buf = bufs[0] },
	{ .fd = STDOUT_FILENO, .mode = _IOLBF, .buf = bufs[1] },
	{ .fd = STDERR_FILENO, .mode = _IONBF, .buf = bufs[2] },
};

FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

/* write(2) may write less than asked (a pipe that is nearly full, a
 * signal): keep going until everything is written or an error occurs. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t done = write(fd, p, n);
		if (done < 0)
			return -1;
		p += done;
		n -= (size_t)done;
	}
	return 0;
}

int fflush(FILE *f)
{
	if (f == NULL) {
		__stdio_flush_all();
		return 0;
	}
	if (f->wlen == 0)
		return 0;
	if (write_all(f->fd, f->buf, f->wlen) < 0) {
		f->error = 1;
		f->wlen = 0;	/* drop the data rather than retry forever */
		return EOF;
	}
	f->wlen = 0;
	return 0;
}

/* The streams fopen made, most recent first. */
static FILE *opened;

void __stdio_flush_all(void)
{
	for (int i = 0; i < 3; i++)
		fflush(&files[i]);
	for (FILE *f = opened; f; f = f->next)
		fflush(f);
}

/* The heart of output: appends n bytes to f's buffer, writing it out as the
 * stream's mode requires. Returns 0, or EOF if a write failed. */
static int put_bytes(FILE *f, const char *s, size_t n)
{
	const char *start = s, *end = s + n;

	if (f->mode == _IONBF) {
		if (fflush(f) < 0 || write_all(f->fd, s, n) < 0) {
			f->error = 1;
			return EOF;
		}
		return 0;
	}
	while (s < end) {
		size_t room = BUFSIZ - f->wlen;
		size_t chunk = (size_t)(end - s) < room ? (size_t)(end - s) : room;

		memcpy(f->buf + f->wlen, s, chunk);
		f->wlen += chunk;
		s += chunk;
		if (f->wlen == BUFSIZ && fflush(f) < 0)
			return EOF;
	}
	if (f->mode == _IOLBF && memchr(start, '\n', n))
		return fflush(f);
	return 0;
}

/* --- Formatted output --- */

static void emit_file(void *ctx, const char *s, size_t n)
{
	put_bytes(ctx, s, n);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	int mode = f->mode, old_error = f->error, failed, n;

	/* An unbuffered stream still gets each message out in one write(2),
	 * not one per piece: buffer fully while formatting, then flush. */
	if (mode == _IONBF)
		f->mode = _IOFBF;
	f->error = 0;		/* to see whether this call fails */
	n = vformat(emit_file, f, fmt, ap);
	if (mode == _IONBF) {
		f->mode = mode;
		fflush(f);
	}
	failed = f->error;
	f->error |= old_error;
	return failed ? -1 : n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

/* dprintf writes to a bare descriptor: use a temporary FILE on the stack,
 * fully buffered, and flush it at the end. */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[BUFSIZ];
	FILE f = { .fd = fd, .mode = _IOFBF, .buf = buf };
	int n = vformat(emit_file, &f, fmt, ap);

	fflush(&f);
	return f.error ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* snprintf's destination: the text is cut to size - 1 characters and always
 * NUL-terminated, but the count returned is that of the whole text, so a
 * caller can see it was cut and retry with a bigger buffer. */
struct string_out {
	char *s;
	size_t size;
	size_t len;
};

static void emit_string(void *ctx, const char *s, size_t n)
{
	struct string_out *o = ctx;

	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->s[o->len] = s[i];
}

int vsnprintf(char *s, size_t size, const char *fmt, va_list ap)
{
	struct string_out o = { s, size, 0 };
	int n = vformat(emit_string, &o, fmt, ap);

	if (size > 0)
		s[o.len < size ? o.len : size - 1] = '\0';
	return n;
}

/* sprintf trusts the caller that s is big enough: an unlimited snprintf. */
int vsprintf(char *s, const char *fmt, va_list ap)
{
	return vsnprintf(s, SIZE_MAX, fmt, ap);
}

int snprintf(char *s, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, size, fmt, ap);
	va_end(ap);
	return n;
}

int sprintf(char *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}

/* --- Unformatted output --- */

size_t fwrite(const void *p, size_t size, size_t nmemb, FILE *f)
{
	if (size == 0 || nmemb == 0)
		return 0;
	/* Simplification: on an error we report that nothing was written. */
	return put_bytes(f, p, size * nmemb) == 0 ? nmemb : 0;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	return put_bytes(f, &ch, 1) == 0 ? (unsigned char)c : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	return put_bytes(f, s, strlen(s));
}

/* puts adds the newline that fputs does not. */
int puts(const char *s)
{
	if (put_bytes(stdout, s, strlen(s)) < 0)
		return EOF;
	return fputc('\n', stdout) == EOF ? EOF : 0;
}

/* --- Input --- */

/* Refills f's buffer with one read(2). Returns the number of bytes read,
 * 0 at end of file, -1 on error. */
static ssize_t refill(FILE *f)
{
	ssize_t n;

	fflush(f);		/* the buffer changes direction */
	/* Show a prompt before waiting for the answer: "Name? " has no '\n',
	 * so a line-buffered stdout would otherwise still be holding it. */
	if (f == stdin)
		fflush(stdout);
	n = read(f->fd, f->buf, BUFSIZ);
	if (n == 0)
		f->eof = 1;
	else if (n < 0)
		f->error = 1;
	f->rpos = 0;
	f->rlen = n > 0 ? (size_t)n : 0;
	return n;
}

int fgetc(FILE *f)
{
	if (f->rpos == f->rlen && refill(f) <= 0)
		return EOF;
	return (unsigned char)f->buf[f->rpos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

/* Reads a line, newline included, into s: at most size - 1 characters, then
 * a NUL. Returns NULL if nothing could be read (end of file or error). */
char *fgets(char *s, int size, FILE *f)
{
	int n = 0, c = 0;

	if (size <= 0)
		return NULL;
	while (n < size - 1 && c != '\n') {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[n++] = (char)c;
	}
	if (n == 0 && size > 1)
		return NULL;
	s[n] = '\0';
	return s;
}

/* --- Opening and closing --- */

/* fopen's mode string as open(2) flags: "r" read, "w" write (create,
 * empty), "a" append (create); "+" adds the other direction; "e" is
 * O_CLOEXEC. "b" means nothing on Unix. Returns -1 for a bad mode. */
static int mode_flags(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	if (strchr(mode, '+'))
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	if (strchr(mode, 'e'))
		flags |= O_CLOEXEC;
	return flags;
}

/* A FILE and its buffer come from one malloc. Files are fully buffered:
 * nobody is waiting to read each line as it is written. */
FILE *fdopen(int fd, const char *mode)
{
	FILE *f;

	if (mode_flags(mode) < 0) {
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f) + BUFSIZ);
	if (f == NULL)
		return NULL;
	f->fd = fd;
	f->mode = _IOFBF;
	f->buf = (char *)(f + 1);
	f->next = opened;
	opened = f;
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int flags = mode_flags(mode), fd;
	FILE *f;

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (f == NULL)
		close(fd);
	return f;
}

/* Writes out what is buffered, closes the descriptor, frees the FILE. */
int fclose(FILE *f)
{
	int r = fflush(f);

	if (close(f->fd) < 0)
		r = EOF;
	if (f >= files && f < files + 3)
		return r;		/* stdin, stdout, stderr are not ours to free */
	for (FILE **p = &opened; *p; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			break;
		}
	}
	free(f);
	return r;
}

/* --- The stream's state --- */

int fileno(FILE *f)
{
	return f->fd;
}

int feof(FILE *f)
{
	return f->eof;
}

int ferror(FILE *f)
{
	return f->error;
}

void clearerr(FILE *f)
{
	f->eof = 0;
	f->error = 0;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	(void)buf;		/* each FILE always uses its own buffer */
	(void)size;
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return -1;
	}
	fflush(f);
	f->mode = mode;
	return 0;
}

void perror(const char *s)
{
	const char *msg = strerror(errno);	/* before anything changes errno */

	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, msg);
	else
		fprintf(stderr, "%s\n", msg);
}
