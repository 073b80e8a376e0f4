/*
 * testlib: the small harness every user test links with (course section:
 * testing the syscall interface).
 *
 * The same test binary runs on Linux (the oracle) and on sysgate. Each binary
 * covers one area and prints one line per case:
 *
 *     PASS area: case
 *     FAIL area: case: reason (expected X, got Y)
 *     SKIP area: case: why
 *
 * and exits 0 if and only if nothing failed. Usage:
 *
 *     int main(void)
 *     {
 *             t_begin("gate");
 *             check_errno("read fd 99", read(99, buf, 1), EBADF);
 *             check_eq("getpid twice", getpid(), getpid());
 *             int st = run_child(crash_fn, 0);     // fn runs in a forked child
 *             check_signaled("NULL read", st, SIGSEGV);
 *             if (!on_sysgate())
 *                     t_skip("leak", "sysgate only");
 *             return t_end();
 *     }
 *
 * Case names that need numbers in them: check_eq(cname("read fd %d", fd), ...)
 * (cname keeps a few rotating buffers, enough for one check call).
 *
 * Rules the tests follow (see each file): never assert on wall-clock time
 * (sysgate may run under slow emulation), never need root, never reboot.
 * Calls that libc does not wrap yet, and every hostile call, go through
 * syscall() from <sys/syscall.h> or raw_syscall() below.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Linux syscalls that sysgate's table (and so <sys/syscall.h>) lacks: the
 * tests use them on Linux only, or to check that sysgate says ENOSYS. */
#ifndef SYS_readlink
#define SYS_readlink 89
#endif

/* ---- reporting ------------------------------------------------------------ */

void t_begin(const char *area);	/* names the area printed on every line */
int t_end(void);		/* prints a summary; returns main's exit status */
void t_pass(const char *name);
void t_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void t_skip(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A case name built with printf formatting, valid until a few more calls. */
const char *cname(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each check prints PASS or FAIL and returns 1 if it passed, 0 if not. */
int check(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int check_eq(const char *name, long got, long want);	/* decimal */
int check_eqx(const char *name, unsigned long got, unsigned long want);	/* hex */
/* ret must be -1 with errno == want (the libc and syscall() convention). */
int check_errno(const char *name, long ret, int want);
/* ret must not be -1; on failure the errno is shown. */
int check_ok(const char *name, long ret);
/* For raw_syscall(): the kernel's own return value must be -want. */
int check_raw_errno(const char *name, long ret, int want);

/* "EFAULT" for 14, or "E?123"; "SIGSEGV" for 11. */
const char *errno_name(int e);
const char *signal_name(int sig);
/* How a wait status reads: "exit 3", "killed by SIGSEGV", "stopped by ...". */
const char *status_text(int status);

/* ---- the system under test ------------------------------------------------ */

/* 1 on sysgate (uname's release ends in "-sysgate"; sysname says Linux), 0 on Linux. */
int on_sysgate(void);

/*
 * A syscall with no libc in between: returns exactly what the kernel put in
 * rax (a value or -errno), so even results in the error range are seen raw.
 */
static inline long raw_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* ---- children -------------------------------------------------------------- */

/*
 * fork() that first flushes stdout, so the child does not print a second copy
 * of the parent's buffered lines. Children should leave with _exit().
 */
pid_t t_fork(void);

/*
 * Waits for child pid, but gives up after about `ticks` 10 ms naps (a hung
 * child must not hang the whole binary): then it kills the child with SIGKILL,
 * reaps it and returns -2. Returns the wait status, or -1 if wait4 failed.
 */
int t_wait(pid_t pid, int ticks);
#define T_WAIT_TICKS 1500	/* the default: about 15 s of naps */

/*
 * Runs fn(arg) in a forked child, which then does _exit(0), and returns the
 * child's wait status (-1 if fork failed, -2 if the child hung).
 * Fault tests use it so that one crash does not end the test binary.
 */
int run_child(void (*fn)(long), long arg);

/*
 * Runs a group of cases, fn(), in a forked child: its PASS/FAIL lines print
 * as usual and its counts are added to ours, but whatever it does to its own
 * process (signal handlers, masks, a crash) stays there. A group that dies
 * or hangs is one FAIL named after the group.
 */
void t_group(const char *name, void (*fn)(void));

/* The status must say: killed by signal sig / exited with code. */
int check_signaled(const char *name, int status, int sig);
int check_exited(const char *name, int status, int code);

/* ---- watching other processes (watch.c) ------------------------------------- */

/* The state letter of pid in /proc/PID/stat ('R', 'S' asleep, 'T' stopped,
 * 'Z' zombie...), or '?' if it cannot be read. */
char t_proc_state(pid_t pid);
/* Waits, in 10 ms naps for at most about 30 s, until pid is in state want;
 * returns the state last seen (want, unless it never got there). */
char t_wait_for_state(pid_t pid, char want);
/* A child that sends us sig every few milliseconds until t_pester_stop(): a
 * blocking call made meanwhile is interrupted however late it starts. */
pid_t t_pester_start(int sig);
void t_pester_stop(pid_t pid);
/* Installs a handler for sig (without SA_RESTART) that counts arrivals in
 * t_signal_count, and zeroes the count. */
extern volatile sig_atomic_t t_signal_count;
void t_count_signal(int sig);
/* This process's blocked and pending signal sets, now. */
sigset_t t_blocked_now(void);
sigset_t t_pending_now(void);

/* 8-byte counters, as eventfd and timerfd read and write them: the value
 * read, -errno, or -1000 - n for a short read of n bytes. */
static inline long t_read_u64(int fd)
{
	unsigned long v = 0;
	long n = read(fd, &v, sizeof(v));

	return n == (long)sizeof(v) ? (long)v : n < 0 ? -errno : -1000 - n;
}

static inline long t_write_u64(int fd, unsigned long v)
{
	return write(fd, &v, sizeof(v));
}

/* ---- leaks (sysgate only) --------------------------------------------------- */

/*
 * sysgate's /proc/meminfo has "SysgateFreeFrames: N", "SysgateHeapBytes: N" and
 * "SysgateHeapFrames: N" (the frames the heap's slabs take: they count as free,
 * since their number depends on how objects pack, not on what is in use).
 * meminfo_value returns N for the given key, or -1 if there is no such line
 * (always on Linux). A leak check: leak_mark() before the work, reap every
 * child, then leak_check() compares; both counts must be back exactly.
 */
long meminfo_value(const char *key);
struct leak_mark {
	long frames, heap;
};
int leak_mark(struct leak_mark *m);	/* 0 if sysgate reports no counts */
void leak_check(const char *name, const struct leak_mark *m);
/* The usual whole test: work() once (what grows once and stays -- this
 * process's stack and heap, a kernel table -- grows), mark, work() again,
 * check. work must reap its children and close what it opens. */
void t_leak_test(const char *name, void (*work)(void));

/* ---- small helpers ------------------------------------------------------------ */

/* The path of this very program, for tests that exec themselves (argv[0] if
 * it names a file, else /proc/self/exe's target). Set by t_set_self(argv). */
void t_set_self(char **argv);
const char *t_self(void);

/* A trace event's id, "syscalls/sys_enter_close" -> tracefs's events/.../id (for
 * perf_event_open's PERF_TYPE_TRACEPOINT config), or -1. */
int t_tracepoint_id(const char *name);

/* Nap for about ms milliseconds (a short delay only, never a measurement). */
void t_nap(long ms);

/* The number after "key:" in /proc/self/status ("Seccomp", "SigQ"...), read
 * in base (10 or 16); -1 if there is no such line. */
long t_status_field(const char *key, int base);

#endif
