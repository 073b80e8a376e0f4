/*
 * A SIGSEGV handler that recovers with siglongjmp, from a musl program
 * (course section: signals).
 *
 * The handler runs on a frame the kernel built on the stack; siglongjmp
 * leaves it without rt_sigreturn and restores the signal mask saved by
 * sigsetjmp. If the kernel's frame or masks differ from Linux's, musl's
 * code notices. Then the alternate stack's classic use: a stack overflow's
 * SIGSEGV handled on a sigaltstack, since the full stack has no room left.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static char alt_stack[64 * 1024];
static volatile unsigned long handler_sp;

static sigjmp_buf recover;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)uc;
	volatile char here;

	handler_sp = (unsigned long)&here;
	fault_addr = info->si_addr;
	fault_code = info->si_code;
	siglongjmp(recover, 1);
}

static int recurse(int n)
{
	volatile char buf[1024];

	buf[0] = (char)n;
	if (n > (1 << 30)) /* never: keeps the compiler from seeing an endless recursion */
		return 0;
	return recurse(n + 1) + buf[0];
}

static void overflow_on_altstack(struct sigaction *sa)
{
	stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack), .ss_flags = 0 };
	unsigned long lo = (unsigned long)alt_stack, hi = lo + sizeof(alt_stack);

	if (sigaltstack(&ss, NULL)) {
		perror("sigaltstack");
		return;
	}
	sa->sa_flags |= SA_ONSTACK;
	sigaction(SIGSEGV, sa, NULL);
	if (sigsetjmp(recover, 1) == 0) {
		recurse(0);
		printf("musl: no stack overflow?\n");
	} else {
		printf("musl: stack overflow caught, handler on the alternate stack: %s\n",
		       handler_sp >= lo && handler_sp < hi ? "yes" : "no");
	}
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL)) {
		perror("sigaction");
		return 1;
	}
	for (int round = 1; round <= 3; round++) {
		if (sigsetjmp(recover, 1) == 0) {
			volatile int *bad = (int *)(long)(16 * round);
			*bad = round; /* faults */
			printf("musl: no fault?\n");
		} else {
			printf("musl: round %d: recovered from SIGSEGV at %p, code %s\n", round, (void *)fault_addr,
			       fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
		}
	}
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("musl: SIGSEGV blocked after recovery: %s\n", sigismember(&now, SIGSEGV) ? "yes" : "no");
	overflow_on_altstack(&sa);
	return 0;
}
