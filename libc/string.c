/*
 * C library: strings and memory blocks (course section: the C library on raw
 * syscalls).
 *
 * Plain byte-at-a-time loops: slower than the word-at-a-time or SIMD versions
 * of a production libc, but each one can be checked by reading it. The two
 * exceptions are memcpy and memset, which the kernel runs on every page it
 * zeroes or copies: they use the CPU's own block instructions (below). Shared
 * with the kernel, so: no errno, no malloc, and the header is included by a
 * path relative to this file (the kernel has no -Ilibc/include).
 *
 * Strings are compared as unsigned char, as the C standard requires: "\xff"
 * sorts after "a" even where char is signed, as it is on x86_64.
 */
#include "include/string.h"

/*
 * The compiler recognises a loop that copies or clears bytes and may replace
 * it with a call to memcpy or memset, which is exactly what a program wants,
 * except inside memcpy and memset themselves: there, it would turn them into
 * endless recursion. This attribute switches that transformation off.
 */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/*
 * `rep movsq` copies rcx 8-byte words from [rsi] to [rdi] in one
 * instruction, `rep movsb` the remaining bytes; `rep stosq`/`rep stosb`
 * store rax likewise. Current CPUs run them at full memory speed (Intel
 * calls it "enhanced rep movsb"), and a page is 512 iterations, not 4096.
 */
#ifdef CONFIG_KASAN
/* In a KASAN kernel the rep instructions escape the compiler's checks:
 * check both ranges first (kernel/debug/kasan.c). */
void __asan_loadN_noabort(unsigned long addr, size_t size);
void __asan_storeN_noabort(unsigned long addr, size_t size);
#define CHECK_READ(p, n) __asan_loadN_noabort((unsigned long)(p), (n))
#define CHECK_WRITE(p, n) __asan_storeN_noabort((unsigned long)(p), (n))
#else
#define CHECK_READ(p, n) ((void)0)
#define CHECK_WRITE(p, n) ((void)0)
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	CHECK_READ(src, n);
	CHECK_WRITE(dst, n);
	void *d = dst;
	size_t words = n / 8, tail = n % 8;

	__asm__ volatile("rep movsq\n\t"
			 "mov %[tail], %%rcx\n\t"
			 "rep movsb"
			 : "+D"(d), "+S"(src), "+c"(words)
			 : [tail] "r"(tail)
			 : "memory");
	return dst;
}

/* The blocks may overlap: if dst is above src, a forward copy would overwrite
 * bytes of src before reading them, so copy from the end instead. */
NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else if (d > s) {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	CHECK_WRITE(s, n);
	void *p = s;
	size_t words = n / 8, tail = n % 8;
	unsigned long pattern = 0x0101010101010101ul * (unsigned char)c; /* c in all 8 bytes */

	__asm__ volatile("rep stosq\n\t"
			 "mov %[tail], %%rcx\n\t"
			 "rep stosb"
			 : "+D"(p), "+c"(words)
			 : "a"(pattern), [tail] "r"(tail)
			 : "memory");
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/* Like strlen, but never looks at more than maxlen bytes. */
size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y)
		x++, y++;
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (*x == '\0')
			break;
	}
	return 0;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* Beware: strncpy does not NUL-terminate dst when src has n or more
 * characters, and fills the rest of dst with NULs when it is shorter. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

/* Appends at most n characters of src, and always a NUL after them. */
char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n-- && *src)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

/* The terminating NUL counts as part of the string: strchr(s, 0) finds it. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

/* The simple quadratic search: try every starting position. */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n == 0 ? (char *)haystack : NULL;
}

/* Length of the prefix of s made only of characters in accept. */
size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

/* Length of the prefix of s made only of characters not in reject. */
size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

/*
 * Splits a string into tokens separated by characters of delim, writing a
 * NUL over the separator after each token. The first call passes the string,
 * the following ones pass NULL and continue from *saveptr.
 */
char *strtok_r(char *restrict s, const char *restrict delim, char **restrict saveptr)
{
	char *token;

	if (s == NULL)
		s = *saveptr;
	if (s == NULL)			/* continuing without a first call */
		return NULL;
	s += strspn(s, delim);		/* skip leading separators */
	if (*s == '\0') {
		*saveptr = s;
		return NULL;
	}
	token = s;
	s += strcspn(s, delim);		/* find the end of the token */
	if (*s != '\0')
		*s++ = '\0';
	*saveptr = s;
	return token;
}

/* The same, with the position kept in a static variable: simpler to call,
 * but two loops cannot split two strings at once. */
char *strtok(char *restrict s, const char *restrict delim)
{
	static char *saved;

	return strtok_r(s, delim, &saved);
}

/* Like strtok_r, but empty fields count ("a,,b" gives "a", "", "b") and the
 * position is kept in *stringp, which becomes NULL after the last field. */
char *strsep(char **stringp, const char *delim)
{
	char *start = *stringp, *end;

	if (start == NULL)
		return NULL;
	end = start + strcspn(start, delim);
	if (*end) {
		*end = '\0';
		*stringp = end + 1;
	} else {
		*stringp = NULL;
	}
	return start;
}
