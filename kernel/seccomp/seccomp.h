/*
 * seccomp: a process confines its own syscalls (course section: seccomp;
 * eBPF -- the kernel runs a program the user gave it). See
 * kernel/seccomp/README.md.
 */
#ifndef KERNEL_SECCOMP_H
#define KERNEL_SECCOMP_H

#include "arch/x86_64/regs.h"
#include "kernel/types.h"
#include "syscall_nr.h"
#include "libc/include/abi/filter.h"
#include "libc/include/abi/seccomp.h"

struct task;
struct proc_text;

/* Linux's limit on a stack of filters: the instructions of every filter a
 * syscall runs (as Linux counts them: seccomp_filter_cost), each older
 * filter counting 4 more for the cost of calling it (ENOMEM). */
#define SECCOMP_MAX_INSNS_PER_PATH 32768
#define SECCOMP_FILTER_PENALTY 4
/* The allow cache's size: a bit per syscall number of the table. */
#define SECCOMP_CACHE_WORDS ((NR_SYSCALLS + 63) / 64)

/* One installed filter: a checked classic BPF program. Filters stack: a
 * new one points at the one installed before it (prev), and every filter
 * in the chain runs. A filter is shared -- by the threads and children
 * that inherited it and by the newer filters stacked on it -- and counted:
 * the last reference frees it. */
struct seccomp_filter {
	int refs;
	bool log;                     /* SECCOMP_FILTER_FLAG_LOG: log what it decides */
	struct seccomp_filter *prev;  /* the older filter, or NULL */
	unsigned len;                 /* instructions */
	unsigned cost;                /* what it counts against SECCOMP_MAX_INSNS_PER_PATH */
	uint64_t allow_cache[SECCOMP_CACHE_WORDS]; /* bit nr: this stack always allows nr (cache.c) */
	struct sock_filter insns[];
};

/* --- hooks in the shared paths ------------------------------------------------------ */

/* The syscall path, only when SYSCALL_WORK_SECCOMP is set: judge the call
 * in r. Returns the number to run, or -1 to skip it (the result is then in
 * r->rax, or the task is dying). */
int seccomp_syscall_enter(struct regs *r);
/* fork and clone: the child gets the parent's mode and filters. */
void seccomp_fork(struct task *child, const struct task *parent);
/* The task is freed: its reference to its filters goes. */
void seccomp_release(struct task *t);
/* prctl(PR_GET_SECCOMP / PR_SET_SECCOMP). */
long seccomp_prctl_get(void);
long seccomp_prctl_set(unsigned long mode, void __user *filter);
/* /proc/PID/status's Seccomp: and Seccomp_filters: lines. */
void seccomp_proc_status(struct proc_text *out, const struct task *p);

/* --- inside kernel/seccomp ---------------------------------------------------------- */

/* filter_check.c: Linux's rules for a seccomp program; rewrites the
 * length loads into constants. 0 or -EINVAL. */
int seccomp_check_filter(struct sock_filter *insns, unsigned len);
/* Its length as Linux counts it: its translation into eBPF's. */
unsigned seccomp_filter_cost(const struct sock_filter *insns, unsigned len);
/* bpf_run.c: run one filter over the syscall's data; its return value. */
uint32_t seccomp_bpf_run(const struct seccomp_filter *f, const struct seccomp_data *d);
/* filter.c: a filter from the user's struct sock_fprog, checked (or an
 * -errno in *err and NULL); attaching it to the current task (flags:
 * SECCOMP_FILTER_FLAG_*); dropping a reference. */
struct seccomp_filter *seccomp_filter_from_user(const void __user *uprog, long *err);
long seccomp_attach_filter(struct seccomp_filter *f, unsigned long flags);
void seccomp_filter_put(struct seccomp_filter *f);
/* cache.c: fill f's allow cache (its prev is set); is nr always allowed
 * by the stack whose top is f? */
void seccomp_cache_prepare(struct seccomp_filter *f);
static inline bool seccomp_cache_allows(const struct seccomp_filter *f, int nr)
{
	return (unsigned)nr < NR_SYSCALLS && (f->allow_cache[nr / 64] >> (nr % 64)) & 1;
}
/* seccomp_syscall.c: can the current task take mode (it has none, or it). */
bool seccomp_may_assign_mode(int mode);
void seccomp_assign_mode(struct task *t, int mode);

#endif
