/*
 * Tests: threads -- clone's flags and their rules, clone3, thread groups,
 * signals per thread, exec and fork in a thread (course section: kernel
 * architecture -- what a task is).
 *
 * Threads are made with libc's clone() (libc/clone.c) and joined the way
 * pthread_join does it: CLONE_CHILD_CLEARTID zeroes a word at the
 * thread's exit and futex-wakes it. Thread code here calls only raw
 * syscalls: this libc's errno and stdio are not per thread.
 */
#include "lib/testlib.h"
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

static char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static int tids[MAX_THREADS]; /* CLONE_CHILD_CLEARTID words */

static long read_file(const char *path, char *buf, size_t size);

static long futex(int *word, int op, int val)
{
	return raw_syscall(SYS_futex, (long)word, op, val, 0, 0, 0);
}

static int spawn(int slot, int (*fn)(void *), void *arg)
{
	return clone(fn, stacks[slot] + STACK_SIZE, THREAD_FLAGS, arg, &tids[slot], NULL, &tids[slot]);
}

/* pthread_join's wait: until the kernel zeroes the tid word. */
static void join(int slot)
{
	int tid;
	while ((tid = __atomic_load_n(&tids[slot], __ATOMIC_SEQ_CST)) != 0)
		futex(&tids[slot], FUTEX_WAIT, tid);
}

/* ---- the flag rules ---------------------------------------------------------------------------- */

static void test_flag_rules(void)
{
	check_raw_errno("clone CLONE_THREAD without CLONE_SIGHAND: EINVAL",
			raw_syscall(SYS_clone, CLONE_VM | CLONE_THREAD, (long)(stacks[0] + STACK_SIZE), 0, 0, 0, 0), EINVAL);
	check_raw_errno("clone CLONE_SIGHAND without CLONE_VM: EINVAL",
			raw_syscall(SYS_clone, CLONE_SIGHAND, (long)(stacks[0] + STACK_SIZE), 0, 0, 0, 0), EINVAL);
	check_raw_errno("clone CLONE_THREAD|CLONE_SIGHAND without CLONE_VM: EINVAL",
			raw_syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0, 0, 0), EINVAL);
	errno = 0;
	check_errno("libc clone with no function: EINVAL", clone(NULL, stacks[0], 0, NULL), EINVAL);
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
	a->stack = (uint64_t)stacks[0];
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

static void test_identity(void)
{
	struct ids ids = { 0 };
	ids.child_word = &tids[0];
	int tid = clone(report_ids, stacks[0] + STACK_SIZE, THREAD_FLAGS | CLONE_CHILD_SETTID, &ids, &tids[0], NULL,
			&tids[0]);
	check("clone of a thread returns its tid", tid > 0 && tid != getpid(), "got %d", tid);
	join(0);
	check_eq("getpid in the thread is the process's", ids.pid, getpid());
	check_eq("gettid in the thread is clone's answer", ids.tid, tid);
	check_eq("getppid in the thread is the process's parent", ids.ppid, getppid());
	check_eq("CLONE_CHILD_SETTID wrote the tid before the thread ran", ids.settid_seen, tid);
	check_eq("CLONE_CHILD_CLEARTID zeroed the word at exit", tids[0], 0);
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
		futex(&lock_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2);
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(void)
{
	if (__atomic_exchange_n(&lock_word, 0, __ATOMIC_RELEASE) == 2)
		futex(&lock_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
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
		made += spawn(i, add_one, NULL) > 0;
	for (int i = 0; i < MAX_THREADS; i++)
		join(i);
	check_eq("64 threads created", made, MAX_THREADS);
	check_eq("64 threads joined, each added one", shared_counter, MAX_THREADS);

	shared_counter = 0;
	for (int i = 0; i < 8; i++)
		spawn(i, add_locked, (void *)2000L);
	for (int i = 0; i < 8; i++)
		join(i);
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
		clone(read_tls, stacks[i] + STACK_SIZE, THREAD_FLAGS | CLONE_SETTLS, (void *)i, &tids[i], &blocks[i],
		      &tids[i]);
	}
	for (int i = 0; i < 4; i++)
		join(i);
	int ok = 1;
	for (int i = 0; i < 4; i++)
		ok &= seen[i] == 1000 + i;
	check("CLONE_SETTLS: each thread reads its own %fs block", ok, "saw %ld %ld %ld %ld", seen[0], seen[1], seen[2],
	      seen[3]);
}

/* ---- signals per thread -------------------------------------------------------------------------- */

static volatile long handled_by;
static volatile int thread_ready, thread_stop;

static void note_tid(int sig)
{
	(void)sig;
	handled_by = raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
}

static int spin_until_stopped(void *arg)
{
	(void)arg;
	__atomic_store_n(&thread_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&thread_stop, __ATOMIC_SEQ_CST))
		raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	return 0;
}

static int start_spinner(int slot)
{
	thread_ready = thread_stop = 0;
	int tid = spawn(slot, spin_until_stopped, NULL);
	while (!__atomic_load_n(&thread_ready, __ATOMIC_SEQ_CST))
		sched_yield();
	return tid;
}

static void stop_spinner(int slot)
{
	__atomic_store_n(&thread_stop, 1, __ATOMIC_SEQ_CST);
	join(slot);
}

static void test_thread_signals(void)
{
	signal(SIGUSR1, note_tid);
	int tid = start_spinner(0);
	handled_by = 0;
	raw_syscall(SYS_tgkill, getpid(), tid, SIGUSR1, 0, 0, 0);
	while (!handled_by)
		sched_yield();
	check_eq("tgkill: the named thread runs the handler", handled_by, tid);

	/* A process-directed signal goes to a thread that does not block it. */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL); /* this thread only */
	handled_by = 0;
	kill(getpid(), SIGUSR1);
	while (!handled_by)
		sched_yield();
	check_eq("kill: a thread that does not block the signal takes it", handled_by, tid);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	stop_spinner(0);

	check_raw_errno("tgkill with the wrong tgid: ESRCH", raw_syscall(SYS_tgkill, getpid() + 100000, getpid(), 0, 0, 0, 0),
			ESRCH);
	check_raw_errno("tgkill tid 0: EINVAL", raw_syscall(SYS_tgkill, getpid(), 0, SIGUSR1, 0, 0, 0), EINVAL);
	check_raw_errno("tkill tid -1: EINVAL", raw_syscall(SYS_tkill, -1, SIGUSR1, 0, 0, 0, 0), EINVAL);
}

/* ---- exit and exit_group ------------------------------------------------------------------------- */

static int pipe_fds[2];

static int exit_group_7(void *arg)
{
	(void)arg;
	raw_syscall(SYS_exit_group, 7, 0, 0, 0, 0, 0);
	return 0;
}

/* The main thread blocks in read while another thread ends the process. */
static void exit_group_from_thread(long unused)
{
	(void)unused;
	char c;
	int p[2];
	if (pipe(p) != 0)
		_exit(90);
	spawn(0, exit_group_7, NULL);
	read(p[0], &c, 1);
	_exit(91);
}

static int late_exit(void *arg)
{
	(void)arg;
	/* The leader has exited: we still run, and the process is not reported yet. */
	while (raw_syscall(SYS_kill, raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), 0, 0, 0, 0, 0) != 0)
		;
	for (int i = 0; i < 20; i++)
		raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	raw_syscall(SYS_write, pipe_fds[1], (long)"x", 1, 0, 0, 0);
	raw_syscall(SYS_exit, 9, 0, 0, 0, 0, 0);
	return 0;
}

static void leader_exits_first(long unused)
{
	(void)unused;
	close(pipe_fds[0]);
	spawn(0, late_exit, NULL);
	raw_syscall(SYS_exit, 3, 0, 0, 0, 0, 0); /* this thread only */
}

static void test_exits(void)
{
	check_exited("exit_group in a thread while the main thread reads: the process's status",
		     run_child(exit_group_from_thread, 0), 7);
	if (pipe(pipe_fds) != 0)
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		leader_exits_first(0);
		_exit(99);
	}
	close(pipe_fds[1]);
	char c = 0;
	long n = read(pipe_fds[0], &c, 1);
	check("the leader exited, the other thread still runs and writes", n == 1 && c == 'x', "read %ld", n);
	close(pipe_fds[0]);
	check_exited("the process is reported after its last thread, with that thread's status",
		     t_wait(pid, T_WAIT_TICKS), 9);
}

/* A thread whose stack is not mapped faults at its first instruction
 * that uses it: SIGSEGV, and the whole process dies of it. */
static void bad_stack_thread(long unused)
{
	(void)unused;
	char c;
	int p[2];
	if (pipe(p) != 0)
		_exit(90);
	clone(add_one, (void *)0x10000, THREAD_FLAGS, NULL, &tids[0], NULL, &tids[0]);
	read(p[0], &c, 1); /* the main thread waits forever: the fault ends it too */
	_exit(91);
}

static int spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	return 0;
}

/* A process of two spinning threads; its leader exits first if asked. */
static pid_t start_two_spinners(int leader_exits)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		spawn(0, spin_forever, NULL);
		if (leader_exits)
			raw_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
		spin_forever(NULL);
	}
	return pid;
}

static void test_group_signals(void)
{
	check_signaled("a thread on an unmapped stack: SIGSEGV ends the process", run_child(bad_stack_thread, 0),
		       SIGSEGV);

	pid_t pid = start_two_spinners(0);
	int status = 0;
	kill(pid, SIGSTOP);
	check_eq("SIGSTOP: the process is reported stopped once", waitpid(pid, &status, WUNTRACED), pid);
	check("with SIGSTOP", WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "got %s", status_text(status));
	int all_stopped = 1;
	for (int i = 0; i < 200; i++) {
		static char buf[512];
		all_stopped = 1;
		DIR *d = opendir(cname("/proc/%d/task", pid));
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				all_stopped &= read_file(cname("/proc/%d/task/%s/stat", pid, e->d_name), buf, sizeof(buf)) > 0 &&
						strstr(buf, ") T ") != NULL;
		if (d)
			closedir(d);
		if (all_stopped)
			break;
		t_nap(10);
	}
	check("every thread of it stops", all_stopped, "one still runs");
	kill(pid, SIGCONT);
	check_eq("SIGCONT: reported continued", waitpid(pid, &status, WCONTINUED), pid);
	check("as continued", WIFCONTINUED(status), "got %s", status_text(status));
	kill(pid, SIGKILL);
	check_signaled("SIGKILL ends both threads", t_wait(pid, T_WAIT_TICKS), SIGKILL);

	pid = start_two_spinners(1);
	t_wait_for_state(pid, 'Z'); /* the leader is a zombie; its thread spins on */
	check_eq("the process is not reported while a thread lives", waitpid(pid, &status, WNOHANG), 0);
	check_ok("kill reaches a process whose leader exited", kill(pid, SIGTERM));
	check_signaled("and its last thread dies of it", t_wait(pid, T_WAIT_TICKS), SIGTERM);
}

/* ---- exec and fork in a thread ------------------------------------------------------------------- */

static char pid_arg[16];
static const char *exec_argv[4];

static int exec_self(void *arg)
{
	(void)arg;
	raw_syscall(SYS_execve, (long)t_self(), (long)exec_argv, (long)(const char *[]){ NULL }, 0, 0, 0);
	raw_syscall(SYS_exit_group, 80, 0, 0, 0, 0, 0);
	return 0;
}

static void exec_from_thread(long unused)
{
	(void)unused;
	snprintf(pid_arg, sizeof(pid_arg), "%d", getpid());
	exec_argv[0] = t_self();
	exec_argv[1] = "--exec-check";
	exec_argv[2] = pid_arg;
	spawn(1, exec_self, NULL);
	for (;;)
		pause(); /* ended by the exec */
}

static volatile long forked_status;

static int fork_in_thread(void *arg)
{
	(void)arg;
	long pid = raw_syscall(SYS_fork, 0, 0, 0, 0, 0, 0);
	if (pid == 0) {
		/* The child is a copy of this thread only: its pid is its tid. */
		long ok = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0) == raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
		raw_syscall(SYS_exit_group, ok ? 11 : 12, 0, 0, 0, 0, 0);
	}
	int status = 0;
	raw_syscall(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
	forked_status = status;
	return 0;
}

static void test_exec_fork(void)
{
	check_exited("exec from a non-leader thread: the new program has the process id",
		     run_child(exec_from_thread, 0), 42);
	forked_status = -1;
	spawn(0, fork_in_thread, NULL);
	join(0);
	check_exited("fork in a thread: the child runs alone, the thread reaps it", (int)forked_status, 11);
}

/* ---- wait and clone children --------------------------------------------------------------------- */

static void test_wclone(void)
{
	fflush(stdout);
	long pid = raw_syscall(SYS_clone, 0 /* no exit signal */, 0, 0, 0, 0, 0);
	if (pid == 0)
		raw_syscall(SYS_exit_group, 4, 0, 0, 0, 0, 0);
	int status = 0;
	check_errno("wait4 without __WCLONE ignores a clone child", waitpid((pid_t)pid, &status, 0), ECHILD);
	check_eq("wait4 __WCLONE reaps it", waitpid((pid_t)pid, &status, __WCLONE_FLAG), pid);
	check_exited("its status", status, 4);
	pid = raw_syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0)
		raw_syscall(SYS_exit_group, 5, 0, 0, 0, 0, 0);
	check_errno("wait4 __WCLONE ignores an ordinary child", waitpid((pid_t)pid, &status, __WCLONE_FLAG), ECHILD);
	check_eq("wait4 __WALL reaps it", waitpid((pid_t)pid, &status, __WALL_FLAG), pid);
}

/* ---- CPU time ----------------------------------------------------------------------------------- */

struct rusage_raw {
	long utime_sec, utime_usec, stime_sec, stime_usec, rest[14];
};

static long usage_us(int who)
{
	struct rusage_raw ru;
	if (raw_syscall(SYS_getrusage, who, (long)&ru, 0, 0, 0, 0) != 0)
		return -1;
	return (ru.utime_sec + ru.stime_sec) * 1000000 + ru.utime_usec + ru.stime_usec;
}

static volatile long burned_us;

static int burn_cpu(void *arg)
{
	(void)arg;
	long us;
	while ((us = usage_us(1 /* RUSAGE_THREAD */)) < 20000)
		;
	burned_us = us;
	return 0;
}

static void test_cpu_time(void)
{
	long main_before = usage_us(1);
	spawn(0, burn_cpu, NULL);
	join(0);
	check("a thread's RUSAGE_THREAD counts its own CPU time", burned_us >= 20000, "got %ld us", burned_us);
	check("RUSAGE_SELF counts the gone thread's time too", usage_us(0) >= burned_us + main_before,
	      "self %ld, thread %ld", usage_us(0), burned_us);
	check_raw_errno("getrusage who 2: EINVAL", raw_syscall(SYS_getrusage, 2, (long)&burned_us, 0, 0, 0, 0), EINVAL);
}

/* ---- /proc ----------------------------------------------------------------------------------------- */

static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static void test_proc(void)
{
	static char buf[4096];
	int tid = start_spinner(0);
	read_file("/proc/self/status", buf, sizeof(buf));
	check("/proc/self/status says Threads: 2", strstr(buf, "\nThreads:\t2\n") != NULL, "got %s", buf);
	char want[64];
	snprintf(want, sizeof(want), "\nTgid:\t%d\n", getpid());
	check("/proc/self/status has the Tgid line", strstr(buf, want) != NULL, "got %s", buf);
	long n = read_file(cname("/proc/self/task/%d/stat", tid), buf, sizeof(buf));
	check("/proc/self/task/TID/stat starts with the tid", n > 0 && atoi(buf) == tid, "got %s", buf);
	read_file(cname("/proc/self/task/%d/status", tid), buf, sizeof(buf));
	snprintf(want, sizeof(want), "\nPid:\t%d\n", tid);
	check("/proc/self/task/TID/status: Pid is the tid", strstr(buf, want) != NULL, "got %s", buf);
	n = read_file(cname("/proc/self/task/%d/comm", tid), buf, sizeof(buf));
	check("/proc/self/task/TID/comm is the program's name", n > 1 && buf[n - 1] == '\n', "got %s", buf);
	n = read_file("/proc/thread-self/stat", buf, sizeof(buf));
	check("/proc/thread-self is the reader's task directory", n > 0 && atoi(buf) == getpid(), "got %s", buf);
	n = read_file(cname("/proc/self/task/%d/stat", getpid()), buf, sizeof(buf));
	check("the leader is /proc/self/task/PID", n > 0 && atoi(buf) == getpid(), "got %s", buf);
	stop_spinner(0);
	for (int i = 0; i < 100 && read_file(cname("/proc/self/task/%d/stat", tid), buf, sizeof(buf)) > 0; i++)
		sched_yield();
	check_errno("a joined thread's directory is gone", open(cname("/proc/self/task/%d/stat", tid), O_RDONLY), ENOENT);
	n = read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf));
	check("/proc/sys/kernel/pid_max is readable", n > 0 && atol(buf) >= 32768, "got %s", buf);
}

/* ---- leaks ------------------------------------------------------------------------------------------- */

static void thousand_threads(void)
{
	for (int round = 0; round < 1000 / 8; round++) {
		for (int i = 0; i < 8; i++)
			spawn(i, add_one, NULL);
		for (int i = 0; i < 8; i++)
			join(i);
	}
	sched_yield(); /* the last thread is freed once it is switched away from */
}

/* badinput 32: thread lifetimes while another thread forks, execs and
 * takes signals. */
static volatile int busy_stop;
static volatile long busy_rounds, busy_signals;

static void count_usr2(int sig)
{
	(void)sig;
	busy_signals++;
}

static int fork_exec_loop(void *arg)
{
	(void)arg;
	const char *argv[] = { t_self(), "--exit-now", NULL };
	while (!busy_stop) {
		long pid = raw_syscall(SYS_fork, 0, 0, 0, 0, 0, 0);
		if (pid == 0) {
			raw_syscall(SYS_execve, (long)t_self(), (long)argv, (long)(const char *[]){ NULL }, 0, 0, 0);
			raw_syscall(SYS_exit_group, 127, 0, 0, 0, 0, 0);
		}
		int status;
		raw_syscall(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
		raw_syscall(SYS_kill, raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0), SIGUSR2, 0, 0, 0, 0);
		busy_rounds++;
	}
	return 0;
}

static void threads_beside_fork_exec(void)
{
	busy_stop = 0;
	signal(SIGUSR2, count_usr2);
	spawn(MAX_THREADS - 1, fork_exec_loop, NULL);
	thousand_threads();
	busy_stop = 1;
	join(MAX_THREADS - 1);
	sched_yield();
}

static void test_leaks(void)
{
	if (!on_sysgate()) {
		t_skip("1,000 thread lifetimes: no leak", "sysgate only (its /proc/meminfo counts)");
		return;
	}
	struct leak_mark warm;
	leak_mark(&warm); /* the first reading pages in testlib's buffer */
	t_leak_test("1,000 thread lifetimes: frames and heap back to the baseline", thousand_threads);
	t_leak_test("1,000 thread lifetimes beside a thread that forks, execs and takes signals: no leak",
		    threads_beside_fork_exec);
	check("that thread forked, exec'd and took signals meanwhile", busy_rounds > 0 && busy_signals > 0,
	      "%ld rounds, %ld signals", busy_rounds, busy_signals);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--exit-now"))
		return 0;
	if (argc == 3 && !strcmp(argv[1], "--exec-check"))
		return getpid() == atoi(argv[2]) ? 42 : 1;
	t_set_self(argv);
	t_begin("threads");
	t_group("flag rules", test_flag_rules);
	t_group("clone3 rules", test_clone3_rules);
	t_group("identity", test_identity);
	t_group("many threads", test_many);
	t_group("tls", test_tls);
	t_group("thread signals", test_thread_signals);
	t_group("exits", test_exits);
	t_group("group signals", test_group_signals);
	t_group("exec and fork", test_exec_fork);
	t_group("wclone", test_wclone);
	t_group("proc", test_proc);
	t_group("cpu time", test_cpu_time);
	t_group("leaks", test_leaks);
	return t_end();
}
