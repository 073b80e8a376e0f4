/*
 * signals2: what the files of the signals2 test (course section: signals) share: its constants,
 * types, and the functions each file defines for the others. main.c says what the test covers and
 * runs every part.
 */
#ifndef SIGNALS2_TEST_H
#define SIGNALS2_TEST_H

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

#include "testlib.h"

#define WAIT_TRIES 1500	/* about 15 s of 10 ms naps */

/* ---- exec ---------------------------------------------------------------------------------- */

enum exec_bits { EX_HANDLER = 1, EX_IGNORED = 2, EX_MASK = 4, EX_PENDING = 8, EX_ALTSTACK = 16, EX_ALARM = 32 };
/* ---- interrupted calls: EINTR or restart -------------------------------------------------------------- */

enum blocking_call { CALL_PIPE_READ, CALL_WAIT4, CALL_NANOSLEEP, CALL_PAUSE, CALL_SIGSUSPEND, CALL_CONSOLE_READ };

static const char *const call_names[] = { "pipe read", "wait4", "nanosleep", "pause", "sigsuspend", "console read" };

extern char alt_mem[SIGSTKSZ];
extern volatile sigset_t handler_uc_mask;
extern int gate[2];
extern volatile sig_atomic_t got, got_sig;
extern volatile int got_code, got_pid, got_status;
extern int notify_fd;

void forked_child_state(long arg);
void group_fork(void);
int exec_helper(void);
void exec_self(long arg);
void test_exec(void);
void await_usr1(int ready_fd, int out_fd);
void group_kill_pgrp(void);
void kill_everyone(long arg);
void test_kill_everyone(void);
void group_ping_pong(void);
void mask_recording_handler(int sig, siginfo_t *info, void *ctx);
void group_sigsuspend(void);
void pause_until_alarm(long arg);
void group_alarm(void);
long cpu_ms_now(void);
int spin_until_signals(int want);
void itimer_not_inherited(long unused);
void group_itimers(void);
void wait_for_usr1_info(long arg);
void group_sigtimedwait(void);
void interrupted_call(int call, unsigned long flags);
void expect_eintr(int call, unsigned long flags);
void restarted_read(int note_wr);
void restarted_wait4(int note_wr);
void expect_restart(const char *name, void (*child_fn)(int));
void restart_with_nothing(long arg);
void stopped_poll(int fd, int how);
void test_stopped_polls(void);
void stopped_sleep(long arg);
void test_interrupted_calls(void);
void write_to_closed_pipe(long how);
void test_sigpipe(void);
void sleep_forever(void);
int next_sigchld(siginfo_t *info);
void group_sigchld(void);
void group_sigchld_ignored(void);
void group_stop_continue(void);
int run_quietly(char *const argv[]);
void kill_command_reaches(const char *what, char *sig_arg, char *sig_arg2);
void test_kill_command(void);
void test_foreground_group(void);
void counting_handler(int sig);
void info_handler(int sig, siginfo_t *info, void *ctx);
void install(int sig, void (*fn)(int), unsigned long flags);
void install_info(int sig, unsigned long flags);
sigset_t one(int sig);
void block(int sig);
int wait_opts(pid_t pid, int options);
int read_byte(int fd);
int byte_ready(int fd);
int signal_until_exit(pid_t pid, int sig);

#endif
