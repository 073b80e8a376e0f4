/*
 * Throughput: 64 MiB through a pipe, a shared-memory ring and a UNIX socket,
 * in MiB per second of CLOCK_MONOTONIC (course section: the syscall gate --
 * what each mechanism costs). user/bench.c lists them with the others.
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
#include "bench.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define CHUNK 65536		/* bytes per write: a whole (Linux-sized) pipe */

/* `mib` MiB from a child to the parent through a pipe: every byte is copied
 * twice, into the kernel's buffer and out of it. */
uint64_t bench_pipe_mb(long mib)
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
uint64_t bench_shm_ring_mb(long mib)
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
uint64_t bench_unix_mb(long mib)
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
