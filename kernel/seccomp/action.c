/*
 * seccomp on every syscall: judging the call, then acting on the verdict
 * (course section: seccomp).
 *
 * A confined task's syscalls come here before they run (the syscall path
 * calls seccomp_syscall_enter when task->syscall_work says so). Strict
 * mode is a fixed list. Filter mode fills a struct seccomp_data from the
 * saved registers, runs every filter of the task's stack, newest first,
 * and keeps the most restrictive verdict: the action that is lowest as a
 * signed number, so Linux's order is
 *     KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE > LOG > ALLOW
 * (on a tie, the newest filter's data). Then:
 *   ALLOW         the call runs
 *   LOG           the call runs, and a line goes to the kernel log
 *   ERRNO         the call does not run; it fails with errno = data (at most 4095)
 *   TRAP          not run; SIGSYS with si_code SYS_SECCOMP, the call's number,
 *                 address and architecture in the siginfo, si_errno = data
 *   TRACE         a ptrace tracer that asked (PTRACE_O_TRACESECCOMP) gets a
 *                 PTRACE_EVENT_SECCOMP stop (GETEVENTMSG: data) and may change
 *                 or skip the call, which is then judged again; no tracer: ENOSYS
 *   USER_NOTIF    no listener (sysgate has none): ENOSYS, as Linux without one
 *   KILL_THREAD   the thread dies of SIGSYS (the process, if it is the last)
 *   KILL_PROCESS  the process dies of SIGSYS, dumping core as a fault would
 * Any other value kills the process too: a filter never fails open.
 */
#include "kernel/seccomp/seccomp.h"
#include "drivers/timer.h"
#include "kernel/cred/cred.h"
#include "kernel/printk.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/trace/ptrace.h"
#include "libc/include/string.h"

#define SKIP (-1)          /* seccomp_syscall_enter's "do not run the call" */
#define MAX_ERRNO 4095     /* the largest errno a result can carry */
#define AUDIT_SECCOMP 1326 /* the audit record type of a seccomp event */

/* The action alone, signed: the smaller, the more restrictive. */
static int32_t action_rank(uint32_t ret)
{
	return (int32_t)(ret & SECCOMP_RET_ACTION_FULL);
}

/* The kernel log line, as Linux's audit writes it when no audit daemon
 * listens. Which actions are logged: kills and LOG always; ERRNO, TRAP,
 * TRACE and USER_NOTIF only for a filter loaded with SECCOMP_FILTER_FLAG_LOG;
 * ALLOW never (Linux's default actions_logged). */
static void log_action(const struct regs *r, int sig, uint32_t action, bool requested)
{
	static unsigned long serial;
	if (action == SECCOMP_RET_ALLOW)
		return;
	bool always = action == SECCOMP_RET_LOG || action_rank(action) < action_rank(SECCOMP_RET_TRAP);
	if (!always && !requested)
		return;
	struct task *t = current;
	uint64_t ms = clock_realtime_ns() / 1000000;
	printk("audit: type=%d audit(%lu.%03lu:%lu): auid=4294967295 uid=%u gid=%u ses=4294967295 pid=%d "
	       "comm=\"%s\" sig=%d arch=%x syscall=%d compat=0 ip=%#lx code=%#x\n",
	       AUDIT_SECCOMP, ms / 1000, ms % 1000, ++serial, t->cred->uid, t->cred->gid, task_tgid(t),
	       t->name, sig, AUDIT_ARCH_X86_64, (int)r->orig_rax, r->rip, action);
}

static void fill_data(struct seccomp_data *d, const struct regs *r)
{
	d->nr = (int)r->orig_rax;
	d->arch = AUDIT_ARCH_X86_64;
	d->instruction_pointer = r->rip; /* the instruction after `syscall` */
	d->args[0] = r->rdi;
	d->args[1] = r->rsi;
	d->args[2] = r->rdx;
	d->args[3] = r->r10;
	d->args[4] = r->r8;
	d->args[5] = r->r9;
}

/* Every filter of the stack runs; the most restrictive verdict wins. */
static uint32_t run_filters(const struct seccomp_data *d, const struct seccomp_filter **match)
{
	uint32_t verdict = SECCOMP_RET_ALLOW;
	for (const struct seccomp_filter *f = current->seccomp.filter; f; f = f->prev) {
		uint32_t ret = seccomp_bpf_run(f, d);
		if (action_rank(ret) < action_rank(verdict)) {
			verdict = ret;
			*match = f;
		}
	}
	return verdict;
}

/* TRAP and the kills: SIGSYS, with the registers as they were at the call
 * (rax holds the number again, as Linux's rollback leaves it). */
static void send_sigsys(struct regs *r, uint32_t data, bool fatal)
{
	ksiginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGSYS;
	info.si_code = SYS_SECCOMP;
	info.si_errno = (int)data;
	info.fields.sys.si_call_addr = (void *)r->rip;
	info.fields.sys.si_syscall = (int)r->orig_rax;
	info.fields.sys.si_arch = AUDIT_ARCH_X86_64;
	r->rax = r->orig_rax;
	force_sig_info(SIGSYS, &info, fatal);
}

static int kill_action(struct regs *r, uint32_t action, uint32_t data)
{
	log_action(r, SIGSYS, action, true);
	if (action == SECCOMP_RET_KILL_THREAD && current->group->live > 1)
		do_exit(SIGSYS); /* just this thread: its process goes on */
	send_sigsys(r, data, true);
	return SKIP;
}

static int filter_syscall(struct regs *r, bool after_trace);

/* TRACE: the tracer decides. It may change the call (judged again, but a
 * second TRACE verdict then lets it run) or skip it by setting the number
 * to -1. The result of a skipped call is what the tracer left in rax. */
static int trace_action(struct regs *r, uint32_t data)
{
	r->rax = (uint64_t)-ENOSYS;
	ptrace_event(PTRACE_EVENT_SECCOMP, data);
	if (sigpending_all(current) & SIGBIT(SIGKILL))
		return SKIP; /* dying anyway: the call must not run unchanged */
	if ((int)r->orig_rax < 0)
		return SKIP;
	return filter_syscall(r, true);
}

static int filter_syscall(struct regs *r, bool after_trace)
{
	if (seccomp_cache_allows(current->seccomp.filter, (int)r->orig_rax))
		return (int)r->orig_rax; /* known at install: every filter allows it (cache.c) */
	struct seccomp_data d;
	fill_data(&d, r);
	const struct seccomp_filter *match = NULL;
	uint32_t ret = run_filters(&d, &match);
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;
	bool requested = match && match->log;
	switch (action) {
	case SECCOMP_RET_ALLOW:
		return d.nr;
	case SECCOMP_RET_LOG:
		log_action(r, 0, action, true);
		return d.nr;
	case SECCOMP_RET_TRACE:
		if (after_trace)
			return d.nr;
		if (ptrace_event_enabled(PTRACE_EVENT_SECCOMP))
			return trace_action(r, data);
		r->rax = (uint64_t)-ENOSYS;
		break;
	case SECCOMP_RET_ERRNO:
		r->rax = (uint64_t)-(long)(data > MAX_ERRNO ? MAX_ERRNO : data);
		break;
	case SECCOMP_RET_TRAP:
		send_sigsys(r, data, false);
		break;
	case SECCOMP_RET_USER_NOTIF:
		r->rax = (uint64_t)-ENOSYS;
		break;
	default:
		return kill_action(r, action, data);
	}
	log_action(r, 0, action, requested);
	return SKIP;
}

/* Strict mode's whole list (Linux's mode 1). */
static bool strict_allows(int nr)
{
	return nr == __NR_read || nr == __NR_write || nr == __NR_exit || nr == __NR_rt_sigreturn;
}

int seccomp_syscall_enter(struct regs *r)
{
	int nr = (int)r->orig_rax;
	if (current->seccomp.mode == SECCOMP_MODE_FILTER)
		return filter_syscall(r, false);
	if (strict_allows(nr))
		return nr;
	log_action(r, SIGKILL, SECCOMP_RET_KILL_THREAD, true);
	do_exit(SIGKILL);
}
