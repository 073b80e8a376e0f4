/*
 * A program's tag: 8 bytes that name its code (course section: eBPF, the
 * revolution in kernel programming).
 *
 * bpftool and perf show the tag beside a program's id; two loads of the
 * same instructions get the same tag, whatever fds their maps had. Linux
 * 6.x makes it from SHA-256 (FIPS 180-4) of the instructions as loaded,
 * with the immediates of each map-loading ld_imm64 (both halves) zeroed,
 * and keeps the hash's first 8 bytes. SHA-256 is written out here: the
 * message is padded to 64-byte blocks (a 1 bit, zeros, the bit length),
 * and each block stirs eight 32-bit words through 64 rounds.
 */
#include "kernel/bpf/core.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define SHA256_BLOCK 64

struct sha256 {
	uint32_t h[8];
	uint8_t block[SHA256_BLOCK];
	size_t fill;
	uint64_t bytes;
};

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(struct sha256 *s)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)s->block[4 * i] << 24 | (uint32_t)s->block[4 * i + 1] << 16 |
		       (uint32_t)s->block[4 * i + 2] << 8 | s->block[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, s->h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t e = v[4], a = v[0];
		uint32_t t1 = v[7] + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
		memmove(&v[1], &v[0], 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		s->h[i] += v[i];
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, h0, sizeof(h0));
	s->fill = 0;
	s->bytes = 0;
}

static void sha256_add(struct sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	s->bytes += n;
	while (n--) {
		s->block[s->fill++] = *p++;
		if (s->fill == SHA256_BLOCK) {
			compress(s);
			s->fill = 0;
		}
	}
}

static void sha256_end(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->bytes * 8;
	uint8_t one = 0x80, zero = 0;
	sha256_add(s, &one, 1);
	while (s->fill != SHA256_BLOCK - 8)
		sha256_add(s, &zero, 1);
	for (int i = 7; i >= 0; i--) {
		uint8_t b = (uint8_t)(bits >> (8 * i));
		sha256_add(s, &b, 1);
	}
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

static bool loads_map(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM) &&
	       (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE);
}

void bpf_prog_calc_tag(struct bpf_prog *prog)
{
	struct sha256 s;
	sha256_init(&s);
	for (uint32_t i = 0; i < prog->len; i++) {
		struct bpf_insn in = prog->insns[i];
		/* A map load's fd (and a value load's offset) differ from load to load. */
		if (loads_map(&in)) {
			in.imm = 0;
			sha256_add(&s, &in, sizeof(in));
			if (i + 1 == prog->len)
				break;
			struct bpf_insn hi = prog->insns[++i];
			if (hi.code == 0 && hi.dst_reg == 0 && hi.src_reg == 0 && hi.off == 0)
				hi.imm = 0;
			sha256_add(&s, &hi, sizeof(hi));
			continue;
		}
		sha256_add(&s, &in, sizeof(in));
	}
	uint8_t digest[32];
	sha256_end(&s, digest);
	memcpy(prog->tag, digest, BPF_TAG_SIZE);
}
