/*
 * threadlib: threads for the tests, without a thread library (course
 * section: kernel architecture -- what a task is).
 *
 * t_spawn starts fn(arg) as a thread of this process with libc's clone()
 * (libc/clone.c) on one of MAX_THREADS static stacks; t_join waits the way
 * pthread_join does: until CLONE_CHILD_CLEARTID zeroes the slot's tid word
 * at the thread's exit and futex-wakes it. Thread code calls only raw
 * syscalls: this libc's errno and stdio are not per thread.
 */
#ifndef THREADLIB_H
#define THREADLIB_H

#include <sched.h>
#include <stddef.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define THREAD_FLAGS                                                                              \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |          \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
#define STACK_SIZE (16 * 1024)
#define MAX_THREADS 64
#define __WCLONE_FLAG 0x80000000
#define __WALL_FLAG 0x40000000

extern char t_stacks[MAX_THREADS][STACK_SIZE];
extern int t_tids[MAX_THREADS]; /* CLONE_CHILD_CLEARTID words */

long t_futex(int *word, int op, int val);
/* The new thread's tid, or -1. */
int t_spawn(int slot, int (*fn)(void *), void *arg);
void t_join(int slot);
/* A small file, NUL-terminated; its length or -1. */
long t_read_file(const char *path, char *buf, size_t size);

#endif
