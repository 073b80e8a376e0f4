/* Linux x86_64 time structures and clock ids (course section: the Linux ABI). */
#ifndef ABI_TIME_H
#define ABI_TIME_H

struct timespec {
	long tv_sec;  /* time_t */
	long tv_nsec;
};

struct timeval {
	long tv_sec;
	long tv_usec;
};

/* timer_settime, timerfd_settime: first expiry, then every interval. */
struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

/* setitimer, getitimer: the same, in microseconds. */
struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

#define ITIMER_REAL 0    /* wall-clock time: SIGALRM (alarm() is this timer) */
#define ITIMER_VIRTUAL 1 /* CPU time in user mode: SIGVTALRM */
#define ITIMER_PROF 2    /* CPU time in user and kernel mode: SIGPROF (profilers) */

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

#define NSEC_PER_SEC 1000000000L

#endif
