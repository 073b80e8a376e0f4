/*
 * A SIGSEGV handler that recovers with siglongjmp, from a musl program
 * (course section: signals).
 *
 * The handler runs on a frame the kernel built on the stack; siglongjmp
 * leaves it without rt_sigreturn and restores the signal mask saved by
 * sigsetjmp. If the kernel's frame or masks differ from Linux's, musl's
 * code notices.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf recover;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = info->si_addr;
	fault_code = info->si_code;
	siglongjmp(recover, 1);
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
	return 0;
}
