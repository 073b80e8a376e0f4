/*
 * C library: copying strings into the heap (course section: the C library
 * on raw syscalls).
 *
 * Kept apart from libc/string.c because they call malloc, which the kernel
 * (which also compiles string.c) does not have.
 */
#include <stdlib.h>
#include <string.h>

char *strdup(const char *s)
{
	return strndup(s, strlen(s));
}

/* Copies at most n characters, and always adds a NUL. */
char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return NULL;	/* errno is ENOMEM */
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}
