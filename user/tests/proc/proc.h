/*
 * proc: what the files of the proc test (course section: processes;  bad-input catalogue
 * "Processes") share: its constants, types, and the functions each file defines for the others.
 * main.c says what the test covers and runs every part.
 */
#ifndef PROC_TEST_H
#define PROC_TEST_H

#include <abi/elf.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define NEST_FD 20	/* where every level finds the report pipe */

struct nest_report {
	int depth;	/* how many levels ran */
	int err;	/* why the next one did not: 0 if the cap was reached */
};

extern char dir[64];
extern int cow_data;
extern int cow_bss;

int nest_report(int depth, int err);
int helper_nest(char **argv);
int helper(int argc, char **argv);
int run_capture(char *const argv[], char *const envp[], char *out, size_t size);
int exec_errno(const char *path, char *const argv[], char *const envp[]);
void check_exec_errno(const char *name, const char *path, char *const argv[], int want);
pid_t child_waiting_on(int rfd, int wfd, int code);
int write_file(const char *path, const void *data, size_t len, mode_t mode);
void exit_with(long code);
void test_exit_status(void);
void test_killed(void);
void test_wait_basics(void);
void check_waitid(const char *name, idtype_t type, id_t id, int options, pid_t pid, int code, int status);
void stop_self(long rfd);
void test_waitid(void);
void test_wait_pgrp(void);
void test_parents(void);
void test_orphan(void);
void test_zombie(void);
void test_exec_ok(void);
void make_bad_elfs(void);
int exec_status(const char *path, char *const argv[]);
void test_exec_errors(void);
void test_exec_efault(void);
void efault_loop(long n);
void test_exec_efault_loop(void);
void test_e2big(void);
void test_exec_fds(void);
void test_exec_chain(void);
void test_nested_spawn(void);
void test_cow(void);
void spin_forever(long unused);
void test_spinners(void);
void spin(long n);
long calibrate_unit(void);
void worker(int id, int start_fd, int out_fd, long unit);
void test_fairness(void);
long fork_until_failure(long cap, int *err, long *reaped);
void test_fork_bomb(void);
pid_t raw_vfork(void) __attribute__((returns_twice));
void test_vfork(void);
int helper_fds(int argc, char **argv);

#endif
