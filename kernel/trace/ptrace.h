/* ptrace: one process watching and steering another (course section:
 * syscall tracing). See kernel/trace/README.md. */
#ifndef KERNEL_TRACE_PTRACE_H
#define KERNEL_TRACE_PTRACE_H

#include "arch/x86_64/regs.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/ptrace.h"
#include "libc/include/abi/signal.h"

struct task;

/* task->ptrace: the flag word the hot paths test (0: not traced). The
 * syscall path tests task->syscall_work instead, one word for ptrace and
 * seccomp: its SYSCALL_WORK_PTRACE bit is set and cleared with PT_SYSCALL_TRACE. */
#define PT_TRACED 1u
#define PT_SEIZED 2u        /* by PTRACE_SEIZE: no SIGSTOP, INTERRUPT and LISTEN work */
#define PT_SYSCALL_TRACE 4u /* resumed by PTRACE_SYSCALL: stop at the next entry and exit */
#define PT_STEP 8u          /* resumed by PTRACE_SINGLESTEP: we set the trap flag */

/* Which stop a tracee is in (PTRACE_GET_SYSCALL_INFO and GETSIGINFO ask). */
enum ptrace_stop_kind {
	STOP_NONE,
	STOP_SIGNAL,        /* signal-delivery-stop: the tracer may change the signal */
	STOP_SYSCALL_ENTER,
	STOP_SYSCALL_EXIT,
	STOP_EVENT,         /* PTRACE_EVENT_*: fork, exec, exit... */
	STOP_GROUP,         /* group-stop (SIGSTOP and friends), or PTRACE_EVENT_STOP */
};

/* A tracee's side of the bond; allocated at attach, kept (tracer NULL
 * after a detach) until the tracee exits. */
struct ptrace_link {
	struct task *tracee, *tracer;
	struct list_node node;         /* in tracer->tracees */
	unsigned options;              /* PTRACE_O_* */
	enum ptrace_stop_kind kind;
	int stop_status;               /* what wait4 reports for this stop */
	bool reported;                 /* wait4 has reported it already */
	int resume_signal;             /* given by the tracer's CONT/SYSCALL/DETACH... */
	bool listening;                /* PTRACE_LISTEN: stays stopped, SIGCONT may wake it */
	bool interrupt;                /* PTRACE_INTERRUPT asked for an event stop */
	ksiginfo_t siginfo;            /* signal-delivery-stop: the signal's details */
	unsigned long eventmsg;        /* PTRACE_GETEVENTMSG */
};

/* An exit the tracer has still to hear of by wait4 (the task is gone). */
struct ptrace_note {
	struct list_node node;         /* in tracer->ptrace_notes */
	pid_t pid;
	int status;
	bool clone_child;              /* __WCLONE's kind: did not exit with SIGCHLD */
	pid_t pgid;
};

/* --- hooks in the shared paths (each one line there, marked "ptrace") ----- */

/* arch/x86_64/syscall.c, only when PT_SYSCALL_TRACE: the stops before and
 * after a syscall. At entry the tracer may change the number and the
 * arguments: returns the number to run, -1 to skip the call (its result is
 * then what the tracer left in rax, -ENOSYS by default) or if SIGKILL came.
 * At exit it may change the result. */
int ptrace_syscall_enter(struct regs *r);
void ptrace_syscall_exit(void);
/* do_signal: a traced task about to act on sig. Returns the signal to act
 * on instead (the tracer's choice; 0: none). */
int ptrace_signal_delivery(int sig, ksiginfo_t *info);
/* task_stop: a traced task's group-stop (true: handled, it is resumed). */
bool ptrace_group_stop(struct task *t, int sig);
/* do_clone, before the child first runs: attach it if the tracer follows
 * this kind of clone; returns the PTRACE_EVENT_* to report (0: none). */
int ptrace_clone_attach(struct task *child, uint64_t clone_flags);
/* An event stop (fork/clone child pid, exec, exit status in msg) if the
 * tracer asked for it; exec without PTRACE_O_TRACEEXEC gets SIGTRAP. */
void ptrace_event(int event, unsigned long msg);
/* Would ptrace_event(event) stop (a tracer that asked for it)? */
bool ptrace_event_enabled(int event);
void ptrace_exec_done(pid_t old_tid);
/* do_exit: the PTRACE_EVENT_EXIT stop, the tracer's note of our exit, and,
 * if we trace others, their release (or death, with PTRACE_O_EXITKILL). */
void ptrace_task_exit(struct task *t, int status);
/* task_wake_for_signal: SIGKILL ends even a ptrace-stop. */
void ptrace_wake_for_kill(struct task *t);
/* find_waitable: a stop or exit of one of our tracees (pid, *status), 0
 * if we have tracees but none with news, -ECHILD if we have none. */
pid_t ptrace_wait_news(struct task *tracer, int idtype, pid_t id, int options, int *status);

/* --- inside kernel/trace ---------------------------------------------------- */

/* May tracer trace target (Linux's __ptrace_may_access)? 0 or -EPERM. */
int ptrace_may_access(const struct task *tracer, const struct task *target);
int ptrace_attach_link(struct task *target, struct task *tracer, unsigned flags, unsigned options);
void ptrace_detach_link(struct task *t, int sig);
void ptrace_resume(struct task *t, int sig);
/* Read or write another address space, ptrace's way (even read-only
 * pages: copy-on-write for text). Bytes done; 0 at the first bad page. */
size_t ptrace_access_vm(struct task *t, uint64_t addr, void *buf, size_t len, bool write);
long ptrace_regs_request(struct task *t, long request, uint64_t addr, uint64_t data);

#endif
