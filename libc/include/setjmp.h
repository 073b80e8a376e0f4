/*
 * C library: non-local jumps (course section: signals).
 *
 * setjmp(env) saves "where we are": the registers a function call must
 * preserve (rbx, rbp, r12-r15), the stack pointer and the return address.
 * It returns 0. A later longjmp(env, v), from any function called since,
 * loads them back: execution continues as if that setjmp had just
 * returned again, this time with v (1 if v is 0). The frames in between are
 * simply abandoned. A signal handler can use siglongjmp to escape from, say,
 * a SIGSEGV; sigsetjmp(env, 1) also saves the signal mask, which
 * siglongjmp then restores (a handler runs with its signal blocked, and
 * jumping out of it skips rt_sigreturn, which would have unblocked it).
 *
 * The code is in libc/setjmp.c. The function that called setjmp must not
 * have returned before longjmp, and its local variables changed in between
 * are only reliable if declared volatile (they may live in registers).
 */
#ifndef LIBC_SETJMP_H
#define LIBC_SETJMP_H

struct __jmp_buf_tag {
	unsigned long __regs[8];	/* rbx rbp r12 r13 r14 r15 rsp rip */
	int __mask_saved;		/* did sigsetjmp save __mask? */
	unsigned long __mask;		/* a sigset_t */
};

/* An array of one: "jmp_buf env" allocates it, passing env passes a pointer. */
typedef struct __jmp_buf_tag jmp_buf[1];
typedef struct __jmp_buf_tag sigjmp_buf[1];

/* returns_twice: the compiler must assume that locals may change under it. */
int setjmp(jmp_buf env) __attribute__((returns_twice));
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));
void siglongjmp(sigjmp_buf env, int val) __attribute__((noreturn));

#endif
