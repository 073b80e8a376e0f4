/*
 * C library: buffered standard I/O (course section: the C library on raw
 * syscalls).
 *
 * A FILE is a file descriptor plus a buffer, so that printing a line costs
 * one write(2) rather than one per character. stdout is line-buffered (the
 * buffer goes out at each '\n', when full, at fflush and at exit), stderr is
 * unbuffered (each call writes at once, so errors show even if the program
 * crashes right after), stdin reads a buffer's worth at a time.
 */
#ifndef LIBC_STDIO_H
#define LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define EOF (-1)
#define BUFSIZ 4096

/* Buffering modes, for setvbuf */
#define _IOFBF 0	/* fully buffered: write when the buffer is full */
#define _IOLBF 1	/* line buffered: also write at each '\n' */
#define _IONBF 2	/* unbuffered: write at once */

/* The contents are private to libc/stdio.c. */
typedef struct stdio_file FILE;

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sprintf(char *s, const char *fmt, ...) PRINTF_LIKE(2, 3);
int snprintf(char *s, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vdprintf(int fd, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vsprintf(char *s, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vsnprintf(char *s, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *p, size_t size, size_t nmemb, FILE *f);
int fflush(FILE *f);		/* fflush(NULL) flushes every stream */

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *s, int size, FILE *f);

/* Streams on files (libc/stdio.c): mode "r", "w", "a", with "+" for both
 * directions and "e" for close-on-exec. fclose flushes and frees. */
FILE *fopen(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);

int fileno(FILE *f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);	/* buf is ignored */

/* Prints "s: <strerror(errno)>" on stderr. */
void perror(const char *s);

/* Reads a whole line, however long, into *line (allocated or grown with
 * realloc; *n is its size). Returns its length with the newline, or -1 at
 * end of file. The caller frees *line. */
ssize_t getline(char **line, size_t *n, FILE *f);
ssize_t getdelim(char **line, size_t *n, int delim, FILE *f);

/* Files by name (C puts these in stdio.h, not unistd.h) */
int rename(const char *oldpath, const char *newpath);
int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
int remove(const char *path);		/* unlink, or rmdir for a directory */

#endif
