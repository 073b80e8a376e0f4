/*
 * Tristate numbers: arithmetic on partly known values (course section:
 * eBPF, the revolution in kernel programming).
 *
 * Each operation answers: given what is known of each bit of a and of b,
 * what is known of each bit of the result? The carries of an addition are
 * the hard part: a carry chain that starts at an unknown bit makes every
 * bit it may reach unknown. (The algorithms are those of Vishwanathan et
 * al., "Sound, Precise, and Fast Abstract Interpretation with Tristate
 * Numbers", which Linux's verifier also uses.)
 */
#include "kernel/bpf/tnum.h"

struct tnum tnum_range(uint64_t min, uint64_t max)
{
	uint64_t differ = min ^ max;
	if (differ == 0)
		return tnum_const(min);
	int bits = 64 - __builtin_clzll(differ);
	if (bits > 63)
		return TNUM_UNKNOWN;
	uint64_t low = (1ULL << bits) - 1;
	return TNUM(min & ~low, low);
}

struct tnum tnum_add(struct tnum a, struct tnum b)
{
	uint64_t sum_mask = a.mask + b.mask;
	uint64_t sum_value = a.value + b.value;
	/* Bits where adding the unknowns as ones changes the sum: carries may differ there. */
	uint64_t carries = (sum_mask + sum_value) ^ sum_value;
	uint64_t unknown = carries | a.mask | b.mask;
	return TNUM(sum_value & ~unknown, unknown);
}

struct tnum tnum_sub(struct tnum a, struct tnum b)
{
	uint64_t diff = a.value - b.value;
	/* The largest and the smallest differences; where they differ, borrows may. */
	uint64_t borrows = (diff + a.mask) ^ (diff - b.mask);
	uint64_t unknown = borrows | a.mask | b.mask;
	return TNUM(diff & ~unknown, unknown);
}

struct tnum tnum_and(struct tnum a, struct tnum b)
{
	uint64_t may_a = a.value | a.mask, may_b = b.value | b.mask;
	uint64_t sure = a.value & b.value;
	return TNUM(sure, may_a & may_b & ~sure);
}

struct tnum tnum_or(struct tnum a, struct tnum b)
{
	uint64_t sure = a.value | b.value;
	return TNUM(sure, (a.mask | b.mask) & ~sure);
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint64_t unknown = a.mask | b.mask;
	return TNUM((a.value ^ b.value) & ~unknown, unknown);
}

/* Long multiplication: for each bit of a, add b shifted (or "maybe b"). */
struct tnum tnum_mul(struct tnum a, struct tnum b)
{
	uint64_t known_product = a.value * b.value;
	struct tnum uncertain = tnum_const(0);
	while (a.value || a.mask) {
		if (a.value & 1)
			uncertain = tnum_add(uncertain, TNUM(0, b.mask));
		else if (a.mask & 1)
			uncertain = tnum_add(uncertain, TNUM(0, b.value | b.mask));
		a = tnum_rshift(a, 1);
		b = tnum_lshift(b, 1);
	}
	return tnum_add(tnum_const(known_product), uncertain);
}

struct tnum tnum_lshift(struct tnum a, uint8_t shift)
{
	return TNUM(a.value << shift, a.mask << shift);
}

struct tnum tnum_rshift(struct tnum a, uint8_t shift)
{
	return TNUM(a.value >> shift, a.mask >> shift);
}

/* The sign bit (known or not) is copied into the bits shifted in. */
struct tnum tnum_arshift(struct tnum a, uint8_t shift, uint8_t width)
{
	if (width == 32)
		return TNUM((uint32_t)((int32_t)a.value >> shift), (uint32_t)((int32_t)a.mask >> shift));
	return TNUM((uint64_t)((int64_t)a.value >> shift), (uint64_t)((int64_t)a.mask >> shift));
}

struct tnum tnum_intersect(struct tnum a, struct tnum b)
{
	uint64_t unknown = a.mask & b.mask;
	return TNUM((a.value | b.value) & ~unknown, unknown);
}

struct tnum tnum_cast(struct tnum a, uint8_t size)
{
	if (size >= 8)
		return a;
	uint64_t keep = (1ULL << (size * 8)) - 1;
	return TNUM(a.value & keep, a.mask & keep);
}

bool tnum_in(struct tnum a, struct tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	return a.value == (b.value & ~a.mask);
}
