/*
 * C library: pseudo-random numbers (course section: the C library on raw
 * syscalls).
 *
 * A linear congruential generator: state = state * a + c (mod 2^64), with
 * a and c from Knuth's MMIX. The low bits of such a generator repeat with
 * short periods, so rand returns the top 31 bits. Good enough for games
 * and tests, useless for cryptography. srand(s) restarts the sequence: the
 * same seed always gives the same numbers, which makes a test repeatable.
 */
#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 1;

void srand(unsigned int seed)
{
	state = seed;
}

int rand(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(state >> 33);
}
