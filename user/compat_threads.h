/*
 * pthreads on sysgate: one program, built twice -- with musl
 * (user/musl/muslthreads.c) and with glibc (user/glibc/glibcthreads.c) --
 * whose output tools/test.sh compares with Linux's (course section: kernel
 * architecture -- what a task is).
 *
 * Each part uses one pthread feature, and each rests on a kernel service:
 * pthread_create is clone (CLONE_THREAD, CLONE_SETTLS, CLONE_CHILD_CLEARTID
 * or clone3), join waits on the cleared tid with a futex, mutexes,
 * condition variables, barriers and semaphores are futexes, __thread
 * variables live at %fs (per task), pthread_kill is tgkill, and
 * pthread_cancel is a signal the library sends to the thread. The output
 * never depends on timing.
 */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 8
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void mutex_part(void)
{
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, add_rounds, NULL);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	printf("mutex: %d threads x %d rounds = %ld\n", WORKERS, ROUNDS, counter);
}

/* A one-slot mailbox between a producer and a consumer. */
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int slot, full, done;

static void *consume(void *arg)
{
	long sum = 0;
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!full && !done)
			pthread_cond_wait(&changed, &lock);
		if (!full)
			break;
		sum += slot;
		full = 0;
		pthread_cond_broadcast(&changed);
	}
	pthread_mutex_unlock(&lock);
	return (void *)sum;
}

static void condvar_part(void)
{
	pthread_t c;
	void *sum;
	pthread_create(&c, NULL, consume, NULL);
	pthread_mutex_lock(&lock);
	for (int i = 1; i <= 100; i++) {
		while (full)
			pthread_cond_wait(&changed, &lock);
		slot = i;
		full = 1;
		pthread_cond_broadcast(&changed);
	}
	while (full)
		pthread_cond_wait(&changed, &lock);
	done = 1;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	pthread_join(c, &sum);
	printf("condvar: the consumer summed 1..100 = %ld\n", (long)sum);
}

static pthread_barrier_t barrier;
static int phase_seen[4][3];
static int phase;

static void *step_phases(void *arg)
{
	long me = (long)arg;
	for (int p = 0; p < 3; p++) {
		phase_seen[me][p] = __atomic_load_n(&phase, __ATOMIC_SEQ_CST);
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&phase, 1, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void barrier_part(void)
{
	pthread_t t[4];
	pthread_barrier_init(&barrier, NULL, 4);
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, step_phases, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	int ok = 1;
	for (int i = 0; i < 4; i++)
		for (int p = 0; p < 3; p++)
			ok &= phase_seen[i][p] == p;
	printf("barrier: 4 threads kept step through 3 phases: %s\n", ok ? "yes" : "no");
	pthread_barrier_destroy(&barrier);
}

static sem_t items;

static void *post_items(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++)
		sem_post(&items);
	return NULL;
}

static void semaphore_part(void)
{
	pthread_t t;
	sem_init(&items, 0, 0);
	pthread_create(&t, NULL, post_items, NULL);
	int got = 0;
	for (int i = 0; i < 50; i++)
		got += sem_wait(&items) == 0;
	pthread_join(t, NULL);
	int left;
	sem_getvalue(&items, &left);
	printf("semaphore: waited %d times, %d left\n", got, left);
}

static __thread long mine = 7;

static void *use_tls(void *arg)
{
	long start = mine;
	mine = (long)arg;
	sched_yield();
	return (void *)(start == 7 && mine == (long)arg ? 1L : 0L);
}

static void tls_part(void)
{
	pthread_t t[4];
	long ok = 0;
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, use_tls, (void *)(100 + i));
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		ok += (long)r;
	}
	printf("tls: %ld of 4 threads saw their own copy; main's is still %ld\n", ok, mine);
}

static volatile pthread_t handled_in;
static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled_in = pthread_self();
	handled = 1;
}

static void *wait_for_signal(void *arg)
{
	(void)arg;
	while (!handled)
		sched_yield();
	return NULL;
}

static void kill_part(void)
{
	pthread_t t;
	signal(SIGUSR1, on_usr1);
	pthread_create(&t, NULL, wait_for_signal, NULL);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	printf("pthread_kill: the handler ran in the target thread: %s\n",
	       pthread_equal(handled_in, t) ? "yes" : "no");
}

static void *sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause(); /* a cancellation point */
	return NULL;
}

static void cancel_part(void)
{
	pthread_t t;
	void *r;
	pthread_create(&t, NULL, sleep_forever, NULL);
	pthread_cancel(t);
	pthread_join(t, &r);
	printf("pthread_cancel: join says %s\n", r == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "something else");
}

static int run_all(const char *libc_name)
{
	printf("%s pthreads\n", libc_name);
	mutex_part();
	condvar_part();
	barrier_part();
	semaphore_part();
	tls_part();
	kill_part();
	cancel_part();
	printf("getpid == gettid in main: %s\n", getpid() == gettid() ? "yes" : "no");
	return 0;
}
