/*
 * C library: changing the environment (course section: processes).
 *
 * environ starts out pointing at the array the kernel placed on the stack
 * (libc/start.c). That array cannot grow, so the first change copies it
 * into the heap; from then on we own it and can realloc it. A shell's
 * `export` uses setenv; execv and execvp pass environ on to the new program.
 *
 * The old strings are never freed: a program may still hold a pointer
 * from getenv, and the initial ones are not from malloc anyway.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **owned;	/* environ, once it is our heap copy */

static size_t count(void)
{
	size_t n = 0;

	while (environ && environ[n])
		n++;
	return n;
}

/* Index of NAME in environ (compared up to len), or -1. */
static long find(const char *name, size_t len)
{
	for (size_t i = 0; environ && environ[i]; i++)
		if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
			return (long)i;
	return -1;
}

/* Adds "NAME=value" at the end, making environ our own array first. */
static int append(char *string)
{
	size_t n = count();
	char **e;

	if (environ == owned) {
		e = realloc(owned, (n + 2) * sizeof(*e));
	} else {
		e = malloc((n + 2) * sizeof(*e));
		if (e)
			memcpy(e, environ, n * sizeof(*e));
	}
	if (e == NULL)
		return -1;
	e[n] = string;
	e[n + 1] = NULL;
	environ = owned = e;
	return 0;
}

static int bad_name(const char *name)
{
	if (name == NULL || *name == '\0' || strchr(name, '=')) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

/* putenv keeps the caller's string itself, so changing it later changes
 * the environment. */
int putenv(char *string)
{
	char *eq = strchr(string, '=');
	long i;

	if (eq == NULL)
		return unsetenv(string);
	i = find(string, (size_t)(eq - string));
	if (i >= 0) {
		environ[i] = string;
		return 0;
	}
	return append(string);
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t nlen, vlen;
	char *s;

	if (bad_name(name))
		return -1;
	nlen = strlen(name);
	if (!overwrite && find(name, nlen) >= 0)
		return 0;
	vlen = strlen(value);
	s = malloc(nlen + vlen + 2);
	if (s == NULL)
		return -1;
	memcpy(s, name, nlen);
	s[nlen] = '=';
	memcpy(s + nlen + 1, value, vlen + 1);
	return putenv(s);
}

/* Removes every entry for name, by moving the later ones down. This writes
 * to environ in place, which is fine even for the kernel's array. */
int unsetenv(const char *name)
{
	long i;

	if (bad_name(name))
		return -1;
	while ((i = find(name, strlen(name))) >= 0)
		for (char **e = environ + i; *e; e++)
			e[0] = e[1];
	return 0;
}
