/*
 * Host unit test of the printf engine (course section: testing on the host).
 *
 * libc/format.c does not depend on the kernel or on sysgate's libc, so it can
 * be compiled into an ordinary Linux program and checked against the host's
 * own snprintf (glibc), case by case:
 *
 *   gcc -O1 -g -I. tests/unit/test_format.c libc/format.c -o build/unit/test_format
 *
 * UNIT_SOURCES: libc/format.c
 *
 * Prints "PASS format: <what>" or "FAIL format: <what>: got "..." want "..."" for
 * each case; the exit status is 1 if any case failed, else 0.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libc/format.h"

/* Some cases are written on purpose in ways gcc warns about ("%-05d", where
 * '-' overrides '0'; %s of NULL; an empty format): the point is to check
 * that vformat agrees with glibc even there. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* An emit function for vformat that fills a buffer, like snprintf does. */
struct buf {
	char *s;
	size_t size;
	size_t len;
};

static void emit_buf(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;

	for (size_t i = 0; i < n; i++, b->len++)
		if (b->len + 1 < b->size)
			b->s[b->len] = s[i];
}

static int sg_snprintf(char *s, size_t size, const char *fmt, ...)
{
	struct buf b = { s, size, 0 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(emit_buf, &b, fmt, ap);
	va_end(ap);
	s[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

static int failures;

static void report(const char *what, const char *got, int got_n,
		   const char *want, int want_n)
{
	if (strcmp(got, want) == 0 && got_n == want_n) {
		printf("PASS format: %s\n", what);
	} else {
		printf("FAIL format: %s: got \"%s\" (%d) want \"%s\" (%d)\n",
		       what, got, got_n, want, want_n);
		failures++;
	}
}

/* Formats the same thing with vformat and with the host's snprintf. The
 * description is the source text of the call, e.g. "%5d", 42. */
#define CHECK(...)                                                         \
	do {                                                               \
		static char got[2048], want[2048];                         \
		int got_n = sg_snprintf(got, sizeof(got), __VA_ARGS__);    \
		int want_n = snprintf(want, sizeof(want), __VA_ARGS__);    \
		report(#__VA_ARGS__, got, got_n, want, want_n);            \
	} while (0)

static void test_integers(void)
{
	CHECK("%d", 0);
	CHECK("%d", 42);
	CHECK("%d", -42);
	CHECK("%i", 12345);
	CHECK("%d", INT_MAX);
	CHECK("%d", INT_MIN);
	CHECK("%u", 0u);
	CHECK("%u", UINT_MAX);
	CHECK("%x", 0xdeadbeefu);
	CHECK("%X", 0xdeadbeefu);
	CHECK("%o", 8u);
	CHECK("%o", 0u);
	CHECK("%ld", LONG_MIN);
	CHECK("%ld", LONG_MAX);
	CHECK("%lu", ULONG_MAX);
	CHECK("%lld", LLONG_MIN);
	CHECK("%lld", LLONG_MAX);
	CHECK("%llu", ULLONG_MAX);
	CHECK("%llx", ULLONG_MAX);
	CHECK("%llo", ULLONG_MAX);
	CHECK("%lx", 0x123456789abcdefUL);
}

static void test_lengths(void)
{
	CHECK("%hhd", 200);		/* cut to a signed char: -56 */
	CHECK("%hhu", 300);		/* cut to an unsigned char: 44 */
	CHECK("%hhx", -1);
	CHECK("%hd", 70000);
	CHECK("%hu", -1);
	CHECK("%hx", 0x12345);
	CHECK("%zu", (size_t)-1);
	CHECK("%zd", (ptrdiff_t)-5);
	CHECK("%zx", sizeof(long));
	CHECK("%td", (ptrdiff_t)-123456789012);
	CHECK("%tx", (ptrdiff_t)-1);
	CHECK("%jd", INTMAX_MIN);
	CHECK("%ju", UINTMAX_MAX);
	CHECK("%jx", (uintmax_t)0xabc);
	CHECK("%lld %hhd %ld %d", 1LL, 2, 3L, 4);
}

static void test_width_precision(void)
{
	CHECK("[%5d]", 42);
	CHECK("[%-5d]", 42);
	CHECK("[%05d]", 42);
	CHECK("[%05d]", -42);
	CHECK("[%-05d]", -42);		/* '-' wins over '0' */
	CHECK("[%.5d]", 42);
	CHECK("[%.5d]", -42);
	CHECK("[%8.5d]", -42);
	CHECK("[%-8.5d]", 42);
	CHECK("[%08.5d]", 42);		/* a precision turns '0' off */
	CHECK("[%.0d]", 0);		/* no digits at all */
	CHECK("[%5.0d]", 0);
	CHECK("[%.0d]", 7);
	CHECK("[%.d]", 0);
	CHECK("[%*d]", 6, 42);
	CHECK("[%*d]", -6, 42);		/* negative width: left-aligned */
	CHECK("[%.*d]", 4, 42);
	CHECK("[%.*d]", -1, 42);	/* negative precision: none */
	CHECK("[%*.*d]", 8, 4, -42);
	CHECK("[%3d]", 123456);		/* the width is a minimum */
	CHECK("[%20lld]", LLONG_MIN);
	CHECK("[%025lld]", LLONG_MIN);
	CHECK("[%.25llu]", ULLONG_MAX);
	CHECK("[%08x]", 0xbeefu);
	CHECK("[%-8X]", 0xbeefu);
	CHECK("[%8.6x]", 0xbeefu);
}

static void test_flags(void)
{
	CHECK("[%+d]", 5);
	CHECK("[%+d]", -5);
	CHECK("[%+d]", 0);
	CHECK("[% d]", 5);
	CHECK("[% d]", -5);
	CHECK("[%+ d]", 5);		/* '+' wins over ' ' */
	CHECK("[%+05d]", 5);
	CHECK("[% 05d]", 5);
	CHECK("[%+.3d]", 5);
	CHECK("[%#x]", 0xffu);
	CHECK("[%#X]", 0xffu);
	CHECK("[%#x]", 0u);		/* no 0x for zero */
	CHECK("[%#10x]", 0xffu);
	CHECK("[%#010x]", 0xffu);	/* zeros go after the 0x */
	CHECK("[%-#10x]", 0xffu);
	CHECK("[%#.6x]", 0xffu);
	CHECK("[%#o]", 8u);
	CHECK("[%#o]", 0u);
	CHECK("[%#.0o]", 0u);
	CHECK("[%#.5o]", 8u);
	CHECK("[%#5o]", 8u);
	CHECK("[%#llx]", ULLONG_MAX);
	CHECK("[%#lo]", ULONG_MAX);
}

static void test_strings_chars(void)
{
	static char long_string[1000];
	const char *null = NULL;

	memset(long_string, 'x', 300);
	memcpy(long_string + 100, "middle", 6);
	CHECK("%s", "hello");
	CHECK("[%10s]", "hello");
	CHECK("[%-10s]", "hello");
	CHECK("[%.3s]", "hello");
	CHECK("[%10.3s]", "hello");
	CHECK("[%-10.3s]", "hello");
	CHECK("[%.10s]", "hello");
	CHECK("[%.0s]", "hello");
	CHECK("[%.*s]", 2, "hello");
	CHECK("[%*s]", -7, "hi");
	CHECK("[%s]", "");
	CHECK("[%5s]", "");
	CHECK("[%s]", null);
	CHECK("[%10s]", null);
	CHECK("[%-10s]", null);
	CHECK("[%.6s]", null);
	CHECK("[%.3s]", null);		/* glibc prints nothing, not "(nu" */
	CHECK("%s", long_string);
	CHECK("[%500s]", long_string);
	CHECK("[%.150s]", long_string);
	CHECK("[%c]", 'a');
	CHECK("[%5c]", 'b');
	CHECK("[%-5c]", 'c');
	CHECK("[%c%c%c]", 'x', 'y', 'z');
	CHECK("[%c]", 256 + 'A');	/* converted to unsigned char */
	CHECK("%s=%d, %s=%x", "a", 1, "b", 0xb);
}

static void test_pointers_misc(void)
{
	int local;
	void *null = NULL;

	CHECK("%p", (void *)&local);
	CHECK("%p", (void *)0x1000);
	CHECK("%p", (void *)UINTPTR_MAX);
	CHECK("%p", null);
	CHECK("[%20p]", (void *)0x1234);
	CHECK("[%-20p]", (void *)0x1234);
	CHECK("[%10p]", null);
	CHECK("[%-10p]", null);
	CHECK("%%");
	CHECK("100%% sure");
	CHECK("");
	CHECK("plain text, no conversions");
	CHECK("%d%%%d", 1, 2);
}

int main(void)
{
	test_integers();
	test_lengths();
	test_width_precision();
	test_flags();
	test_strings_chars();
	test_pointers_misc();
	fprintf(stderr, "test_format: %d failure%s\n", failures,
		failures == 1 ? "" : "s");
	return failures != 0;
}
