/*
 * What a futex wake, a thread and a traced syscall cost: the benchmarks of
 * user/bench.c that involve a second thread or a tracer (course section: the
 * syscall gate -- what each mechanism costs).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <futex_sync.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

/* FUTEX_WAKE with nobody asleep: what an unlock costs when it must enter
 * the kernel -- the path a futex mutex avoids when nobody waits. */
uint64_t bench_futex_wake(long rounds)
{
	static uint32_t word;
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		futex_wake(&word, 1);
	return rdtsc() - t0;
}

/* --- threads: libc's clone(), joined by CLONE_CHILD_CLEARTID + futex --- */

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
static char thread_stack[64 * 1024] __attribute__((aligned(16)));
static int thread_tid;

static int thread_returns(void *arg)
{
	(void)arg;
	return 0;
}

/* The kernel zeroes the tid word at the thread's exit and wakes it. */
static void join_thread(void)
{
	int tid;

	while ((tid = __atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST)) != 0)
		syscall(SYS_futex, &thread_tid, FUTEX_WAIT, tid, NULL, NULL, 0);
}

/* Create a thread that returns at once, and join it: pthread_create's
 * and pthread_join's kernel work, without a thread library. */
uint64_t bench_thread_create_join(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		if (clone(thread_returns, thread_stack + sizeof(thread_stack), THREAD_FLAGS, NULL,
			  &thread_tid, NULL, &thread_tid) < 0)
			return FAILED;
		join_thread();
	}
	return rdtsc() - t0;
}

/* Two threads of one process pass a turn back and forth through a futex
 * word: each round trip is two FUTEX_WAKEs and two sleeps. */
static uint32_t turn;

static void take_turn(uint32_t me)
{
	uint32_t seen;

	while ((seen = __atomic_load_n(&turn, __ATOMIC_SEQ_CST)) != me)
		syscall(SYS_futex, &turn, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, seen, NULL, NULL, 0);
}

static void give_turn(uint32_t to)
{
	__atomic_store_n(&turn, to, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &turn, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
}

static int pong(void *arg)
{
	long rounds = (long)arg;

	for (long i = 0; i < rounds; i++) {
		take_turn(1);
		give_turn(0);
	}
	return 0;
}

uint64_t bench_futex_pingpong_threads(long rounds)
{
	turn = 0;
	if (clone(pong, thread_stack + sizeof(thread_stack), THREAD_FLAGS, (void *)rounds, &thread_tid,
		  NULL, &thread_tid) < 0)
		return FAILED;
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		give_turn(1);
		take_turn(0);
	}
	uint64_t t1 = rdtsc();

	join_thread();
	return t1 - t0;
}

/* A traced getpid (kernel/trace/): the child's syscall stops at entry and
 * at exit, each a switch to the tracer (its waitpid returns) and back (its
 * PTRACE_SYSCALL): why a program under strace runs slowly. */
uint64_t bench_ptrace_syscall_stop(long rounds)
{
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (long i = 0; i < rounds; i++)
			syscall(SYS_getpid);
		_exit(0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return FAILED;
	ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)PTRACE_O_TRACESYSGOOD);
	uint64_t t0 = rdtsc();
	for (long i = 0; i < 2 * rounds; i++) {
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) != 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return FAILED;
		}
	}
	uint64_t t = rdtsc() - t0;
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, NULL, 0);
	return t;
}
