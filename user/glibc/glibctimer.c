/*
 * glibc's timer_create(SIGEV_THREAD), statically (course section: signals;
 * time; threads). glibc starts a helper thread that waits for the timer's
 * signal -- the timer names it with SIGEV_THREAD_ID -- and runs the
 * callback in a new thread at each expiry. Its output must match Linux's
 * (tools/test.sh compat).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static sem_t fired;
static volatile int calls, last_value;
static volatile pid_t callback_tid;

static void on_expiry(union sigval v)
{
	last_value = v.sival_int;
	callback_tid = gettid();
	calls++;
	sem_post(&fired);
}

int main(void)
{
	sem_init(&fired, 0, 0);
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_expiry;
	ev.sigev_value.sival_int = 1234;
	timer_t id;
	if (timer_create(CLOCK_MONOTONIC, &ev, &id)) {
		perror("timer_create");
		return 1;
	}
	printf("timer_create(SIGEV_THREAD): ok\n");
	struct itimerspec its = { { 0, 0 }, { 0, 5 * 1000 * 1000 } };
	for (int i = 0; i < 3; i++) {
		if (timer_settime(id, 0, &its, NULL)) {
			perror("timer_settime");
			return 1;
		}
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 10;
		if (sem_timedwait(&fired, &deadline)) {
			printf("expiry %d: the callback did not run\n", i + 1);
			return 1;
		}
		printf("expiry %d: callback ran with value %d in another thread: %s\n", i + 1, last_value,
		       callback_tid != gettid() ? "yes" : "no");
	}
	printf("callbacks: %d\n", calls);
	printf("timer_delete: %s\n", timer_delete(id) ? "failed" : "ok");
	return 0;
}
