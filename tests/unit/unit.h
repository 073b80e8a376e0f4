/*
 * A tiny framework for host unit tests of kernel code (course section:
 * testing on the host).
 *
 * The kernel's pure parts -- allocators, parsers, the ELF checks -- are
 * ordinary C, so tests/unit compiles them into Linux programs (with
 * -DHOST_TEST, which swaps the direct map for a buffer: mm/phys.h) and
 * checks them here, where a debugger, valgrind and printf are at hand.
 * Each check prints "PASS unit/<suite>: <what>" or "FAIL ...: <why>".
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int unit_failures;
static const char *unit_suite = "unit";

#define CHECK(what, cond)                                                             \
	do {                                                                          \
		if (cond)                                                             \
			printf("PASS unit/%s: %s\n", unit_suite, what);               \
		else {                                                                \
			printf("FAIL unit/%s: %s: %s is false (%s:%d)\n", unit_suite, \
			       what, #cond, __FILE__, __LINE__);                      \
			unit_failures++;                                              \
		}                                                                     \
	} while (0)

#define CHECK_EQ(what, got, want)                                                          \
	do {                                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);                   \
		if (g_ == w_)                                                              \
			printf("PASS unit/%s: %s\n", unit_suite, what);                    \
		else {                                                                     \
			printf("FAIL unit/%s: %s: got %lld, want %lld\n", unit_suite, what, \
			       g_, w_);                                                    \
			unit_failures++;                                                   \
		}                                                                          \
	} while (0)

/* The kernel code under test reports fatal errors through these. */
void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL unit/%s: kernel panic: ", unit_suite);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	exit(1);
}

static inline int unit_done(void)
{
	return unit_failures ? 1 : 0;
}

#endif
