/*
 * C library: the interrupted context a signal handler sees (course section:
 * signals).
 *
 * An SA_SIGINFO handler gets, as its third argument, a pointer to the
 * ucontext_t the kernel saved on the stack: every register at the moment the
 * signal interrupted the program, and the signal mask to restore. The
 * handler may read it (where did we crash? uc_mcontext.gregs[REG_RIP]) and
 * even change it: rt_sigreturn loads these registers back, so the program
 * resumes wherever the handler says.
 *
 * The layout is the kernel's struct kernel_ucontext (<abi/signal.h>), seen
 * through glibc's names: gregs[] is the sigcontext's registers as an array
 * of 23 longs, indexed by REG_R8 ... REG_CR2 in the kernel's order.
 */
#ifndef LIBC_UCONTEXT_H
#define LIBC_UCONTEXT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Indexes into gregs: the order of struct sigcontext_64's fields. */
enum {
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	REG_RDI, REG_RSI, REG_RBP, REG_RBX, REG_RDX, REG_RAX, REG_RCX, REG_RSP,
	REG_RIP, REG_EFL,
	REG_CSGSFS,	/* cs, gs, fs and ss, 16 bits each, in one slot */
	REG_ERR, REG_TRAPNO, REG_OLDMASK, REG_CR2,
};
#define NGREG 23

typedef long long greg_t;
typedef greg_t gregset_t[NGREG];

/* The FPU and SSE registers, as the fxsave instruction stores them. */
struct _libc_fpxreg {
	unsigned short significand[4];
	unsigned short exponent;
	unsigned short padding[3];
};

struct _libc_xmmreg {
	uint32_t element[4];
};

struct _libc_fpstate {
	uint16_t cwd, swd, ftw, fop;	/* x87 control, status, tag; last opcode */
	uint64_t rip, rdp;		/* last x87 instruction and operand */
	uint32_t mxcsr, mxcr_mask;	/* SSE control and status */
	struct _libc_fpxreg _st[8];	/* st(0)..st(7) */
	struct _libc_xmmreg _xmm[16];	/* xmm0..xmm15 */
	uint32_t padding[24];
};
typedef struct _libc_fpstate *fpregset_t;

typedef struct {
	gregset_t gregs;
	fpregset_t fpregs;	/* NULL if the FPU state was not saved */
	unsigned long long __reserved1[8];
} mcontext_t;

typedef struct ucontext_t {
	unsigned long uc_flags;
	struct ucontext_t *uc_link;
	stack_t uc_stack;		/* the alternate stack, if the handler runs on it */
	mcontext_t uc_mcontext;		/* the registers */
	sigset_t uc_sigmask;		/* the mask rt_sigreturn restores */
} ucontext_t;

/* Our names over the kernel's struct: check that they line up. */
_Static_assert(sizeof(mcontext_t) == sizeof(struct sigcontext_64), "mcontext_t");
_Static_assert(offsetof(ucontext_t, uc_mcontext) ==
	       offsetof(struct kernel_ucontext, uc_mcontext), "uc_mcontext");
_Static_assert(offsetof(ucontext_t, uc_sigmask) ==
	       offsetof(struct kernel_ucontext, uc_sigmask), "uc_sigmask");
_Static_assert(offsetof(mcontext_t, gregs[REG_RIP]) ==
	       offsetof(struct sigcontext_64, rip), "REG_RIP");
_Static_assert(offsetof(mcontext_t, gregs[REG_CR2]) ==
	       offsetof(struct sigcontext_64, cr2), "REG_CR2");
_Static_assert(sizeof(struct _libc_fpstate) == 512, "fxsave area");

#endif
