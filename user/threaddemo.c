/*
 * threaddemo: why threads need locks (course section: shared memory;
 * kernel architecture -- what a task is).
 *
 *   threaddemo [THREADS [ROUNDS]]      (default: 4 threads, 20000 rounds)
 *
 * Several threads of one process add 1 to one shared counter, ROUNDS
 * times each. "counter = counter + 1" is three steps -- load, add, store --
 * and a thread switched away between its load and its store writes back a
 * stale value when it runs again: every other thread's additions made
 * meanwhile are lost. The first run does exactly that (with a
 * sched_yield now and then inside the window, so that even one CPU shows
 * it); the second takes a futex lock around the three steps and loses
 * nothing. The lock costs a syscall only when a thread must wait.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <abi/ipc.h> /* FUTEX_WAIT, FUTEX_WAKE, FUTEX_PRIVATE_FLAG */

#define MAX_THREADS 16
#define STACK_SIZE (32 * 1024)
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static int tids[MAX_THREADS];
static long rounds;
static volatile long counter;
static int lock_word; /* 0 free, 1 held, 2 held and someone may sleep on it */

/* A futex mutex (Drepper's "Futexes are tricky", the third one). */
static void lock(void)
{
	int c = 0;

	if (__atomic_compare_exchange_n(&lock_word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return; /* it was free: no syscall */
	if (c != 2)
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		syscall(SYS_futex, &lock_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(void)
{
	if (__atomic_exchange_n(&lock_word, 0, __ATOMIC_RELEASE) == 2)
		syscall(SYS_futex, &lock_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
}

static void add_one(long i)
{
	long v = counter; /* load */
	if (i % 100 == 0)
		sched_yield(); /* another thread runs between our load and our store */
	counter = v + 1; /* store */
}

static int racy(void *arg)
{
	(void)arg;
	for (long i = 0; i < rounds; i++)
		add_one(i);
	return 0;
}

static int locked(void *arg)
{
	(void)arg;
	for (long i = 0; i < rounds; i++) {
		lock();
		add_one(i);
		unlock();
	}
	return 0;
}

/* Start n threads running fn, and wait for them as pthread_join does:
 * until the kernel zeroes each one's tid word (CLONE_CHILD_CLEARTID). */
static long run(int n, int (*fn)(void *))
{
	counter = 0;
	for (int i = 0; i < n; i++)
		if (clone(fn, stacks[i] + STACK_SIZE, THREAD_FLAGS, NULL, &tids[i], NULL, &tids[i]) < 0) {
			perror("threaddemo: clone");
			exit(1);
		}
	for (int i = 0; i < n; i++) {
		int tid;

		while ((tid = __atomic_load_n(&tids[i], __ATOMIC_SEQ_CST)) != 0)
			syscall(SYS_futex, &tids[i], FUTEX_WAIT, tid, NULL, NULL, 0);
	}
	return counter;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;

	rounds = argc > 2 ? atol(argv[2]) : 20000;
	if (n < 1 || n > MAX_THREADS || rounds < 1) {
		fprintf(stderr, "usage: threaddemo [THREADS (1-%d) [ROUNDS]]\n", MAX_THREADS);
		return 2;
	}
	long want = n * rounds;
	printf("%d threads of process %d each add 1 to a shared counter %ld times: %ld expected\n", n,
	       getpid(), rounds, want);
	long got = run(n, racy);
	printf("without a lock:   %ld (%ld updates lost)\n", got, want - got);
	got = run(n, locked);
	printf("with a futex lock: %ld (%ld updates lost)\n", got, want - got);
	return 0;
}
