/*
 * C library: numbers from strings, the environment, sorting (course section:
 * the C library on raw syscalls).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- String to integer --- */

/* The value of digit c in any base up to 36, or 36 if c is not a digit. */
static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (islower(c))
		return c - 'a' + 10;
	if (isupper(c))
		return c - 'A' + 10;
	return 36;
}

/*
 * The common part of the strto* family. Reads optional white space, a sign,
 * a base prefix ("0x" for base 16, "0" for base 8, either detected when base
 * is 0) and digits. Returns the magnitude; sets *neg for a '-', and
 * *overflow if the magnitude does not fit in an unsigned long long. *end
 * gets the first character not used, or s itself if there were no digits.
 */
static unsigned long long scan(const char *s, char **end, int base, int *neg,
			       int *overflow)
{
	const char *p = s;
	unsigned long long v = 0;
	int any = 0;

	*neg = *overflow = 0;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	/* "0x" counts as a prefix only if a hex digit follows: in "0xz" the
	 * number is just the 0. */
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
		any = 1;
		/* v * base + d > ULLONG_MAX, tested without overflowing. */
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			*overflow = 1;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	return *overflow ? ULLONG_MAX : v;
}

/* As C requires, "-1" gives ULLONG_MAX: the negation in unsigned arithmetic. */
unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, overflow;
	unsigned long long v = scan(s, end, base, &neg, &overflow);

	if (overflow) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? 0 - v : v;
}

/* A result out of range is clamped to LLONG_MAX or LLONG_MIN, with ERANGE.
 * The magnitude of LLONG_MIN is one more than LLONG_MAX. */
long long strtoll(const char *s, char **end, int base)
{
	int neg, overflow;
	unsigned long long v = scan(s, end, base, &neg, &overflow);
	unsigned long long limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;

	if (overflow || v > limit) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}

/* On x86_64 long and long long are both 64 bits: the same functions. */
long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}

int abs(int n)
{
	return n < 0 ? -n : n;
}

long labs(long n)
{
	return n < 0 ? -n : n;
}

long long llabs(long long n)
{
	return n < 0 ? -n : n;
}

/* --- The environment --- */

/* environ holds "NAME=value" strings: find the one whose name matches
 * exactly (so "PATH" does not match "PATHEXT=...") and return its value. */
char *getenv(const char *name)
{
	size_t len = strlen(name);

	if (environ == NULL)
		return NULL;
	for (char **e = environ; *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* --- Sorting --- */

/* Exchanges two elements of size bytes, a byte at a time: qsort does not know
 * their type. */
static void swap(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/*
 * Shell sort: an insertion sort over elements gap apart, with the gap
 * shrinking to 1. The early passes move far-out-of-place elements a long way
 * in few steps, so the final insertion sort (gap 1) has little left to do.
 * About O(n^1.5) with this gap sequence (1, 4, 13, 40, ...), no recursion,
 * no extra memory. Like the standard qsort, it is not stable.
 */
void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *))
{
	char *a = base;
	size_t gap = 1;

	while (gap < nmemb / 3)
		gap = gap * 3 + 1;
	for (; gap > 0; gap /= 3) {
		for (size_t i = gap; i < nmemb; i++) {
			/* Sink element i down its chain (i - gap, i - 2 gap, ...). */
			for (size_t j = i; j >= gap; j -= gap) {
				char *x = a + (j - gap) * size, *y = a + j * size;

				if (compar(x, y) <= 0)
					break;
				swap(x, y, size);
			}
		}
	}
}
