/*
 * shm: what the files of the shm test (course section: shared memory;  bad-input catalogue "SysV
 * shared memory" 25-27) share: its constants, types, and the functions each file defines for the
 * others. main.c says what the test covers and runs every part.
 */
#ifndef SHM_TEST_H
#define SHM_TEST_H

#include <fcntl.h>
#include <futex_sync.h>
#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#define MAX_NOTED 600

#define PAGE 4096UL

/* ---- robust futexes -------------------------------------------------------------------------------------------- */

/* Linux's robust list, as a C library keeps it (see kernel/ipc/futex_robust.c). */
struct robust_entry {
	struct robust_entry *next;
};
struct robust_head {
	struct robust_entry list;
	long futex_offset;
	struct robust_entry *list_op_pending;
};

/* A lock in shared memory: a list entry, then the lock word. */
struct robust_lock {
	struct robust_entry entry;
	uint32_t word;
};

/* libc's robust_mutex: correct under contention, and EOWNERDEAD for the
 * next locker when its owner dies holding it. */
struct robust_shared {
	struct robust_mutex m;
	long counter;
};
/* ---- the process-shared mutex, condition variable and ring ------------------------------------ */

struct counter {
	struct shared_mutex lock;
	struct shared_cond turn_changed;
	int turn;
	long count;
};
struct noted {
	int count;
	int ids[MAX_NOTED];
	long ring_gets, ring_wrong, ring_left; /* the ring consumer's findings */
};

extern const char *self_path;
extern struct noted *noted;

void test_shmget_private(void);
void test_shmget_keys(void);
void test_shmmni(void);
void test_shmat_basics(void);
void test_shmat_addresses(void);
void test_shmat_rdonly(void);
void test_split_attachment(void);
void test_shmctl(void);
void test_rmid_attached(void);
void test_fork_sharing(void);
int report_nattch(const char *idtext);
void test_exec_detaches(void);
void test_futex_errors(void);
void sleep_on(uint32_t *word, int private_flag);
pid_t sleeper(uint32_t *word, int private_flag);
int three_sleepers(uint32_t *word, pid_t kids[3]);
int reap_woken(const pid_t kids[3]);
void test_futex_wake_counts(void);
void test_futex_requeue(void);
void robust_owner(struct robust_lock *lock, int ready, int go);
void robust_waiter(struct robust_lock *lock);
void test_robust(void);
void robust_adder(struct robust_shared *s, int rounds);
void robust_dier(struct robust_shared *s, int ready);
void test_robust_mutex(void);
void on_usr1(int sig);
void test_futex_private(void);
void test_futex_across_addresses(void);
void add_many(struct counter *c);
void test_mutex(void);
void take_turns(struct counter *c, int me);
void test_cond(void);
struct shared_ring *attach_ring(int id);
void produce(long id);
void consume(long id);
pid_t start_child(void (*fn)(long), long arg);
void init_ring(long id);
void test_ring(void);
void test_posix_shm(void);
void churn(void);
void test_leaks(void);
void note_id(int id);
void remove_noted(void);
int new_segment(size_t size);
key_t key_for(int n);
int shmget_noted(key_t key, size_t size, int flags);
long nattch(int id);
void touch_write(long addr);
void touch_read(long addr);
void *shared_page(size_t len);
void group(const char *name, void (*fn)(void));
void warm_up(void);

#endif
