/*
 * thread_timers: timers are the process's, not the thread's (course
 * section: signals; time; kernel architecture -- what a task is).
 *
 * As in Linux, a POSIX timer (timer_create) and the real interval timer
 * (alarm, ITIMER_REAL) belong to the whole process: one made by a thread
 * outlives that thread and any thread may set, read or delete it; they go
 * at the process's exit (and exec, for POSIX timers). SIGEV_THREAD_ID may
 * name any thread of the caller's process -- glibc's SIGEV_THREAD names
 * its helper thread so -- and a tid outside the process is EINVAL.
 *
 * Timing: a timer is only waited for (sigtimedwait, or a bounded spin
 * for a handler in another thread): no result depends on speed.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "lib/threadlib.h"

#define MS 1000000L

static long gettid_now(void)
{
	return raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
}

static struct sigevent signal_event(int notify, int sig, int value)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = notify;
	ev.sigev_signo = sig;
	ev.sigev_value.sival_int = value;
	return ev;
}

static long arm(int id, long value_ns)
{
	struct itimerspec its = { { 0, 0 }, { value_ns / 1000000000L, value_ns % 1000000000L } };
	return raw_syscall(SYS_timer_settime, id, 0, (long)&its, 0, 0, 0);
}

/* ---- a timer outlives the thread that made it ---------------------------------------- */

static volatile int made_id = -1;

static int make_timer(void *arg)
{
	(void)arg;
	struct sigevent ev = signal_event(SIGEV_SIGNAL, SIGUSR1, 77);
	int id = -1;
	if (raw_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0) == 0)
		made_id = id;
	return 0;
}

static void outlives_maker(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	t_spawn(0, make_timer, NULL);
	t_join(0);
	check("a thread made a timer and exited", made_id >= 0, "id %d", made_id);
	struct itimerspec cur;
	check_eq("the main thread reads it after its maker is gone",
		 raw_syscall(SYS_timer_gettime, made_id, (long)&cur, 0, 0, 0, 0), 0);
	check_eq("and arms it", arm(made_id, 1 * MS), 0);
	siginfo_t info;
	struct timespec wait = { 5, 0 };
	check_eq("it sends its signal to the process", sigtimedwait(&s, &info, &wait), SIGUSR1);
	check_eq("with its value", info.si_value.sival_int, 77);
	check_eq("and its id", info.si_timerid, made_id);
	check_eq("the main thread deletes it", raw_syscall(SYS_timer_delete, made_id, 0, 0, 0, 0, 0), 0);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

/* ---- SIGEV_THREAD_ID names any thread of the process --------------------------------- */

static volatile long handled_by;
static volatile int handled_value;
static volatile int spinner_ready, spinner_stop;

static void note_thread(int sig, siginfo_t *info, void *ctx)
{
	(void)sig, (void)ctx;
	handled_value = info->si_value.sival_int;
	handled_by = gettid_now();
}

static int spin(void *arg)
{
	(void)arg;
	__atomic_store_n(&spinner_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&spinner_stop, __ATOMIC_SEQ_CST))
		raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	return 0;
}

static void thread_id_target(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = note_thread;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	spinner_ready = spinner_stop = 0;
	int tid = t_spawn(1, spin, NULL);
	while (!__atomic_load_n(&spinner_ready, __ATOMIC_SEQ_CST))
		sched_yield();
	sigprocmask(SIG_BLOCK, &s, NULL); /* only the spinner can take it */

	struct sigevent ev = signal_event(SIGEV_THREAD_ID, SIGUSR2, 31);
	ev.sigev_notify_thread_id = tid;
	int id = -1;
	check_eq("SIGEV_THREAD_ID naming another thread of the process",
		 raw_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0), 0);
	handled_by = 0;
	arm(id, 1 * MS);
	for (long i = 0; i < 2000000 && !handled_by; i++)
		sched_yield();
	check_eq("that thread takes the signal", handled_by, tid);
	check_eq("with the timer's value", handled_value, 31);
	raw_syscall(SYS_timer_delete, id, 0, 0, 0, 0, 0);
	__atomic_store_n(&spinner_stop, 1, __ATOMIC_SEQ_CST);
	t_join(1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	ev.sigev_notify_thread_id = tid; /* exited now */
	check_raw_errno("the tid of a thread that has exited: EINVAL",
			raw_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0), EINVAL);
	ev.sigev_notify_thread_id = getppid();
	check_raw_errno("the tid of another process: EINVAL",
			raw_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0), EINVAL);
	ev.sigev_notify_thread_id = -5;
	check_raw_errno("a negative tid: EINVAL",
			raw_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0), EINVAL);
}

/* ---- the alarm is the process's too --------------------------------------------------- */

static int set_alarm(void *arg)
{
	(void)arg;
	raw_syscall(SYS_alarm, 100, 0, 0, 0, 0, 0);
	return 0;
}

static void alarm_outlives_thread(void)
{
	t_spawn(2, set_alarm, NULL);
	t_join(2);
	struct itimerval v;
	getitimer(ITIMER_REAL, &v);
	check("the main thread sees the alarm an exited thread set", v.it_value.tv_sec > 90 && v.it_value.tv_sec <= 100,
	      "%ld s left", (long)v.it_value.tv_sec);
	check_eq("alarm(0) cancels it and says what was left", alarm(0), 100);
	getitimer(ITIMER_REAL, &v);
	check_eq("none left", v.it_value.tv_sec + v.it_value.tv_usec, 0);
}

/* ---- leaks: the process's timers go with its last thread ------------------------------ */

static int make_timers_and_alarm(void *arg)
{
	(void)arg;
	struct sigevent ev = signal_event(SIGEV_SIGNAL, SIGUSR1, 0);
	for (int k = 0; k < 20; k++) {
		int id;
		if (raw_syscall(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&id, 0, 0, 0) == 0)
			arm(id, 1 * MS);
	}
	raw_syscall(SYS_alarm, 100, 0, 0, 0, 0, 0);
	return 0;
}

static void processes_with_thread_timers(void)
{
	for (int round = 0; round < 20; round++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, SIGUSR1);
			sigprocmask(SIG_BLOCK, &s, NULL);
			t_spawn(0, make_timers_and_alarm, NULL);
			t_join(0);
			_exit(0); /* the timers and the alarm outlived their thread: they go now */
		}
		t_wait(pid, T_WAIT_TICKS);
	}
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	(void)argc;
	t_begin("thread_timers");
	t_group("outlives its maker", outlives_maker);
	t_group("SIGEV_THREAD_ID", thread_id_target);
	t_group("alarm", alarm_outlives_thread);
	if (on_sysgate())
		t_leak_test("20 processes whose exited thread made 20 timers and an alarm: no frame or heap byte lost",
			    processes_with_thread_timers);
	else
		t_skip("leaks", "sysgate only");
	return t_end();
}
