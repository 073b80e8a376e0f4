/*
 * Power-of-2 histogram slots (course section: advanced eBPF tracing):
 * shared by the BPF programs that fill histograms (syscount, runqlat) and
 * the tools that print them, so both sides agree on what slot i means:
 * the values from 2^i to 2^(i+1) - 1 (slot 0 also holds 0).
 *
 * BPF has no "count leading zeros" instruction, so the slot is found by
 * halving: five compares and shifts, no loop for the verifier to prove.
 */
#ifndef USER_BPF_LOG2_H
#define USER_BPF_LOG2_H

#include <stdint.h>

#define LOG2_SLOTS 64

static inline __attribute__((always_inline)) unsigned log2_slot(uint64_t v)
{
	unsigned r = 0;
	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

#endif
