/*
 * Host unit test of libc/string.c (course section: testing on the host).
 *
 * libc/string.c defines memcpy, strlen, ... exactly like the host's C library,
 * so it cannot simply be linked next to it. Instead this file renames every
 * function with a macro (memcpy becomes sg_memcpy, ...) and then includes the
 * source file itself; the plain names still mean glibc's versions, which are
 * the reference. Build and run with just:
 *
 *   gcc -O1 -g -I. tests/unit/test_string.c -o build/unit/test_string
 *
 * (do not add libc/string.c to that line: it is already included below).
 * Prints "PASS string: <what>" or "FAIL string: <what>: got "..." want "..."";
 * exits with status 1 if any case failed.
 */
#define _GNU_SOURCE		/* glibc's strnlen, strtok_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define memcpy sg_memcpy
#define memmove sg_memmove
#define memset sg_memset
#define memcmp sg_memcmp
#define memchr sg_memchr
#define strlen sg_strlen
#define strnlen sg_strnlen
#define strcmp sg_strcmp
#define strncmp sg_strncmp
#define strcpy sg_strcpy
#define strncpy sg_strncpy
#define strcat sg_strcat
#define strncat sg_strncat
#define strchr sg_strchr
#define strrchr sg_strrchr
#define strstr sg_strstr
#define strspn sg_strspn
#define strcspn sg_strcspn
#define strpbrk sg_strpbrk
#define strtok_r sg_strtok_r
#define strtok sg_strtok
#define strdup sg_strdup
#define strndup sg_strndup
#define strerror sg_strerror
#include "libc/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strcpy
#undef strncpy
#undef strcat
#undef strncat
#undef strchr
#undef strrchr
#undef strstr
#undef strspn
#undef strcspn
#undef strpbrk
#undef strtok_r
#undef strtok
#undef strdup
#undef strndup
#undef strerror

/* strncpy(buf, "hello", 0) copying nothing is a case tested on purpose. */
#pragma GCC diagnostic ignored "-Wstringop-truncation"

static int failures;

static void check_long(const char *what, long got, long want)
{
	if (got == want) {
		printf("PASS string: %s\n", what);
	} else {
		printf("FAIL string: %s: got \"%ld\" want \"%ld\"\n", what, got, want);
		failures++;
	}
}

/* Comparisons only promise the sign of their result. */
static long sign(long v)
{
	return (v > 0) - (v < 0);
}

/* A returned pointer, as its offset from base (-1 for NULL), so that results
 * pointing into different copies of the same input can be compared. */
static long offset(const void *p, const void *base)
{
	return p ? (const char *)p - (const char *)base : -1;
}

static void check_bytes(const char *what, const char *got, const char *want, size_t n)
{
	if (memcmp(got, want, n) == 0) {
		printf("PASS string: %s\n", what);
	} else {
		printf("FAIL string: %s: got \"%.*s\" want \"%.*s\"\n", what,
		       (int)n, got, (int)n, want);
		failures++;
	}
}

/* s with bytes outside printable ASCII written as \xNN, so the report stays
 * plain text. Two slots, for the two strings one description may show. */
static const char *esc(const char *s, int slot)
{
	static char out[2][128];
	char *o = out[slot];

	for (; *s && o < out[slot] + sizeof(out[slot]) - 5; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= ' ' && c < 127)
			*o++ = (char)c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	*o = '\0';
	return out[slot];
}

static const char *const samples[] = {
	"", "a", "abc", "abd", "ab", "hello world", "\xff", "\x7f", "a\xff",
	"hello, hello", "aaaab",
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static void test_compare(void)
{
	char what[128];

	for (size_t i = 0; i < NSAMPLES; i++) {
		const char *a = samples[i];

		snprintf(what, sizeof(what), "strlen(\"%s\")", esc(a, 0));
		check_long(what, (long)sg_strlen(a), (long)strlen(a));
		for (size_t n = 0; n < 4; n++) {
			snprintf(what, sizeof(what), "strnlen(\"%s\", %zu)",
				 esc(a, 0), n);
			check_long(what, (long)sg_strnlen(a, n), (long)strnlen(a, n));
		}
		for (size_t j = 0; j < NSAMPLES; j++) {
			const char *b = samples[j];
			size_t la = sg_strlen(a), lb = sg_strlen(b);
			size_t n = la < lb ? la : lb;

			snprintf(what, sizeof(what), "strcmp(\"%s\", \"%s\")",
				 esc(a, 0), esc(b, 1));
			check_long(what, sign(sg_strcmp(a, b)), sign(strcmp(a, b)));
			snprintf(what, sizeof(what), "strncmp(\"%s\", \"%s\", 2)",
				 esc(a, 0), esc(b, 1));
			check_long(what, sign(sg_strncmp(a, b, 2)),
				   sign(strncmp(a, b, 2)));
			snprintf(what, sizeof(what), "memcmp(\"%s\", \"%s\", %zu)",
				 esc(a, 0), esc(b, 1), n);
			check_long(what, sign(sg_memcmp(a, b, n)), sign(memcmp(a, b, n)));
			snprintf(what, sizeof(what), "strstr(\"%s\", \"%s\")",
				 esc(a, 0), esc(b, 1));
			check_long(what, offset(sg_strstr(a, b), a),
				   offset(strstr(a, b), a));
			snprintf(what, sizeof(what), "strspn(\"%s\", \"%s\")",
				 esc(a, 0), esc(b, 1));
			check_long(what, (long)sg_strspn(a, b), (long)strspn(a, b));
			snprintf(what, sizeof(what), "strcspn(\"%s\", \"%s\")",
				 esc(a, 0), esc(b, 1));
			check_long(what, (long)sg_strcspn(a, b), (long)strcspn(a, b));
			snprintf(what, sizeof(what), "strpbrk(\"%s\", \"%s\")",
				 esc(a, 0), esc(b, 1));
			check_long(what, offset(sg_strpbrk(a, b), a),
				   offset(strpbrk(a, b), a));
		}
	}
	check_long("strncmp(\"abc\", \"abd\", 0)", sg_strncmp("abc", "abd", 0), 0);
	check_long("memcmp(x, y, 0)", sg_memcmp("x", "y", 0), 0);
}

static void test_search(void)
{
	const char *s = "hello, world";
	const int chars[] = { 'h', 'o', 'l', 'd', 'z', '\0', 'o' + 256 };
	char what[128];

	for (size_t i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		int c = chars[i];

		snprintf(what, sizeof(what), "strchr(\"%s\", %d)", s, c);
		check_long(what, offset(sg_strchr(s, c), s), offset(strchr(s, c), s));
		snprintf(what, sizeof(what), "strrchr(\"%s\", %d)", s, c);
		check_long(what, offset(sg_strrchr(s, c), s), offset(strrchr(s, c), s));
		snprintf(what, sizeof(what), "memchr(\"%s\", %d, 13)", s, c);
		check_long(what, offset(sg_memchr(s, c, 13), s),
			   offset(memchr(s, c, 13), s));
		snprintf(what, sizeof(what), "memchr(\"%s\", %d, 3)", s, c);
		check_long(what, offset(sg_memchr(s, c, 3), s),
			   offset(memchr(s, c, 3), s));
	}
	check_long("memchr(\"\\xff\", 0xff, 1)", offset(sg_memchr("\xff", 0xff, 1), NULL),
		   offset(memchr("\xff", 0xff, 1), NULL));
}

static void test_copy(void)
{
	char got[64], want[64];
	const char *src = "0123456789abcdefghij";

	/* Every (destination, source) distance, in both directions. */
	for (int d = 0; d <= 8; d++) {
		for (int s = 0; s <= 8; s++) {
			char what[64];

			memset(got, '.', sizeof(got));
			memcpy(got + 8, src, 20);
			memcpy(want, got, sizeof(want));
			sg_memmove(got + d, got + s, 20);
			memmove(want + d, want + s, 20);
			snprintf(what, sizeof(what), "memmove(buf+%d, buf+%d, 20)", d, s);
			check_bytes(what, got, want, sizeof(got));
		}
	}

	memset(got, '.', sizeof(got));
	memset(want, '.', sizeof(want));
	check_long("memcpy returns dst", offset(sg_memcpy(got + 3, src, 10), got), 3);
	memcpy(want + 3, src, 10);
	check_bytes("memcpy(buf+3, src, 10)", got, want, sizeof(got));

	check_long("memset returns s", offset(sg_memset(got, 0x1ff, 7), got), 0);
	memset(want, 0x1ff, 7);
	check_bytes("memset(buf, 0x1ff, 7)", got, want, sizeof(got));
	sg_memset(got, 'x', 0);
	check_bytes("memset(buf, 'x', 0)", got, want, sizeof(got));
}

static void test_str_copy(void)
{
	char got[32], want[32];

	for (size_t n = 0; n < 12; n += 3) {
		char what[64];

		memset(got, '#', sizeof(got));
		memset(want, '#', sizeof(want));
		sg_strncpy(got, "hello", n);
		strncpy(want, "hello", n);
		snprintf(what, sizeof(what), "strncpy(buf, \"hello\", %zu)", n);
		check_bytes(what, got, want, sizeof(got));

		strcpy(got, "ab");
		strcpy(want, "ab");
		sg_strncat(got, "cdefg", n);
		strncat(want, "cdefg", n);
		snprintf(what, sizeof(what), "strncat(\"ab\", \"cdefg\", %zu)", n);
		check_bytes(what, got, want, sizeof(got));
	}

	memset(got, '#', sizeof(got));
	memset(want, '#', sizeof(want));
	check_long("strcpy returns dst", offset(sg_strcpy(got, "copy me"), got), 0);
	strcpy(want, "copy me");
	check_bytes("strcpy(buf, \"copy me\")", got, want, sizeof(got));
	check_long("strcat returns dst", offset(sg_strcat(got, ", please"), got), 0);
	strcat(want, ", please");
	check_bytes("strcat(buf, \", please\")", got, want, sizeof(got));
	sg_strcpy(got, "");
	strcpy(want, "");
	check_bytes("strcpy(buf, \"\")", got, want, sizeof(got));
}

/* Splits the same string with both strtok_r and compares token by token. */
static void test_strtok(const char *input, const char *delim)
{
	char a[64], b[64], what[128];
	char *save_a = NULL, *save_b = NULL, *ta, *tb;
	int i = 0;

	strcpy(a, input);
	strcpy(b, input);
	ta = sg_strtok_r(a, delim, &save_a);
	tb = strtok_r(b, delim, &save_b);
	for (;;) {
		snprintf(what, sizeof(what), "strtok_r(\"%s\", \"%s\") token %d",
			 input, delim, i++);
		check_long(what, offset(ta, a), offset(tb, b));
		if (!ta || !tb)
			break;
		ta = sg_strtok_r(NULL, delim, &save_a);
		tb = strtok_r(NULL, delim, &save_b);
	}
	snprintf(what, sizeof(what), "strtok_r(\"%s\", \"%s\") buffer", input, delim);
	check_bytes(what, a, b, sg_strlen(input) + 1);
}

int main(void)
{
	test_compare();
	test_search();
	test_copy();
	test_str_copy();
	test_strtok("ls -l  /tmp", " ");
	test_strtok("  leading and trailing  ", " ");
	test_strtok("a:b;;c", ":;");
	test_strtok("", " ");
	test_strtok("   ", " ");
	test_strtok("nodelim", " ");
	fprintf(stderr, "test_string: %d failure%s\n", failures,
		failures == 1 ? "" : "s");
	return failures != 0;
}
