/*
 * seccompdemo: a program locks itself in (course section: seccomp).
 *
 * Run it and read along:
 *   1. It asks for no_new_privs: from now on exec can never give it more
 *      privilege (set-user-ID bits are ignored). The kernel requires this
 *      before an ordinary user may install a filter.
 *   2. It installs a filter, a small classic BPF program the kernel runs on
 *      each of its syscalls: any architecture but x86_64 is killed (a
 *      filter written for one syscall table must not judge another's);
 *      mkdir fails with EPERM; getpid kills the process; the rest is
 *      allowed.
 *   3. It tries mkdir: refused, politely.
 *   4. It calls getpid: the kernel kills it with SIGSYS before the call
 *      runs. The shell reports "Bad system call"; the program never prints
 *      its last line.
 *
 *   seccompdemo          the whole story
 *   seccompdemo trap     another verdict: getppid sends SIGSYS to a handler,
 *                        which the program survives (strace shows the siginfo)
 * The same binary runs on Linux, with the same outcome.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <abi/filter.h>
#include <abi/seccomp.h>

/* Load a 32-bit word of struct seccomp_data into the accumulator. */
#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
/* If A == value, return ret; else go on. */
#define ON(value, ret) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (value), 0, 1), BPF_STMT(BPF_RET | BPF_K, (ret))

static struct sock_filter program[] = {
	LOAD(arch),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	LOAD(nr),
	ON(SYS_mkdir, SECCOMP_RET_ERRNO | EPERM),
	ON(SYS_getpid, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_filter trap_program[] = {
	LOAD(nr),
	ON(SYS_getppid, SECCOMP_RET_TRAP | EIO),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static volatile sig_atomic_t trapped_call, trapped_data;

static void on_sigsys(int sig, siginfo_t *si, void *context)
{
	(void)sig;
	(void)context;
	trapped_call = si->si_syscall;
	trapped_data = si->si_errno;
}

static int install(struct sock_filter *insns, unsigned short len)
{
	struct sock_fprog prog = { len, insns };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("seccompdemo: installing the filter");
		return -1;
	}
	return 0;
}

/* TRAP: the call does not run; the handler hears which call it was. */
static int trap_demo(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	if (install(trap_program, sizeof(trap_program) / sizeof(trap_program[0])))
		return 1;
	long r = syscall(SYS_getppid);
	printf("seccompdemo: getppid() trapped: SIGSYS for call %d, data %d; it returned %ld (its own number)\n",
	       (int)trapped_call, (int)trapped_data, r);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "trap"))
		return trap_demo();
	printf("seccompdemo: no filter yet: I may call anything.\n");
	unsigned short len = sizeof(program) / sizeof(program[0]);
	if (install(program, len))
		return 1;
	printf("seccompdemo: no_new_privs set: exec can never raise my privileges now.\n");
	printf("seccompdemo: filter of %u instructions installed: mkdir -> EPERM, getpid -> death.\n", len);
	if (mkdir("/tmp/seccompdemo", 0755) < 0)
		printf("seccompdemo: mkdir(\"/tmp/seccompdemo\") failed: %s (the filter said so)\n", strerror(errno));
	printf("seccompdemo: now getpid(): the kernel will kill me with SIGSYS before it runs.\n");
	fflush(stdout);
	int pid = getpid();
	printf("seccompdemo: still alive, pid %d? The filter did not work.\n", pid);
	return 1;
}
