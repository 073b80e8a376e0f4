/*
 * sigdemo: signals, step by step (course section: signals).
 *
 * Run it and read along: each step says what it is about to do, does it,
 * and says what happened and why.
 *   1. A handler: sigaction installs a function; raise() sends the signal
 *      to ourselves; the kernel runs the handler before raise returns.
 *   2. Blocking: a blocked signal is not lost, it waits ("pending") until
 *      it is unblocked, and is delivered at that moment.
 *   3. An alarm: the kernel sends SIGALRM one second later; pause() sleeps
 *      until a handler has run.
 *   4. A crash survived: a bad memory access becomes SIGSEGV; a handler
 *      that siglongjmps back to a sigsetjmp point lets the program go on.
 *
 * The handlers only store what they saw in volatile variables; main does
 * the printing. printf is not safe inside a handler: the signal may have
 * interrupted another printf, in the middle of updating the same buffer.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t handled_signal;	/* set by the handlers */
static volatile sig_atomic_t handler_calls;

static void note_signal(int sig)
{
	handled_signal = sig;
	handler_calls++;
}

static void install(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);	/* block nothing more while it runs */
	sigaction(sig, &sa, NULL);
}

static void step_handler(void)
{
	printf("\n1. A signal handler\n");
	printf("   sigaction(SIGUSR1, handler): from now on SIGUSR1 runs our function\n");
	printf("   instead of its default action (which would end the program).\n");
	install(SIGUSR1, note_signal);
	printf("   raise(SIGUSR1)...\n");
	raise(SIGUSR1);
	printf("   ...returned, and the handler had already run: it saw signal %d (%s).\n", handled_signal,
	       strsignal(handled_signal));
	printf("   The kernel delivers a pending signal on the way back to user mode:\n");
	printf("   it saved our registers on the stack, ran the handler, and the\n");
	printf("   handler's return (via rt_sigreturn) put the registers back.\n");
}

static void step_blocked(void)
{
	sigset_t usr1, pending;

	printf("\n2. A blocked signal waits\n");
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	handler_calls = 0;
	printf("   sigprocmask(SIG_BLOCK, {SIGUSR1}), then raise(SIGUSR1) twice.\n");
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pending);
	printf("   The handler ran %d times; sigpending says SIGUSR1 is %s.\n", handler_calls,
	       sigismember(&pending, SIGUSR1) ? "pending" : "not pending");
	printf("   sigprocmask(SIG_UNBLOCK, {SIGUSR1})...\n");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	printf("   ...and now the handler has run %d time: a pending signal is one bit,\n", handler_calls);
	printf("   so the two raises became one delivery, the moment it was unblocked.\n");
}

static void step_alarm(void)
{
	printf("\n3. An alarm\n");
	install(SIGALRM, note_signal);
	handled_signal = 0;
	printf("   alarm(1) asks the kernel for SIGALRM in one second; pause() sleeps.\n");
	alarm(1);
	int r = pause();
	int err = errno;
	printf("   The handler saw %s (\"%s\"); then pause returned %d, errno %s.\n",
	       handled_signal == SIGALRM ? "SIGALRM" : "another signal", strsignal(handled_signal), r,
	       err == EINTR ? "EINTR" : "not EINTR (wrong!)");
	printf("   pause has nothing to return but \"interrupted\": it always ends that way.\n");
}

static sigjmp_buf recovery_point;
static volatile int *volatile bad_pointer = (int *)16; /* volatile: the compiler cannot see it is bad */
static void *volatile fault_address;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	(void)context;
	fault_address = info->si_addr;
	fault_code = info->si_code;
	siglongjmp(recovery_point, 1); /* never returns: back into main's sigsetjmp */
}

static void step_segv(void)
{
	struct sigaction sa;
	sigset_t now;

	printf("\n4. Surviving a crash\n");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;	/* the handler wants the siginfo: si_addr */
	sigaction(SIGSEGV, &sa, NULL);
	printf("   A SIGSEGV handler with SA_SIGINFO, and sigsetjmp(env, 1) to come back to.\n");
	if (sigsetjmp(recovery_point, 1) == 0) {
		printf("   Writing to address 0x10...\n");
		fflush(stdout);
		*bad_pointer = 1;
		printf("   (not reached: the write faults)\n");
	} else {
		printf("   ...the CPU refused (a page fault) and the kernel sent SIGSEGV, with\n");
		printf("   si_addr %p and si_code %s;\n", fault_address,
		       fault_code == SEGV_MAPERR ? "SEGV_MAPERR (nothing is mapped there)" : "SEGV_ACCERR");
		printf("   the handler siglongjmp'ed back here, and the program goes on.\n");
	}
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("   SIGSEGV is %s: sigsetjmp saved the mask and siglongjmp restored it\n",
	       sigismember(&now, SIGSEGV) ? "still blocked (wrong!)" : "not blocked");
	printf("   (a handler runs with its own signal blocked, and we never returned from it).\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("sigdemo: signals, step by step (pid %d)\n", getpid());
	step_handler();
	step_blocked();
	step_alarm();
	step_segv();
	printf("\nsigdemo: done\n");
	return 0;
}
