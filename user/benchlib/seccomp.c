/*
 * seccomp benchmarks: what a filter adds to a syscall (course section:
 * seccomp; the syscall gate -- what each mechanism costs).
 *
 *   seccomp_getpid_1insn_cycles    getpid under a filter of one instruction
 *                                  (return ALLOW): the price of having a
 *                                  filter at all -- the slow path, filling
 *                                  struct seccomp_data, one run
 *   seccomp_getpid_10insn_cycles   under a filter of 10 (check the
 *                                  architecture, load the number, compare,
 *                                  then look at an argument): 8 of them run
 *                                  on each call -- each instruction's price
 *   seccomp_getpid_10insn_cached_cycles  the same shape, but deciding on the
 *                                  number alone: the kernel's allow cache
 *                                  (kernel/seccomp/cache.c, and Linux's)
 *                                  knows getpid is always allowed and runs
 *                                  nothing
 * The one-instruction filter is cached as well, so it shows the price of
 * the slow path alone. Read beside getpid_cycles (no filter). A filter is
 * for good, so each batch runs in a child that installs it, times its
 * getpids and sends the cycles back through a pipe.
 */
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <abi/filter.h>
#include <abi/seccomp.h>
#include "bench.h"

static struct sock_filter one_insn[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

/* What both 10-instruction filters start with: kill any other
 * architecture, then refuse mkdir and rmdir (to the last instruction). */
#define ARCH_THEN_NR_LIST                                                                          \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),                   \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),                              \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),                                       \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),                     \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 4, 0),                                      \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rmdir, 3, 0)

/* The usual shape of a real filter, with a look at the first argument
 * (so no cache can answer for it): getpid runs 8 of its instructions. */
static struct sock_filter ten_insns[] = {
	ARCH_THEN_NR_LIST,
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xdead, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
};

/* The same on the number only: cacheable. */
static struct sock_filter ten_insns_cached[] = {
	ARCH_THEN_NR_LIST,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unlink, 2, 0),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 1000, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
};

static uint64_t getpid_under(struct sock_filter *insns, unsigned short len, long rounds)
{
	int p[2];
	if (pipe(p))
		return FAILED;
	pid_t pid = fork();
	if (pid == 0) {
		struct sock_fprog prog = { len, insns };
		uint64_t cycles = FAILED;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0) {
			uint64_t t0 = rdtsc();
			for (long i = 0; i < rounds; i++)
				syscall(SYS_getpid);
			cycles = rdtsc() - t0;
		}
		write(p[1], &cycles, sizeof(cycles));
		_exit(0);
	}
	uint64_t cycles = FAILED;
	if (pid < 0 || read(p[0], &cycles, sizeof(cycles)) != sizeof(cycles))
		cycles = FAILED;
	close(p[0]);
	close(p[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return cycles;
}

static uint64_t getpid_1insn(long rounds)
{
	return getpid_under(one_insn, sizeof(one_insn) / sizeof(one_insn[0]), rounds);
}

static uint64_t getpid_10insns(long rounds)
{
	return getpid_under(ten_insns, sizeof(ten_insns) / sizeof(ten_insns[0]), rounds);
}

static uint64_t getpid_10insns_cached(long rounds)
{
	return getpid_under(ten_insns_cached, sizeof(ten_insns_cached) / sizeof(ten_insns_cached[0]), rounds);
}

const struct benchmark seccomp_benchmarks[] = {
	{ "seccomp_getpid_1insn_cycles", 200000, getpid_1insn, CYCLES },
	{ "seccomp_getpid_10insn_cycles", 200000, getpid_10insns, CYCLES },
	{ "seccomp_getpid_10insn_cached_cycles", 200000, getpid_10insns_cached, CYCLES },
};

const size_t seccomp_count = sizeof(seccomp_benchmarks) / sizeof(seccomp_benchmarks[0]);
