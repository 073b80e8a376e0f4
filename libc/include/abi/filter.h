/*
 * Classic BPF, as Linux's <linux/filter.h> and <linux/bpf_common.h> define
 * it (course section: seccomp -- the kernel runs a program the user gave
 * it). Shared by the kernel's seccomp (kernel/seccomp/) and programs that
 * build filters. The opcode fields that classic and extended BPF share
 * (classes, sizes, modes, operations, jumps) come from <abi/bpf.h>, as
 * Linux's both come from bpf_common.h; only what is classic's own is here.
 */
#ifndef ABI_FILTER_H
#define ABI_FILTER_H

#include <stdint.h>
#include "bpf.h"

/* One instruction: 8 bytes. jt/jf are the forward jumps of a conditional
 * (taken / not taken), k the constant (an offset, a value, a jump). */
struct sock_filter {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/* A program: its length in instructions and where they are. */
struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};

_Static_assert(sizeof(struct sock_filter) == 8, "struct sock_filter is 8 bytes");
_Static_assert(sizeof(struct sock_fprog) == 16, "struct sock_fprog is 16 bytes");

/* Classic's own classes (extended BPF reuses these two numbers). */
#define BPF_RET 0x06
#define BPF_MISC 0x07

#define BPF_RVAL(code) ((code) & 0x18) /* BPF_RET: return k or A */
#define BPF_A 0x10
#define BPF_MISCOP(code) ((code) & 0xf8)
#define BPF_TAX 0x00 /* X = A */
#define BPF_TXA 0x80 /* A = X */

#define BPF_MAXINSNS 4096 /* the longest program */
#define BPF_MEMWORDS 16   /* the scratch memory M[0..15] */

/* How programs are written: a statement, or a conditional jump. */
#define BPF_STMT(code, k) { (unsigned short)(code), 0, 0, k }
#define BPF_JUMP(code, k, jt, jf) { (unsigned short)(code), jt, jf, k }

#endif
