/*
 * Random bytes for programs: getrandom and AT_RANDOM (course section: the
 * syscall gate -- the Linux ABI).
 *
 * A C library needs unpredictable bytes early: the stack canary and the
 * pointer guard come from the 16 bytes exec leaves at AT_RANDOM, and
 * getrandom(2) seeds everything else. Where the CPU has RDRAND (QEMU's
 * `-cpu max` does), each 64-bit word comes from its hardware generator.
 * Without it, the kernel mixes the time-stamp counter into a xorshift
 * generator: unpredictable enough for a teaching kernel, but not for
 * cryptography -- which is why RDRAND is preferred when it exists.
 */
#include "kernel/random.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"
#include "kernel/syscall.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2
#define GRND_INSECURE 0x4
#define GETRANDOM_CHUNK 256           /* bytes copied out at a time */
#define GETRANDOM_MAX 33554431        /* Linux's most for one call: (32 MiB - 1) */

static int has_rdrand = -1; /* unknown until the first call */
static uint64_t xorshift_state;

/* RDRAND may fail when its entropy runs short (carry clear): retry a few
 * times, as Intel advises, then fall back. */
static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static uint64_t xorshift64(void)
{
	xorshift_state ^= rdtsc() * 0x9E3779B97F4A7C15ull; /* fresh timing in every word */
	xorshift_state ^= xorshift_state << 13;
	xorshift_state ^= xorshift_state >> 7;
	xorshift_state ^= xorshift_state << 17;
	return xorshift_state;
}

static uint64_t random_word(void)
{
	if (has_rdrand < 0) {
		uint32_t a, b, c, d;
		cpuid(1, 0, &a, &b, &c, &d);
		has_rdrand = (c & CPUID_1_ECX_RDRAND) != 0;
	}
	uint64_t v;
	if (has_rdrand && rdrand64(&v))
		return v;
	return xorshift64();
}

void random_fill(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n > 0) {
		uint64_t w = random_word();
		size_t k = MIN(n, sizeof(w));
		memcpy(p, &w, k);
		p += k;
		n -= k;
	}
}

/* The pool never runs dry here, so GRND_NONBLOCK and GRND_RANDOM change
 * nothing; GRND_INSECURE may not be combined with GRND_RANDOM (Linux). */
long sys_getrandom(void __user *buf, size_t count, unsigned int flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	count = MIN(count, (size_t)GETRANDOM_MAX);
	uint8_t chunk[GETRANDOM_CHUNK];
	for (size_t done = 0; done < count;) {
		size_t n = MIN(count - done, sizeof(chunk));
		random_fill(chunk, n);
		if (copy_to_user((uint8_t __user *)buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)count;
}
