/*
 * events: what the files of the events test (course section:  eventfd communication; the
 * integrated event system) share: its constants, types, and the functions each file defines for
 * the others. main.c says what the test covers and runs every part.
 */
#ifndef EVENTS_TEST_H
#define EVENTS_TEST_H

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define EVENTFD_MAX 0xfffffffffffffffeull
#define KERNEL_ADDR 0xffffffff80000000UL

/* ---- one wake-up path ---------------------------------------------------------------------- */

enum sleeper { BY_READ, BY_POLL, BY_EPOLL };

void test_eventfd_create(void);
int open_after_exec(int fd);
void test_cloexec_on_exec(void);
void test_eventfd_counter(void);
void test_eventfd_semaphore(void);
void test_eventfd_fork(void);
void test_eventfd_overflow_blocks(void);
void test_eventfd_eintr(void);
void test_ping_pong(void);
void test_poll_events(void);
void test_poll_timeouts(void);
void test_poll_errors(void);
void check_mask_lets_signal_in(const char *call, int (*wait_with_mask)(const sigset_t *mask));
int ppoll_with_mask(const sigset_t *mask);
int pselect_with_mask(const sigset_t *mask);
void test_ppoll(void);
void sigio_to_group(long unused);
void test_sigio(void);
void test_select(void);
int sleep_on(int fd, enum sleeper how);
void test_one_wakeup_path(void);
struct itimerspec timer_ms(long value_ms, long interval_ms);
int is_disarmed(const struct itimerspec *its);
void test_timerfd_create(void);
void test_timerfd_errors(void);
void test_timerfd_one_shot(void);
void test_timerfd_periodic(void);
void test_timerfd_abstime_on(clockid_t clock, const char *clock_name);
void test_timerfd_clocks(void);
sigset_t usr_signals(void);
int is_pending(int sig);
void test_signalfd_errors(void);
void test_signalfd_read(void);
void test_signalfd_blocking(void);
uint64_t now_ns(clockid_t clock);
int poll_now(int fd, short events);

#endif
