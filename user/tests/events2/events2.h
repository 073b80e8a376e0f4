/*
 * events2: what the files of the events2 test (course section: the integrated event system) share:
 * its constants, types, and the functions each file defines for the others. main.c says what the
 * test covers and runs every part.
 */
#ifndef EVENTS2_TEST_H
#define EVENTS2_TEST_H

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define KERNEL_ADDR 0xffffffff80000000UL
#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))

void test_create(void);
void test_ctl_errors(void);
void test_nesting_depth(void);
void test_wait_errors(void);
void test_wait_timeouts(void);
void test_level_triggered(void);
void test_edge_triggered(void);
void test_oneshot(void);
void test_fair_turns(void);
void test_pipe_and_timer(void);
void test_signalfd_in_epoll(void);
void test_nested(void);
void test_close_removes(void);
void test_set_outlives_signalfd_owner(void);
void test_thousand(void);
void test_epoll_ping_pong(void);
void make_and_close_event_files(int rounds);
void test_leaks(void);
uint64_t now_ns(void);
int add(int ep, int fd, uint32_t events, uint64_t data);
int mod(int ep, int fd, uint32_t events, uint64_t data);
long ready_data(int ep);
long ready_events(int ep);

#endif
