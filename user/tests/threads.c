/*
 * Tests: threads -- clone's flags and their rules, clone3, what each flag
 * shares, identity, many threads and a lock, TLS (course section: kernel
 * architecture -- what a task is). threads2.c has signals, exit, exec and
 * fork in threads, wait, /proc and leaks.
 *
 * Threads are made with lib/threadlib.c: libc's clone(), joined as
 * pthread_join does it.
 * (test.sh: own boot -- CLONE_PARENT from init needs it to be init.)
 */
#include "lib/testlib.h"
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "lib/threadlib.h"

/* ---- the flag rules ---------------------------------------------------------------------------- */

static void test_flag_rules(void)
{
	check_raw_errno("clone CLONE_THREAD without CLONE_SIGHAND: EINVAL",
			raw_syscall(SYS_clone, CLONE_VM | CLONE_THREAD, (long)(t_stacks[0] + STACK_SIZE), 0, 0, 0, 0), EINVAL);
	check_raw_errno("clone CLONE_SIGHAND without CLONE_VM: EINVAL",
			raw_syscall(SYS_clone, CLONE_SIGHAND, (long)(t_stacks[0] + STACK_SIZE), 0, 0, 0, 0), EINVAL);
	check_raw_errno("clone CLONE_THREAD|CLONE_SIGHAND without CLONE_VM: EINVAL",
			raw_syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0, 0, 0), EINVAL);
	errno = 0;
	check_errno("libc clone with no function: EINVAL", clone(NULL, t_stacks[0], 0, NULL), EINVAL);
}

static void test_clone3_rules(void)
{
	static unsigned char buf[8192];
	struct clone_args *a = (struct clone_args *)buf;
	memset(buf, 0, sizeof(buf));
	a->exit_signal = SIGCHLD;
	check_raw_errno("clone3 size 0: EINVAL", raw_syscall(SYS_clone3, (long)a, 0, 0, 0, 0, 0), EINVAL);
	check_raw_errno("clone3 size 63: EINVAL", raw_syscall(SYS_clone3, (long)a, 63, 0, 0, 0, 0), EINVAL);
	check_raw_errno("clone3 size 4097: E2BIG", raw_syscall(SYS_clone3, (long)a, 4097, 0, 0, 0, 0), E2BIG);
	buf[100] = 1;
	check_raw_errno("clone3 non-zero byte past the known struct: E2BIG",
			raw_syscall(SYS_clone3, (long)a, 104, 0, 0, 0, 0), E2BIG);
	buf[100] = 0;
	check_raw_errno("clone3 bad pointer: EFAULT", raw_syscall(SYS_clone3, 8, 88, 0, 0, 0, 0), EFAULT);
	a->flags = SIGCHLD;
	check_raw_errno("clone3 CSIGNAL bits in flags: EINVAL", raw_syscall(SYS_clone3, (long)a, 88, 0, 0, 0, 0), EINVAL);
	a->flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	check_raw_errno("clone3 thread with an exit_signal: EINVAL",
			raw_syscall(SYS_clone3, (long)a, 88, 0, 0, 0, 0), EINVAL);
	a->flags = CLONE_THREAD | CLONE_VM;
	a->exit_signal = 0;
	check_raw_errno("clone3 CLONE_THREAD without CLONE_SIGHAND: EINVAL",
			raw_syscall(SYS_clone3, (long)a, 88, 0, 0, 0, 0), EINVAL);
	a->flags = 0;
	a->stack = (uint64_t)t_stacks[0];
	check_raw_errno("clone3 stack without stack_size: EINVAL",
			raw_syscall(SYS_clone3, (long)a, 88, 0, 0, 0, 0), EINVAL);
	a->stack = 0;
	a->exit_signal = 65;
	check_raw_errno("clone3 exit_signal 65: EINVAL", raw_syscall(SYS_clone3, (long)a, 88, 0, 0, 0, 0), EINVAL);
	a->exit_signal = SIGCHLD;
	a->flags = CLONE_SIGHAND | CLONE_CLEAR_SIGHAND | CLONE_VM;
	check_raw_errno("clone3 CLONE_SIGHAND|CLONE_CLEAR_SIGHAND: EINVAL",
			raw_syscall(SYS_clone3, (long)a, 88, 0, 0, 0, 0), EINVAL);

	/* A valid clone3 that is a fork, with a longer struct whose extra bytes are zero. */
	a->flags = 0;
	fflush(stdout);
	long pid = raw_syscall(SYS_clone3, (long)a, 200, 0, 0, 0, 0);
	if (pid == 0)
		raw_syscall(SYS_exit_group, 33, 0, 0, 0, 0, 0);
	check("clone3 as fork (size 200, zero tail) makes a child", pid > 0, "got %ld", pid);
	if (pid > 0)
		check_exited("clone3 child's exit status", t_wait((pid_t)pid, T_WAIT_TICKS), 33);
}

/* ---- what the flags share ------------------------------------------------------------------------- */

static volatile int shared_fd = -1;

static int open_and_chdir(void *arg)
{
	(void)arg;
	shared_fd = (int)raw_syscall(SYS_open, (long)"/proc/self/status", O_RDONLY, 0, 0, 0, 0);
	raw_syscall(SYS_chdir, (long)"/proc", 0, 0, 0, 0, 0);
	raw_syscall(SYS_umask, 077, 0, 0, 0, 0, 0);
	return 0;
}

static void install_usr1(int sig)
{
	(void)sig;
}

static int set_handler(void *arg)
{
	(void)arg;
	struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } act = { (void *)install_usr1, 0, 0, 0 };
	raw_syscall(SYS_rt_sigaction, SIGUSR2, (long)&act, 0, 8, 0, 0);
	return 0;
}

static int report_parent(void *arg);

static void parent_of_sibling(long unused)
{
	(void)unused;
	/* CLONE_PARENT: the new process is our sibling; its getppid is our parent's pid. */
	static long seen_ppid;
	int tid = 0;
	int r = clone(report_parent, t_stacks[2] + STACK_SIZE, CLONE_PARENT | CLONE_VM | CLONE_VFORK | SIGCHLD,
		      &seen_ppid, &tid, NULL, &tid);
	_exit(r > 0 && seen_ppid == getppid() ? 0 : 1);
}

static volatile long thread_altstack_flags, thread_nofile;
static volatile int state_go;

static int look_at_own_state(void *arg)
{
	(void)arg;
	stack_t ss;
	raw_syscall(SYS_sigaltstack, 0, (long)&ss, 0, 0, 0, 0);
	thread_altstack_flags = ss.ss_flags;
	/* Wait for the main thread's setrlimit, then read ours. */
	while (!__atomic_load_n(&state_go, __ATOMIC_SEQ_CST))
		raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	unsigned long lim[2];
	raw_syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)lim, 0, 0);
	thread_nofile = (long)lim[0];
	return 0;
}

static void per_thread_state(void)
{
	static char alt[16384];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0 };
	sigaltstack(&ss, NULL);
	state_go = 0;
	t_spawn(0, look_at_own_state, NULL);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 100;
	setrlimit(RLIMIT_NOFILE, &rl);
	__atomic_store_n(&state_go, 1, __ATOMIC_SEQ_CST);
	t_join(0);
	check_eq("a new thread has no alternate signal stack (its own, none yet)", thread_altstack_flags, SS_DISABLE);
	check_eq("setrlimit in one thread is the process's: another thread sees it", thread_nofile, 100);
}

static void test_sharing(void)
{
	per_thread_state();
	char cwd[256];
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	mode_t old_mask = umask(022);
	int tid = clone(open_and_chdir, t_stacks[0] + STACK_SIZE, THREAD_FLAGS, NULL, &t_tids[0], NULL, &t_tids[0]);
	t_join(0);
	check("CLONE_FILES: a descriptor the thread opened is ours", tid > 0 && fcntl(shared_fd, F_GETFD) >= 0,
	      "fd %d", shared_fd);
	close(shared_fd);
	char now[256];
	check("CLONE_FS: the thread's chdir moved us too", getcwd(now, sizeof(now)) && !strcmp(now, "/proc"), "in %s", now);
	check_eq("CLONE_FS: and its umask is ours", umask(old_mask), 077);
	chdir(cwd);

	/* Without CLONE_FILES/CLONE_FS, a process child's changes stay its own. */
	shared_fd = -1;
	fflush(stdout);
	long pid = raw_syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0) {
		open_and_chdir(NULL);
		raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	t_wait((pid_t)pid, T_WAIT_TICKS);
	check("without CLONE_FS: the child's chdir is its own", getcwd(now, sizeof(now)) && !strcmp(now, cwd), "in %s", now);

	/* CLONE_SIGHAND without CLONE_THREAD: another process with our signal actions. */
	signal(SIGUSR2, SIG_DFL);
	clone(set_handler, t_stacks[1] + STACK_SIZE, CLONE_VM | CLONE_SIGHAND, NULL);
	struct sigaction sa;
	for (int i = 0; i < 1000; i++) {
		sigaction(SIGUSR2, NULL, &sa);
		if (sa.sa_handler == install_usr1)
			break;
		sched_yield();
	}
	check("CLONE_SIGHAND: the other process's sigaction is ours", sa.sa_handler == install_usr1, "not seen");
	waitpid(-1, NULL, __WALL_FLAG);
	signal(SIGUSR2, SIG_DFL);

	check_exited("CLONE_PARENT: the new process is our sibling", run_child(parent_of_sibling, 0), 0);
	while (waitpid(-1, NULL, WNOHANG | __WALL_FLAG) > 0)
		; /* the sibling: our child */
}

/* ---- identity ------------------------------------------------------------------------------------ */

struct ids {
	long pid, tid, ppid, settid_seen;
	int *child_word;
};

static int report_ids(void *arg)
{
	struct ids *ids = arg;
	ids->pid = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
	ids->tid = raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
	ids->ppid = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	ids->settid_seen = __atomic_load_n(ids->child_word, __ATOMIC_SEQ_CST);
	return 0;
}

static int report_parent(void *arg)
{
	*(long *)arg = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	return 0;
}

static void test_identity(void)
{
	struct ids ids = { 0 };
	ids.child_word = &t_tids[0];
	int tid = clone(report_ids, t_stacks[0] + STACK_SIZE, THREAD_FLAGS | CLONE_CHILD_SETTID, &ids, &t_tids[0], NULL,
			&t_tids[0]);
	check("clone of a thread returns its tid", tid > 0 && tid != getpid(), "got %d", tid);
	t_join(0);
	check_eq("getpid in the thread is the process's", ids.pid, getpid());
	check_eq("gettid in the thread is clone's answer", ids.tid, tid);
	check_eq("getppid in the thread is the process's parent", ids.ppid, getppid());
	check_eq("CLONE_CHILD_SETTID wrote the tid before the thread ran", ids.settid_seen, tid);
	check_eq("CLONE_CHILD_CLEARTID zeroed the word at exit", t_tids[0], 0);
	check_eq("gettid of the main thread is its pid", raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0), getpid());
}

/* ---- many threads, a lock ------------------------------------------------------------------------ */

static long shared_counter;
static int lock_word; /* 0 free, 1 held, 2 held with waiters */

static void lock(void)
{
	int c = 0;
	if (__atomic_compare_exchange_n(&lock_word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		t_futex(&lock_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2);
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(void)
{
	if (__atomic_exchange_n(&lock_word, 0, __ATOMIC_RELEASE) == 2)
		t_futex(&lock_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
}

static int add_one(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&shared_counter, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int add_locked(void *arg)
{
	long n = (long)arg;
	for (long i = 0; i < n; i++) {
		lock();
		long v = shared_counter;
		if (i % 64 == 0)
			raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0); /* invite a race the lock must stop */
		shared_counter = v + 1;
		unlock();
	}
	return 0;
}

static void test_many(void)
{
	shared_counter = 0;
	int made = 0;
	for (int i = 0; i < MAX_THREADS; i++)
		made += t_spawn(i, add_one, NULL) > 0;
	for (int i = 0; i < MAX_THREADS; i++)
		t_join(i);
	check_eq("64 threads created", made, MAX_THREADS);
	check_eq("64 threads joined, each added one", shared_counter, MAX_THREADS);

	shared_counter = 0;
	for (int i = 0; i < 8; i++)
		t_spawn(i, add_locked, (void *)2000L);
	for (int i = 0; i < 8; i++)
		t_join(i);
	check_eq("a futex mutex across 8 threads: no update lost", shared_counter, 8 * 2000);
}

/* ---- TLS --------------------------------------------------------------------------------------------- */

struct tls_block {
	struct tls_block *self; /* %fs:0 points to itself, as the x86_64 TLS ABI has it */
	long value;
};

static struct tls_block blocks[4];
static long seen[4];

static int read_tls(void *arg)
{
	long slot = (long)arg, v;
	__asm__ volatile("mov %%fs:8, %0" : "=r"(v));
	seen[slot] = v;
	return 0;
}

static void test_tls(void)
{
	for (long i = 0; i < 4; i++) {
		blocks[i].self = &blocks[i];
		blocks[i].value = 1000 + i;
		clone(read_tls, t_stacks[i] + STACK_SIZE, THREAD_FLAGS | CLONE_SETTLS, (void *)i, &t_tids[i], &blocks[i],
		      &t_tids[i]);
	}
	for (int i = 0; i < 4; i++)
		t_join(i);
	int ok = 1;
	for (int i = 0; i < 4; i++)
		ok &= seen[i] == 1000 + i;
	check("CLONE_SETTLS: each thread reads its own %fs block", ok, "saw %ld %ld %ld %ld", seen[0], seen[1], seen[2],
	      seen[3]);
}

int main(int argc, char **argv)
{
	(void)argc;
	t_set_self(argv);
	t_begin("threads");
	/* Here, not in a group: on sysgate this process is init. */
	if (on_sysgate() && getpid() == 1)
		check_raw_errno("CLONE_PARENT from init: EINVAL (init has no parent to reap a sibling)",
				raw_syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, 0), EINVAL);
	else
		t_skip("CLONE_PARENT from init: EINVAL", "this test is not init here");
	t_group("flag rules", test_flag_rules);
	t_group("clone3 rules", test_clone3_rules);
	t_group("identity", test_identity);
	t_group("sharing", test_sharing);
	t_group("many threads", test_many);
	t_group("tls", test_tls);
	return t_end();
}
