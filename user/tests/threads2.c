/*
 * Tests: threads, part two -- signals per thread and per process, exit
 * and exit_group, the leader that exits first, stop and continue of the
 * group, exec and fork in a thread, __WCLONE and __WALL, /proc/PID/task,
 * CPU time, and leaks (course section: kernel architecture -- what a task
 * is; signals).
 */
#include "lib/testlib.h"
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "lib/threadlib.h"

static long shared_counter;

static int add_one(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&shared_counter, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/* ---- signals per thread -------------------------------------------------------------------------- */

static volatile long handled_by;
static volatile int thread_ready, thread_stop;

static void note_tid(int sig)
{
	(void)sig;
	handled_by = raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
}

static volatile long queued_value, queued_tid;

static void note_value(int sig, siginfo_t *info, void *ctx)
{
	(void)sig, (void)ctx;
	queued_value = info->si_value.sival_int;
	queued_tid = raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
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
	int tid = t_spawn(slot, spin_until_stopped, NULL);
	while (!__atomic_load_n(&thread_ready, __ATOMIC_SEQ_CST))
		sched_yield();
	return tid;
}

static void stop_spinner(int slot)
{
	__atomic_store_n(&thread_stop, 1, __ATOMIC_SEQ_CST);
	t_join(slot);
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

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = note_value;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_int = 4242;
	check_eq("rt_tgsigqueueinfo to the thread: 0",
		 raw_syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, SIGRTMIN + 1, (long)&si, 0, 0), 0);
	while (!queued_tid)
		sched_yield();
	check("rt_tgsigqueueinfo: that thread gets the value", queued_tid == tid && queued_value == 4242,
	      "tid %ld, value %ld", queued_tid, queued_value);

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
	t_spawn(0, exit_group_7, NULL);
	read(p[0], &c, 1);
	_exit(91);
}

static int late_exit(void *arg)
{
	(void)arg;
	/* Wait until the leader has exited (its state, which /proc shows for
	 * the process, is Z): a fixed number of yields was not always enough
	 * on a slow (KASAN) kernel, and then the leader exited last, with its
	 * own status. We still run, and the process is not reported yet. */
	pid_t self = (pid_t)raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
	for (int i = 0; i < 100000 && t_proc_state(self) != 'Z'; i++)
		raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	raw_syscall(SYS_write, pipe_fds[1], (long)"x", 1, 0, 0, 0);
	raw_syscall(SYS_exit, 9, 0, 0, 0, 0, 0);
	return 0;
}

static void leader_exits_first(long unused)
{
	(void)unused;
	close(pipe_fds[0]);
	t_spawn(0, late_exit, NULL);
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
	clone(add_one, (void *)0x10000, THREAD_FLAGS, NULL, &t_tids[0], NULL, &t_tids[0]);
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
		t_spawn(0, spin_forever, NULL);
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
				all_stopped &= t_read_file(cname("/proc/%d/task/%s/stat", pid, e->d_name), buf, sizeof(buf)) > 0 &&
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
	t_spawn(1, exec_self, NULL);
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
	t_spawn(0, fork_in_thread, NULL);
	t_join(0);
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
	/* Legacy clone takes any byte as the exit signal; 241 is no signal, so
	 * nothing is sent at the child's exit (found by the fuzzer under UBSAN). */
	pid = raw_syscall(SYS_clone, 241, 0, 0, 0, 0, 0);
	if (pid == 0)
		raw_syscall(SYS_exit_group, 6, 0, 0, 0, 0, 0);
	check_eq("clone with exit signal 241: __WALL reaps it", waitpid((pid_t)pid, &status, __WALL_FLAG), pid);
	check_exited("its status", status, 6);
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
	t_spawn(0, burn_cpu, NULL);
	t_join(0);
	check("a thread's RUSAGE_THREAD counts its own CPU time", burned_us >= 20000, "got %ld us", burned_us);
	check("RUSAGE_SELF counts the gone thread's time too", usage_us(0) >= burned_us + main_before,
	      "self %ld, thread %ld", usage_us(0), burned_us);
	check_raw_errno("getrusage who 2: EINVAL", raw_syscall(SYS_getrusage, 2, (long)&burned_us, 0, 0, 0, 0), EINVAL);
}

/* ---- /proc ----------------------------------------------------------------------------------------- */

/* Does readdir of /proc name n? */
static bool proc_lists(int n)
{
	DIR *d = opendir("/proc");
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)))
		found = atoi(e->d_name) == n;
	closedir(d);
	return found;
}

static void test_proc(void)
{
	static char buf[4096];
	int tid = start_spinner(0);
	t_read_file("/proc/self/status", buf, sizeof(buf));
	check("/proc/self/status says Threads: 2", strstr(buf, "\nThreads:\t2\n") != NULL, "got %s", buf);
	char want[64];
	snprintf(want, sizeof(want), "\nTgid:\t%d\n", getpid());
	check("/proc/self/status has the Tgid line", strstr(buf, want) != NULL, "got %s", buf);
	long n = t_read_file(cname("/proc/self/task/%d/stat", tid), buf, sizeof(buf));
	check("/proc/self/task/TID/stat starts with the tid", n > 0 && atoi(buf) == tid, "got %s", buf);
	t_read_file(cname("/proc/self/task/%d/status", tid), buf, sizeof(buf));
	snprintf(want, sizeof(want), "\nPid:\t%d\n", tid);
	check("/proc/self/task/TID/status: Pid is the tid", strstr(buf, want) != NULL, "got %s", buf);
	n = t_read_file(cname("/proc/self/task/%d/comm", tid), buf, sizeof(buf));
	check("/proc/self/task/TID/comm is the program's name", n > 1 && buf[n - 1] == '\n', "got %s", buf);
	n = t_read_file("/proc/thread-self/stat", buf, sizeof(buf));
	check("/proc/thread-self is the reader's task directory", n > 0 && atoi(buf) == getpid(), "got %s", buf);
	n = t_read_file(cname("/proc/self/task/%d/stat", getpid()), buf, sizeof(buf));
	check("the leader is /proc/self/task/PID", n > 0 && atoi(buf) == getpid(), "got %s", buf);
	t_read_file(cname("/proc/%d/status", tid), buf, sizeof(buf));
	snprintf(want, sizeof(want), "\nPid:\t%d\n", tid);
	check("/proc/TID/status of a thread opens too, its Pid the tid", strstr(buf, want) != NULL, "got %s", buf);
	check("but /proc does not list TID", !proc_lists(tid), "listed");
	check("and /proc lists the PID", proc_lists(getpid()), "not listed");
	stop_spinner(0);
	for (int i = 0; i < 100 && t_read_file(cname("/proc/self/task/%d/stat", tid), buf, sizeof(buf)) > 0; i++)
		sched_yield();
	check_errno("a joined thread's directory is gone", open(cname("/proc/self/task/%d/stat", tid), O_RDONLY), ENOENT);
	check_errno("and its /proc/TID", open(cname("/proc/%d/status", tid), O_RDONLY), ENOENT);
	n = t_read_file("/proc/sys/kernel/pid_max", buf, sizeof(buf));
	check("/proc/sys/kernel/pid_max is readable", n > 0 && atol(buf) >= 32768, "got %s", buf);
}

/* ---- leaks ------------------------------------------------------------------------------------------- */

static void thousand_threads(void)
{
	for (int round = 0; round < 1000 / 8; round++) {
		for (int i = 0; i < 8; i++)
			t_spawn(i, add_one, NULL);
		for (int i = 0; i < 8; i++)
			t_join(i);
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
	t_spawn(MAX_THREADS - 1, fork_exec_loop, NULL);
	thousand_threads();
	busy_stop = 1;
	t_join(MAX_THREADS - 1);
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
	t_begin("threads2");
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
