/*
 * bench: what does crossing into the kernel cost? (course section: the
 * syscall gate)
 *
 * Each benchmark repeats one operation many times between two readings of
 * the time-stamp counter (rdtsc) and divides: cycles per operation. The
 * TSC ticks at a constant rate (about the CPU's nominal clock), so these are
 * "TSC cycles", comparable between runs on one machine. A run can be slowed
 * by an interrupt or by another process, never sped up, so each figure is
 * the minimum over several batches: the least disturbed one.
 *
 * Throughput benchmarks (names ending in _mb_s) move the same 64 MiB
 * through each mechanism and report MiB per second of CLOCK_MONOTONIC,
 * the best of the batches. Under ICOUNT=1 the guest's clock, like its TSC,
 * is driven by the count of instructions, so those figures repeat too.
 *
 * Output is one name=value line per benchmark, for scripts to compare the
 * same binary on Linux and on sysgate. boot_cycles, first, is the TSC when
 * main starts: power-on to the first program's main. The scaling benchmarks, which ask
 * how a cost grows with the size of the work (a directory's, a poll set's,
 * an epoll set's, a process's), follow the others (benchlib/scaling.c).
 *   bench [-b BATCHES] [NAME...]     only the named benchmarks, if given
 *
 * Adding a benchmark: write a function that runs `rounds` operations and
 * returns the cycles they took (setup and cleanup outside the timing), and
 * add a line to the table. A throughput benchmark moves `rounds` MiB and
 * returns the nanoseconds it took.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <futex_sync.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "benchlib/bench.h"

/* The cheapest real syscall: enter the kernel, read one field, return. */
static uint64_t bench_getpid(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		getpid();
	return rdtsc() - t0;
}

/* getpid with its two trace events (syscalls:sys_enter_getpid and
 * sys_exit_getpid) enabled in tracefs: each call writes two records into the
 * trace ring. Beside getpid_cycles, the cost of an enabled tracepoint; the
 * disabled one is in getpid_cycles itself (kernel/tracing/README.md). */
static int tracefs_put(const char *file, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/kernel/tracing/%s", file);
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	int ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

static uint64_t bench_getpid_traced(long rounds)
{
	if (tracefs_put("events/syscalls/sys_enter_getpid/enable", "1") ||
	    tracefs_put("events/syscalls/sys_exit_getpid/enable", "1"))
		return FAILED;
	uint64_t cycles = bench_getpid(rounds);
	tracefs_put("events/syscalls/sys_enter_getpid/enable", "0");
	tracefs_put("events/syscalls/sys_exit_getpid/enable", "0");
	tracefs_put("trace", "");
	return cycles;
}

/* A syscall number nobody implements: the kernel only looks it up in its
 * table and returns -ENOSYS. The pure cost of the gate, both ways. */
static uint64_t bench_enosys(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		syscall(1000);
	return rdtsc() - t0;
}

/* Reading the clock through the vDSO (libc's clock_gettime): a function
 * call that reads the TSC and the kernel's data page, no syscall. */
static uint64_t bench_clock_gettime(long rounds)
{
	struct timespec ts;
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return rdtsc() - t0;
}

/* The same question through the gate: the syscall itself. */
static uint64_t bench_clock_gettime_syscall(long rounds)
{
	struct timespec ts;
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return rdtsc() - t0;
}

/* A whole process's life: fork copies our address space (or, with
 * copy-on-write, just its page tables), the child exits at once, the
 * parent waits for it and frees what is left. */
static uint64_t bench_fork(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return FAILED;
	}
	return rdtsc() - t0;
}

/* One byte to a child over one pipe and back over another: two writes,
 * two reads, and two switches between processes per round trip, since each
 * side sleeps until the other has written. */
static uint64_t bench_pipe(long rounds)
{
	int to_child[2], to_parent[2];
	uint64_t t0, t1;
	pid_t pid;
	char c = 'x';

	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		return FAILED;
	pid = fork();
	if (pid == 0) {			/* the echo: until the parent closes its end */
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			write(to_parent[1], &c, 1);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	t0 = rdtsc();
	for (long i = 0; i < rounds && pid > 0; i++) {
		if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1) {
			pid = -1;
			break;
		}
	}
	t1 = rdtsc();
	close(to_child[1]);		/* the child reads end of file and exits */
	close(to_parent[0]);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return t1 - t0;
}

/* The same round trip over one AF_UNIX stream socketpair: a socket carries
 * both directions, so one pair replaces the two pipes. */
static uint64_t bench_unix_pingpong(long rounds)
{
	int sv[2];
	uint64_t t0, t1;
	pid_t pid;
	char c = 'x';

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return FAILED;
	pid = fork();
	if (pid == 0) {			/* the echo: until the parent closes its end */
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1)
			write(sv[1], &c, 1);
		_exit(0);
	}
	close(sv[1]);
	t0 = rdtsc();
	for (long i = 0; i < rounds && pid > 0; i++) {
		if (write(sv[0], &c, 1) != 1 || read(sv[0], &c, 1) != 1) {
			pid = -1;
			break;
		}
	}
	t1 = rdtsc();
	close(sv[0]);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return t1 - t0;
}

static volatile long signals_caught;

static void on_usr1(int sig)
{
	(void)sig;
	signals_caught++;
}

/* kill, then delivery on the way out of the kernel: the kernel builds a
 * signal frame on our stack, runs the handler, which returns into
 * rt_sigreturn, a second syscall that restores the registers. */
static uint64_t bench_signal(long rounds)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	uint64_t t0, t1;
	pid_t me = getpid();

	if (sigaction(SIGUSR1, &sa, &old) < 0)
		return FAILED;
	signals_caught = 0;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		kill(me, SIGUSR1);
	t1 = rdtsc();
	sigaction(SIGUSR1, &old, NULL);
	return signals_caught == rounds ? t1 - t0 : FAILED;
}


/* Two processes, two eventfds: the parent adds 1 to the child's counter
 * and sleeps in read on its own; the child reads its counter (zeroing it)
 * and adds 1 to the parent's. Like the pipe ping-pong, but the "message"
 * is a 64-bit counter and nothing is copied through a buffer. */
static uint64_t bench_eventfd(long rounds)
{
	int to_child = (int)syscall(SYS_eventfd2, 0, 0);
	int to_parent = (int)syscall(SYS_eventfd2, 0, 0);
	uint64_t one = 1, got, t0, t1;
	pid_t pid;

	if (to_child < 0 || to_parent < 0)
		return FAILED;
	pid = fork();
	if (pid == 0) {
		for (long i = 0; i < rounds; i++)
			if (read(to_child, &got, 8) != 8 || write(to_parent, &one, 8) != 8)
				_exit(1);
		_exit(0);
	}
	t0 = rdtsc();
	for (long i = 0; i < rounds && pid > 0; i++)
		if (write(to_child, &one, 8) != 8 || read(to_parent, &got, 8) != 8)
			pid = -1;
	t1 = rdtsc();
	close(to_child);
	close(to_parent);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return t1 - t0;
}

/* epoll_wait on a set whose one eventfd is always ready: the cost of
 * asking "what is ready?" when the answer is already known, without
 * sleeping (level-triggered, so it stays on the ready list). */
static uint64_t bench_epoll_wait(long rounds)
{
	int efd = (int)syscall(SYS_eventfd2, 1, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN }, out;
	uint64_t t0, t1;
	int ok = 1;

	if (efd < 0 || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) < 0)
		return FAILED;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		ok &= epoll_wait(ep, &out, 1, 0) == 1;
	t1 = rdtsc();
	close(ep);
	close(efd);
	return ok ? t1 - t0 : FAILED;
}

/* The first touch of an anonymous page: mmap only records the region; the
 * write faults, and the kernel finds a zeroed frame and maps it. Each
 * round touches a new page; munmap is outside the timing. */
static uint64_t bench_page_fault(long rounds)
{
	size_t len = (size_t)rounds * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, t1;

	if (p == MAP_FAILED)
		return FAILED;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		p[i * 4096] = 1;
	t1 = rdtsc();
	munmap(p, len);
	return t1 - t0;
}

/* Opening a file makes an open-file object and a descriptor; closing
 * undoes both. (The root directory: the one path that exists wherever the
 * benchmark runs, under tools/bench-linux too.) */
static uint64_t bench_open_close(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		int fd = open("/", O_RDONLY | O_DIRECTORY);

		if (fd < 0)
			return FAILED;
		close(fd);
	}
	return rdtsc() - t0;
}

/* sigqueue to ourselves: a real-time signal is queued with its value (a
 * small allocation in the kernel) and handed to an SA_SIGINFO handler. */
static volatile long rt_values;

static void on_rt(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	rt_values += info->si_value.sival_int;
}

static uint64_t bench_sigqueue(long rounds)
{
	struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO }, old;
	union sigval one = { .sival_int = 1 };
	pid_t me = getpid();
	uint64_t t0, t1;

	if (sigaction(SIGRTMIN, &sa, &old) < 0)
		return FAILED;
	rt_values = 0;
	t0 = rdtsc();
	for (long i = 0; i < rounds; i++)
		sigqueue(me, SIGRTMIN, one);
	t1 = rdtsc();
	sigaction(SIGRTMIN, &old, NULL);
	return rt_values == rounds ? t1 - t0 : FAILED;
}

/* A read lock on one byte and its release (fcntl F_SETLK twice), on a file
 * nobody else locks: the cost of the lock list alone. */
static uint64_t bench_record_lock(long rounds)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	struct flock lock = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	struct flock unlock = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		if (fcntl(fd, F_SETLK, &lock) < 0 || fcntl(fd, F_SETLK, &unlock) < 0) {
			close(fd);
			return FAILED;
		}
	}
	uint64_t t1 = rdtsc();
	close(fd);
	return t1 - t0;
}

/* A region of one page, made and removed again, never touched: the cost
 * of the bookkeeping alone (no frame, no page fault). */
static uint64_t bench_mmap_munmap(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return FAILED;
		munmap(p, 4096);
	}
	return rdtsc() - t0;
}

/* FUTEX_WAKE with nobody asleep: what an unlock costs when it must enter
 * the kernel -- the path a futex mutex avoids when nobody waits. */
static uint64_t bench_futex_wake(long rounds)
{
	static uint32_t word;
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++)
		futex_wake(&word, 1);
	return rdtsc() - t0;
}

/* --- threads: libc's clone(), joined by CLONE_CHILD_CLEARTID + futex --- */

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
static char thread_stack[64 * 1024] __attribute__((aligned(16)));
static int thread_tid;

static int thread_returns(void *arg)
{
	(void)arg;
	return 0;
}

/* The kernel zeroes the tid word at the thread's exit and wakes it. */
static void join_thread(void)
{
	int tid;

	while ((tid = __atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST)) != 0)
		syscall(SYS_futex, &thread_tid, FUTEX_WAIT, tid, NULL, NULL, 0);
}

/* Create a thread that returns at once, and join it: pthread_create's
 * and pthread_join's kernel work, without a thread library. */
static uint64_t bench_thread_create_join(long rounds)
{
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		if (clone(thread_returns, thread_stack + sizeof(thread_stack), THREAD_FLAGS, NULL,
			  &thread_tid, NULL, &thread_tid) < 0)
			return FAILED;
		join_thread();
	}
	return rdtsc() - t0;
}

/* Two threads of one process pass a turn back and forth through a futex
 * word: each round trip is two FUTEX_WAKEs and two sleeps. */
static uint32_t turn;

static void take_turn(uint32_t me)
{
	uint32_t seen;

	while ((seen = __atomic_load_n(&turn, __ATOMIC_SEQ_CST)) != me)
		syscall(SYS_futex, &turn, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, seen, NULL, NULL, 0);
}

static void give_turn(uint32_t to)
{
	__atomic_store_n(&turn, to, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &turn, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
}

static int pong(void *arg)
{
	long rounds = (long)arg;

	for (long i = 0; i < rounds; i++) {
		take_turn(1);
		give_turn(0);
	}
	return 0;
}

static uint64_t bench_futex_pingpong_threads(long rounds)
{
	turn = 0;
	if (clone(pong, thread_stack + sizeof(thread_stack), THREAD_FLAGS, (void *)rounds, &thread_tid,
		  NULL, &thread_tid) < 0)
		return FAILED;
	uint64_t t0 = rdtsc();

	for (long i = 0; i < rounds; i++) {
		give_turn(1);
		take_turn(0);
	}
	uint64_t t1 = rdtsc();

	join_thread();
	return t1 - t0;
}

/* A traced getpid (kernel/trace/): the child's syscall stops at entry and
 * at exit, each a switch to the tracer (its waitpid returns) and back (its
 * PTRACE_SYSCALL): why a program under strace runs slowly. */
static uint64_t bench_ptrace_syscall_stop(long rounds)
{
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (long i = 0; i < rounds; i++)
			syscall(SYS_getpid);
		_exit(0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return FAILED;
	ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)PTRACE_O_TRACESYSGOOD);
	uint64_t t0 = rdtsc();
	for (long i = 0; i < 2 * rounds; i++) {
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) != 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st)) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return FAILED;
		}
	}
	uint64_t t = rdtsc() - t0;
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, NULL, 0);
	return t;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define CHUNK 65536		/* bytes per write: a whole (Linux-sized) pipe */

/* `mib` MiB from a child to the parent through a pipe: every byte is copied
 * twice, into the kernel's buffer and out of it. */
static uint64_t bench_pipe_mb(long mib)
{
	static char buf[CHUNK];
	long total = mib << 20, got = 0;
	int p[2];
	uint64_t t0, t1;
	pid_t pid;

	if (pipe(p) < 0)
		return FAILED;
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (long sent = 0; sent < total; sent += CHUNK)
			if (write(p[1], buf, CHUNK) != CHUNK)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	for (ssize_t n; pid > 0 && (n = read(p[0], buf, CHUNK)) > 0;)
		got += n;
	t1 = now_ns();
	close(p[0]);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return got == total ? t1 - t0 : FAILED;
}

#define RING_SLOT 4096		/* the ring moves 4 KiB messages, */
#define RING_SLOTS 256		/* holds 1 MiB of them, */
#define RING_BATCH (CHUNK / RING_SLOT)	/* and takes 64 KiB a call, as the pipe's reads and writes */

/* The same `mib` MiB through a ring buffer in SysV shared memory
 * (libc/futex_sync.c): each byte is still copied twice, into the ring and
 * out of it, but by the processes themselves, in their own address spaces
 * that map the same frames. The kernel is entered only when the ring is
 * full or empty and one side must sleep on a futex. */
static uint64_t bench_shm_ring_mb(long mib)
{
	static char buf[CHUNK];
	long total = mib << 20, got = 0;
	int id = shmget(IPC_PRIVATE, shared_ring_size(RING_SLOTS, RING_SLOT), IPC_CREAT | 0600);
	struct shared_ring *r = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
	uint64_t t0, t1;
	pid_t pid = -1;

	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);	/* freed when both have detached */
	if (r == (void *)-1)
		return FAILED;
	shared_ring_init(r, RING_SLOTS, RING_SLOT);
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		for (long sent = 0; sent < total;) {
			long left = (total - sent) / RING_SLOT;

			sent += (long)shared_ring_put(r, buf, left < RING_BATCH ? left : RING_BATCH) * RING_SLOT;
		}
		_exit(0);
	}
	while (pid > 0 && got < total)
		got += (long)shared_ring_get(r, buf, RING_BATCH) * RING_SLOT;
	t1 = now_ns();
	shmdt(r);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return got == total ? t1 - t0 : FAILED;
}

/* `mib` MiB from a child to the parent through a unix stream socket. */
static uint64_t bench_unix_mb(long mib)
{
	static char buf[CHUNK];
	long total = mib << 20, got = 0;
	int sv[2];
	uint64_t t0, t1;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return FAILED;
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		for (long sent = 0; sent < total;) {
			ssize_t n = write(sv[1], buf, CHUNK);
			if (n <= 0)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(sv[1]);
	for (ssize_t n; pid > 0 && (n = read(sv[0], buf, CHUNK)) > 0;)
		got += n;
	t1 = now_ns();
	close(sv[0]);
	if (pid < 0)
		return FAILED;
	waitpid(pid, NULL, 0);
	return got == total ? t1 - t0 : FAILED;
}

static const struct benchmark benchmarks[] = {
	{ "getpid_cycles", 1000000, bench_getpid, CYCLES },
	{ "getpid_traced_cycles", 100000, bench_getpid_traced, CYCLES },
	{ "enosys_cycles", 1000000, bench_enosys, CYCLES },
	{ "clock_gettime_cycles", 1000000, bench_clock_gettime, CYCLES },
	{ "clock_gettime_syscall_cycles", 1000000, bench_clock_gettime_syscall, CYCLES },
	{ "fork_exit_wait_cycles", 1000, bench_fork, CYCLES },
	{ "pipe_pingpong_cycles", 100000, bench_pipe, CYCLES },
	{ "unix_stream_pingpong_cycles", 100000, bench_unix_pingpong, CYCLES },
	{ "signal_roundtrip_cycles", 100000, bench_signal, CYCLES },
	{ "sigqueue_roundtrip_cycles", 100000, bench_sigqueue, CYCLES },
	{ "eventfd_pingpong_cycles", 100000, bench_eventfd, CYCLES },
	{ "epoll_wait_cycles", 100000, bench_epoll_wait, CYCLES },
	{ "page_fault_cycles", 10000, bench_page_fault, CYCLES },
	{ "open_close_cycles", 100000, bench_open_close, CYCLES },
	{ "record_lock_cycles", 100000, bench_record_lock, CYCLES },
	{ "mmap_munmap_cycles", 100000, bench_mmap_munmap, CYCLES },
	{ "futex_wake_cycles", 1000000, bench_futex_wake, CYCLES },
	{ "thread_create_join_cycles", 10000, bench_thread_create_join, CYCLES },
	{ "futex_pingpong_threads_cycles", 100000, bench_futex_pingpong_threads, CYCLES },
	{ "ptrace_syscall_stop_cycles", 20000, bench_ptrace_syscall_stop, CYCLES },
	{ "pipe_mb_s", 64, bench_pipe_mb, MB_S },
	{ "shm_ring_mb_s", 64, bench_shm_ring_mb, MB_S },
	{ "unix_stream_mb_s", 64, bench_unix_mb, MB_S },
};

#define NBENCH (sizeof(benchmarks) / sizeof(benchmarks[0]))

static int selected(const char *name, int argc, char **argv, int first)
{
	if (first == argc)
		return 1;		/* no names given: run them all */
	for (int i = first; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* Run one benchmark's batches and print its best figure; 0 or 1 (failed). */
static int run_one(const struct benchmark *b, int batches)
{
	uint64_t best = FAILED;

	for (int i = 0; i < batches; i++) {
		uint64_t v = b->run(b->rounds);

		if (v == FAILED)
			break;
		/* The least disturbed batch: fewest cycles per operation,
		 * or fewest nanoseconds for the whole transfer. */
		if (b->kind == CYCLES)
			v /= (uint64_t)b->rounds;
		if (v < best)
			best = v;
	}
	if (best != FAILED && b->kind == MB_S)
		best = best ? (uint64_t)b->rounds * 1000000000u / best : 0;
	if (best == FAILED) {
		fprintf(stderr, "bench: %s: failed (%s)\n", b->name, strerror(errno));
		return 1;
	}
	printf("%s=%lu\n", b->name, (unsigned long)best);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	/* Under ICOUNT the TSC has counted every instruction since power-on:
	 * the firmware's, the boot loader's, the kernel's start, exec. */
	uint64_t boot = rdtsc();
	int batches = 3, first = 1, status = 0;

	if (argc > 2 && strcmp(argv[1], "-b") == 0) {
		batches = atoi(argv[2]);
		first = 3;
		if (batches < 1) {
			fprintf(stderr, "usage: bench [-b BATCHES] [NAME...]\n");
			return 2;
		}
	}
	if (selected("boot_cycles", argc, argv, first))
		printf("boot_cycles=%lu\n", (unsigned long)boot);
	for (size_t k = 0; k < NBENCH; k++)
		if (selected(benchmarks[k].name, argc, argv, first))
			status |= run_one(&benchmarks[k], batches);
	for (size_t k = 0; k < bpf_count; k++)
		if (selected(bpf_benchmarks[k].name, argc, argv, first))
			status |= run_one(&bpf_benchmarks[k], batches);
	for (size_t k = 0; k < bpf_map_count; k++)
		if (selected(bpf_map_benchmarks[k].name, argc, argv, first))
			status |= run_one(&bpf_map_benchmarks[k], batches);
	for (size_t k = 0; k < scaling_count; k++)
		if (selected(scaling_benchmarks[k].name, argc, argv, first))
			status |= run_one(&scaling_benchmarks[k], batches);
	return status;
}
