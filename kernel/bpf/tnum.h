/*
 * Tristate numbers: what is known of each bit of a 64-bit value (course
 * section: eBPF, the revolution in kernel programming).
 *
 * A tnum is (value, mask): a bit set in mask is unknown; a bit clear in mask
 * is known and equal to the same bit of value. So (5, 0) is exactly 5,
 * (0, 0xff) is "some byte", and (0x10, 0x3) is one of 0x10..0x13. After
 * `r &= 7` the verifier knows r's upper 61 bits are zero whatever r was.
 */
#ifndef KERNEL_BPF_TNUM_H
#define KERNEL_BPF_TNUM_H

#include "kernel/types.h"

struct tnum {
	uint64_t value, mask;
};

#define TNUM(v, m) ((struct tnum){ .value = (v), .mask = (m) })
#define TNUM_UNKNOWN TNUM(0, UINT64_MAX)

static inline struct tnum tnum_const(uint64_t v) { return TNUM(v, 0); }
static inline bool tnum_is_const(struct tnum t) { return t.mask == 0; }
static inline bool tnum_equals_const(struct tnum t, uint64_t v) { return t.mask == 0 && t.value == v; }
static inline bool tnum_is_unknown(struct tnum t) { return t.mask == UINT64_MAX; }

/* Every value in [min, max]: the bits above their highest difference known. */
struct tnum tnum_range(uint64_t min, uint64_t max);
struct tnum tnum_add(struct tnum a, struct tnum b);
struct tnum tnum_sub(struct tnum a, struct tnum b);
struct tnum tnum_and(struct tnum a, struct tnum b);
struct tnum tnum_or(struct tnum a, struct tnum b);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_mul(struct tnum a, struct tnum b);
struct tnum tnum_lshift(struct tnum a, uint8_t shift);
struct tnum tnum_rshift(struct tnum a, uint8_t shift);
struct tnum tnum_arshift(struct tnum a, uint8_t shift, uint8_t width);
/* Both at once: the bits known in either (they must agree). */
struct tnum tnum_intersect(struct tnum a, struct tnum b);
/* The low size bytes (the rest known zero). */
struct tnum tnum_cast(struct tnum a, uint8_t size);
/* Whether every value b may be is also a value a may be. */
bool tnum_in(struct tnum a, struct tnum b);

#endif
