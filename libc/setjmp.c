/*
 * C library: setjmp and longjmp (course section: signals).
 *
 * These cannot be written in C: setjmp must record its caller's registers
 * and stack pointer exactly, and longjmp must replace them, which no C
 * statement can express. So the two are assembly (in Intel syntax, like
 * our .asm files), in a top-level asm block; only the signal-mask part is C.
 *
 * The buffer (see <setjmp.h>) holds, at these byte offsets:
 *   0 rbx, 8 rbp, 16 r12, 24 r13, 32 r14, 40 r15   registers a callee keeps
 *   48 rsp   the caller's stack pointer after setjmp returns
 *   56 rip   the return address: where setjmp "returns" the second time
 *   64 whether the mask was saved, 72 the mask
 * Other registers need no saving: after a function call the caller expects
 * them to be garbage anyway.
 */
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

_Static_assert(offsetof(struct __jmp_buf_tag, __mask_saved) == 64, "layout");

/* setjmp(env) is sigsetjmp(env, 0). sigsetjmp saves the registers, then
 * jumps (not calls: the return address stays on top of the stack) to
 * __sigsetjmp_mask, which saves the mask if asked and returns 0 straight to
 * whoever called setjmp. longjmp loads everything back and jumps to the
 * saved return address with eax = val (1 if val is 0, so that the caller
 * can tell the second return from the first). */
__asm__(
	".intel_syntax noprefix\n"
	".text\n"

	".globl setjmp\n"
	".type setjmp, @function\n"
	"setjmp:\n"
	"	xor esi, esi\n"			/* savemask = 0 */
	"	jmp sigsetjmp\n"
	".size setjmp, . - setjmp\n"

	".globl sigsetjmp\n"
	".type sigsetjmp, @function\n"
	"sigsetjmp:\n"
	"	mov [rdi], rbx\n"
	"	mov [rdi + 8], rbp\n"
	"	mov [rdi + 16], r12\n"
	"	mov [rdi + 24], r13\n"
	"	mov [rdi + 32], r14\n"
	"	mov [rdi + 40], r15\n"
	"	lea rdx, [rsp + 8]\n"		/* rsp once the return address is popped */
	"	mov [rdi + 48], rdx\n"
	"	mov rdx, [rsp]\n"		/* the return address */
	"	mov [rdi + 56], rdx\n"
	"	jmp __sigsetjmp_mask\n"
	".size sigsetjmp, . - sigsetjmp\n"

	".globl longjmp\n"
	".type longjmp, @function\n"
	"longjmp:\n"
	"	mov eax, esi\n"
	"	test eax, eax\n"
	"	jnz 1f\n"
	"	inc eax\n"			/* longjmp(env, 0) returns 1 */
	"1:	mov rbx, [rdi]\n"
	"	mov rbp, [rdi + 8]\n"
	"	mov r12, [rdi + 16]\n"
	"	mov r13, [rdi + 24]\n"
	"	mov r14, [rdi + 32]\n"
	"	mov r15, [rdi + 40]\n"
	"	mov rsp, [rdi + 48]\n"
	"	jmp qword ptr [rdi + 56]\n"
	".size longjmp, . - longjmp\n"
	".att_syntax prefix\n");

int __sigsetjmp_mask(sigjmp_buf env, int savemask);

int __sigsetjmp_mask(sigjmp_buf env, int savemask)
{
	env->__mask_saved = savemask &&
		sigprocmask(SIG_BLOCK, NULL, (sigset_t *)&env->__mask) == 0;
	return 0;
}

/* Restore the mask first: once longjmp has run, nothing else does. */
void siglongjmp(sigjmp_buf env, int val)
{
	if (env->__mask_saved)
		sigprocmask(SIG_SETMASK, (sigset_t *)&env->__mask, NULL);
	longjmp(env, val);
}
