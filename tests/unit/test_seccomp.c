/*
 * Host unit test of seccomp's checker, interpreter and allow cache (course
 * section: seccomp; testing on the host).
 *
 * Random programs, mostly of the instructions a filter may use, go through
 * the checker. Every accepted one must then be safe to run: it ends (the
 * interpreter returns) on random syscall data, and reads only what the
 * checker allowed (the host's tools -- valgrind, sanitizers -- would catch
 * a stray read here, where it cannot hurt). And the allow cache must never
 * claim more than the truth: for a number it marks, the filter answers
 * ALLOW whatever the arguments.
 *
 * UNIT_SOURCES: kernel/seccomp/filter_check.c kernel/seccomp/bpf_run.c kernel/seccomp/cache.c
 */
#include "unit.h"
#include "kernel/seccomp/seccomp.h"

#include <stdint.h>
#include <string.h>

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }

#define PROGRAMS 20000
#define MAX_LEN 12
#define RUNS 8

static uint64_t seed = 88172645463325252ull;

static uint32_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)seed;
}

/* Opcodes worth trying: every one a filter may use, and a few it may not. */
static const uint16_t codes[] = {
	BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM,
	BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX, BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
	BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_K, BPF_ALU | BPF_DIV | BPF_K,
	BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_OR | BPF_X, BPF_ALU | BPF_XOR | BPF_K,
	BPF_ALU | BPF_LSH | BPF_K, BPF_ALU | BPF_RSH | BPF_X, BPF_ALU | BPF_NEG, BPF_JMP | BPF_JA,
	BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JGT | BPF_X, BPF_JMP | BPF_JGE | BPF_K, BPF_JMP | BPF_JSET | BPF_K,
	BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_LD | BPF_W | BPF_LEN, BPF_ALU | BPF_MOD | BPF_K,
	BPF_LD | BPF_H | BPF_ABS, BPF_JMP | BPF_JNE | BPF_K,
};

static uint32_t random_k(uint16_t code)
{
	switch (rnd() % 4) {
	case 0: return rnd() % 16;                      /* small: scratch cells, shifts, jumps */
	case 1: return (rnd() % 17) * 4;                /* seccomp_data offsets, one past the end */
	case 2: return code == (BPF_RET | BPF_K) ? SECCOMP_RET_ALLOW : rnd();
	default: return 39 + rnd() % 3;                 /* near getpid's number */
	}
}

static struct seccomp_filter *random_filter(unsigned len)
{
	struct seccomp_filter *f = calloc(1, sizeof(*f) + len * sizeof(struct sock_filter));
	f->len = len;
	for (unsigned pc = 0; pc < len; pc++) {
		struct sock_filter *in = &f->insns[pc];
		in->code = codes[rnd() % (sizeof(codes) / sizeof(codes[0]))];
		in->k = random_k(in->code);
		in->jt = (uint8_t)(rnd() % 4);
		in->jf = (uint8_t)(rnd() % 4);
	}
	if (rnd() % 2)
		f->insns[len - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return f;
}

static void random_data(struct seccomp_data *d, int nr)
{
	d->nr = nr;
	d->arch = AUDIT_ARCH_X86_64;
	d->instruction_pointer = (uint64_t)rnd() << 32 | rnd();
	for (int k = 0; k < 6; k++)
		d->args[k] = (uint64_t)rnd() << 32 | rnd();
}

int main(void)
{
	unit_suite = "seccomp";
	int accepted = 0, cache_lies = 0, runs = 0;
	for (int p = 0; p < PROGRAMS; p++) {
		struct seccomp_filter *f = random_filter(1 + rnd() % MAX_LEN);
		if (seccomp_check_filter(f->insns, f->len) == 0) {
			accepted++;
			seccomp_cache_prepare(f);
			for (int nr = 38; nr < 42; nr++)
				for (int k = 0; k < RUNS; k++) {
					struct seccomp_data d;
					random_data(&d, nr);
					uint32_t ret = seccomp_bpf_run(f, &d);
					runs++;
					if (seccomp_cache_allows(f, nr) && ret != SECCOMP_RET_ALLOW)
						cache_lies++;
				}
		}
		free(f);
	}
	printf("seccomp: %d of %d random programs accepted, %d runs\n", accepted, PROGRAMS, runs);
	CHECK("some random programs are accepted, some refused", accepted > 100 && accepted < PROGRAMS);
	CHECK("every accepted program ends on random data", runs == accepted * 4 * RUNS);
	CHECK_EQ("the allow cache never claims ALLOW where the filter says otherwise", cache_lies, 0);

	/* Known answers: the checker's rewriting of LEN, and a cached allow-list. */
	struct sock_filter len_prog[] = { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_RET | BPF_A, 0) };
	CHECK_EQ("LEN is accepted", seccomp_check_filter(len_prog, 2), 0);
	CHECK("... and becomes the constant 64", len_prog[0].code == (BPF_LD | BPF_IMM) && len_prog[0].k == 64);
	struct seccomp_filter *f = calloc(1, sizeof(*f) + 4 * sizeof(struct sock_filter));
	struct sock_filter list[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	memcpy(f->insns, list, sizeof(list));
	f->len = 4;
	seccomp_cache_prepare(f);
	CHECK("the cache: getpid (39) refused, so not cached", !seccomp_cache_allows(f, 39));
	CHECK("the cache: every other number allowed", seccomp_cache_allows(f, 0) && seccomp_cache_allows(f, 511));
	CHECK("the cache: numbers out of the table never", !seccomp_cache_allows(f, 512) && !seccomp_cache_allows(f, -1));
	CHECK_EQ("cost: 3 + 1 + 1 + 2 + 2", seccomp_filter_cost(f->insns, 4), 9);
	free(f);
	return unit_failures ? 1 : 0;
}
