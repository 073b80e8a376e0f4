/*
 * Printing a power-of-2 histogram the way bcc's tools do (course section:
 * advanced eBPF tracing): one line per slot from 0 to the last non-empty
 * one, the slot's range, its count, and a bar of stars scaled
 * so the biggest count fills 40 columns.
 *
 *          usecs               : count     distribution
 *              0 -> 1          : 3        |****                                    |
 *              2 -> 3          : 29       |****************************************|
 */
#include <stdio.h>
#include <string.h>

#include "bpflib.h"

#define BAR_WIDTH 40

static void bar(uint64_t count, uint64_t max)
{
	char stars[BAR_WIDTH + 1];
	int n = max ? (int)(count * BAR_WIDTH / max) : 0;
	memset(stars, ' ', BAR_WIDTH);
	memset(stars, '*', (size_t)n);
	stars[BAR_WIDTH] = 0;
	printf("|%s|\n", stars);
}

void print_log2_hist(const uint64_t slots[LOG2_SLOTS], const char *unit)
{
	int last = -1;
	uint64_t max = 0;
	for (int i = 0; i < LOG2_SLOTS; i++) {
		if (!slots[i])
			continue;
		last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (last < 0)
		return;
	/* Narrow columns while the numbers fit in 10 digits, as bcc does. */
	int w = last < 32 ? 10 : 20;
	printf("%*s%-*s : count     distribution\n", w, unit, w + 4, "");
	for (int i = 0; i <= last; i++) {
		uint64_t low = i == 0 ? 0 : 1ULL << i, high = i == 63 ? ~0ULL : (1ULL << (i + 1)) - 1;
		printf("%*llu -> %-*llu : %-8llu ", w, (unsigned long long)low, w, (unsigned long long)high,
		       (unsigned long long)slots[i]);
		bar(slots[i], max);
	}
}
