/*
 * C library: memory, process exit and conversions (course section: the C
 * library on raw syscalls).
 */
#ifndef LIBC_STDLIB_H
#define LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* The heap (libc/malloc.c) */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t size);

/* Ending the process (libc/exit.c) */
void exit(int status) __attribute__((noreturn));
void _Exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
int atexit(void (*fn)(void));

/* Numbers from strings (libc/stdlib.c) */
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int abs(int n);
long labs(long n);
long long llabs(long long n);

/* The environment (libc/stdlib.c, libc/env.c). setenv copies name and
 * value; with overwrite 0 it keeps an existing value. */
char *getenv(const char *name);
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
int putenv(char *string);

/* Runs command with /bin/sh -c and returns its wait status (libc/process.c) */
int system(const char *command);

/* Pseudo-random numbers, 0..RAND_MAX; the same seed gives the same sequence */
#define RAND_MAX 2147483647
int rand(void);
void srand(unsigned int seed);

void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *));

#endif
