/*
 * C library: clone, the way to start a thread (course section: kernel
 * architecture -- what a task is).
 *
 * clone(fn, stack, flags, arg, ...) makes a new task that runs fn(arg) on
 * the given stack and ends with exit(fn's return value) -- glibc's and
 * musl's interface. The kernel's clone syscall cannot call a function: the
 * child simply returns from the syscall, like fork's child, but on the new
 * stack. So, as in every libc, the wrapper is assembly: before the syscall
 * it puts fn and arg on the child's stack; after it, the child (rax = 0)
 * pops them and calls fn. It must not touch the parent's stack after the
 * syscall, which a C function's epilogue would do.
 *
 * With CLONE_VM the child shares our memory; with CLONE_THREAD it is a
 * thread of our process. This libc's errno and stdio are not per thread:
 * a thread made here should call only raw syscalls and its own code.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>

long __clone_raw(unsigned long flags, void *stack, int *ptid, int *ctid, unsigned long tls, int (*fn)(void *),
		 void *arg);

/* rdi flags, rsi stack top, rdx ptid, rcx ctid, r8 tls, r9 fn, [rsp+8] arg. */
__asm__(
	".intel_syntax noprefix\n"
	".global __clone_raw\n"
	".type __clone_raw, @function\n"
	"__clone_raw:\n"
	"	mov rax, [rsp + 8]\n"     /* arg, from our caller's stack */
	"	and rsi, -16\n"           /* the psABI's 16-byte alignment */
	"	sub rsi, 16\n"
	"	mov [rsi + 8], rax\n"     /* the child will pop fn, then arg */
	"	mov [rsi], r9\n"
	"	mov r10, rcx\n"           /* the syscall's fourth argument is r10 */
	"	mov eax, 56\n"            /* __NR_clone */
	"	syscall\n"
	"	test rax, rax\n"
	"	jz 1f\n"
	"	ret\n"                    /* the parent: the tid, or -errno */
	"1:	xor ebp, ebp\n"           /* the child: the end of its call chain */
	"	pop rax\n"
	"	pop rdi\n"
	"	call rax\n"               /* fn(arg) */
	"	mov edi, eax\n"
	"	mov eax, 60\n"            /* __NR_exit: this thread only */
	"	syscall\n"
	"	hlt\n"
	".att_syntax prefix\n");

int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	if (!fn || !stack) {
		errno = EINVAL;
		return -1;
	}
	va_list ap;
	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	unsigned long tls = (unsigned long)va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);
	long r = __clone_raw((unsigned int)flags, stack, ptid, ctid, tls, fn, arg);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}
