/*
 * ptrace stops: where a traced task halts for its tracer, and how the
 * tracer hears of it (course section: syscall tracing).
 *
 * A traced task ("tracee") runs normally until one of these moments, when
 * it stops in the kernel (state TASK_TRACED) and its tracer's wait4 says
 * so with a "stopped" status (low byte 0x7f):
 *   signal-delivery-stop  a signal is about to act on it; the tracer's
 *                         resume says which signal acts (0: none)
 *   syscall-enter-stop    after PTRACE_SYSCALL, before a syscall runs; the
 *   syscall-exit-stop     tracer may change the number (-1: skip it), the
 *                         arguments, and after it, the result
 *   event stop            fork/vfork/clone/exec/exit, if PTRACE_SETOPTIONS
 *                         asked: status SIGTRAP | event << 8
 *   group-stop            SIGSTOP & co. stop a traced task in a ptrace-stop
 * The tracer may read and write the stopped task's registers and memory
 * (kernel/trace/ptrace.c), then resume it. Each stop is a full round trip
 * through the scheduler: that is why strace slows a program down.
 *
 * The shared paths call in here through one flag test each (task->ptrace),
 * so untraced programs pay nothing more.
 */
#include "kernel/trace/ptrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/sched.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "libc/include/abi/sched.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define EVENT_STATUS(event) (W_STOPCODE(SIGTRAP) | (event) << 16)

static bool killed(const struct task *t)
{
	return sigpending_all(t) & SIGBIT(SIGKILL);
}

/* The tracer hears of a stop or an exit as a parent of its child's:
 * SIGCHLD, and a wake-up of its wait4. */
static void notify_tracer(struct task *tracer, pid_t pid, int code, int status_value)
{
	ksiginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.fields.chld.si_pid = pid;
	info.fields.chld.si_status = status_value;
	send_signal(tracer, SIGCHLD, &info);
	wake_up_all(&tracer->group->leader->child_wait);
}

/* Stop here until the tracer resumes us, SIGKILL comes, or the tracer
 * goes. Returns the signal the tracer resumed us with, or -1 if we are not
 * traced (any more) and did not stop. */
static int ptrace_stop(enum ptrace_stop_kind kind, int status)
{
	struct task *t = current;
	struct ptrace_link *l = t->ptrace_link;
	if (!l || !l->tracer || killed(t))
		return -1;
	l->kind = kind;
	l->stop_status = status;
	l->reported = false;
	l->resume_signal = 0;
	if (kind != STOP_SIGNAL && kind != STOP_GROUP) {
		/* GETSIGINFO in a syscall or event stop: SIGTRAP, and the
		 * stop's code (SIGTRAP | 0x80, or SIGTRAP | event << 8). */
		memset(&l->siginfo, 0, sizeof(l->siginfo));
		l->siginfo.si_signo = SIGTRAP;
		l->siginfo.si_code = status >> 8;
	}
	uint64_t f = irq_save();
	t->state = TASK_TRACED;
	irq_restore(f);
	notify_tracer(l->tracer, t->pid, CLD_TRAPPED, (status >> 8) & 0xff);
	/* LISTEN parks a tracee as TASK_STOPPED: SIGCONT or the tracer wakes it. */
	while (t->state == TASK_TRACED || t->state == TASK_STOPPED)
		schedule();
	l->kind = STOP_NONE;
	return l->resume_signal;
}

/* --- syscall stops ------------------------------------------------------------------------ */

static int syscall_status(const struct ptrace_link *l)
{
	int sig = SIGTRAP | ((l->options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0);
	return W_STOPCODE(sig);
}

/* A signal given to the resume of a syscall or event stop is sent. */
static void send_resume_signal(int sig)
{
	if (sig > 0)
		send_signal_thread(current, sig, NULL);
}

int ptrace_syscall_enter(struct regs *r)
{
	struct task *t = current;
	r->rax = (uint64_t)-ENOSYS; /* what a skipped call returns unless the tracer says */
	send_resume_signal(ptrace_stop(STOP_SYSCALL_ENTER, syscall_status(t->ptrace_link)));
	if (killed(t))
		return -1; /* SIGKILL during the stop: the call does not run */
	return (int)r->orig_rax; /* the tracer may have changed it */
}

void ptrace_syscall_exit(void)
{
	if (current->ptrace & PT_SYSCALL_TRACE) /* still: a CONT at entry means no exit stop */
		send_resume_signal(ptrace_stop(STOP_SYSCALL_EXIT, syscall_status(current->ptrace_link)));
}

/* --- signal-delivery-stop and group-stop ---------------------------------------------------- */

int ptrace_signal_delivery(int sig, ksiginfo_t *info)
{
	struct task *t = current;
	struct ptrace_link *l = t->ptrace_link;
	l->siginfo = *info;
	int chosen = ptrace_stop(STOP_SIGNAL, W_STOPCODE(sig));
	if (chosen < 0)
		return sig; /* detached before the stop: the signal acts as usual */
	if (chosen == 0 || killed(t))
		return 0;   /* suppressed (or SIGKILL comes next) */
	if (chosen == l->siginfo.si_signo) {
		*info = l->siginfo; /* as the tracer left it (SETSIGINFO) */
	} else {
		/* Another signal: it looks sent by the tracer. */
		memset(info, 0, sizeof(*info));
		info->si_signo = chosen;
		info->si_code = SI_USER;
		info->fields.kill.si_pid = l->tracer ? task_tgid(l->tracer) : 0;
	}
	if (t->sig.blocked & SIGBIT(chosen)) {
		send_signal_thread(t, chosen, info); /* blocked: it waits, as a sent one would */
		return 0;
	}
	return chosen;
}

bool ptrace_group_stop(struct task *t, int sig)
{
	struct ptrace_link *l = t->ptrace_link;
	if (!l || !l->tracer)
		return false;
	int status = W_STOPCODE(sig ? sig : SIGSTOP);
	if (t->ptrace & PT_SEIZED)
		status |= PTRACE_EVENT_STOP << 16; /* PTRACE_SEIZE tells group-stops apart */
	if (l->interrupt) {
		l->interrupt = false;
		status = EVENT_STATUS(PTRACE_EVENT_STOP); /* PTRACE_INTERRUPT's own stop */
	}
	ptrace_stop(STOP_GROUP, status);
	/* Woken from LISTEN by SIGCONT: the tracer hears of it by a new stop. */
	while (l->listening && l->tracer && !killed(t)) {
		l->listening = false;
		ptrace_stop(STOP_GROUP, EVENT_STATUS(PTRACE_EVENT_STOP));
	}
	return true;
}

void ptrace_wake_for_kill(struct task *t)
{
	uint64_t f = irq_save();
	if (t->state == TASK_TRACED && killed(t)) {
		t->state = TASK_RUNNING;
		sched_enqueue(t);
	}
	irq_restore(f);
}

/* --- event stops -------------------------------------------------------------------------- */

bool ptrace_event_enabled(int event)
{
	struct ptrace_link *l = current->ptrace_link;
	return l && l->tracer && (l->options & (1u << event));
}

void ptrace_event(int event, unsigned long msg)
{
	struct ptrace_link *l = current->ptrace_link;
	if (!ptrace_event_enabled(event))
		return;
	l->eventmsg = msg;
	ptrace_stop(STOP_EVENT, EVENT_STATUS(event));
}

void ptrace_exec_done(pid_t old_tid)
{
	struct ptrace_link *l = current->ptrace_link;
	if (!l || !l->tracer)
		return;
	if (l->options & PTRACE_O_TRACEEXEC)
		ptrace_event(PTRACE_EVENT_EXEC, (unsigned long)old_tid);
	else if (!(current->ptrace & PT_SEIZED))
		send_signal_thread(current, SIGTRAP, NULL); /* the old way: a SIGTRAP after exec */
}

int ptrace_clone_attach(struct task *child, uint64_t flags)
{
	struct ptrace_link *l = current->ptrace_link;
	if (!l || !l->tracer || (flags & CLONE_UNTRACED))
		return 0;
	int event = (flags & CLONE_VFORK)		? PTRACE_EVENT_VFORK
		    : child->exit_signal != SIGCHLD ? PTRACE_EVENT_CLONE
						    : PTRACE_EVENT_FORK;
	bool follow = l->options & (1u << event);
	if (!follow && !(flags & CLONE_PTRACE))
		return 0;
	unsigned seized = current->ptrace & PT_SEIZED;
	if (ptrace_attach_link(child, l->tracer, seized, l->options))
		return 0; /* no memory for the link: the child runs untraced */
	/* The child's first act is a stop: SIGSTOP, or under SEIZE an event stop. */
	if (seized) {
		child->ptrace_link->interrupt = true;
		child->group_stop_pending = true;
	} else {
		sigpending_add(child, TO_THREAD, SIGSTOP, NULL);
	}
	return follow ? event : 0;
}

/* --- exits -------------------------------------------------------------------------------- */

/* The tracer must hear of our exit by wait4, unless it is our parent,
 * who hears of it the usual way (a zombie child). */
static void leave_exit_note(struct ptrace_link *l, struct task *t, int status)
{
	struct task *tracer = l->tracer;
	bool parent_hears = t == t->group->leader && t->parent && t->parent->group == tracer->group;
	if (parent_hears)
		return;
	struct ptrace_note *note = kzalloc(sizeof(*note));
	if (!note)
		return;
	note->pid = t->pid;
	note->status = status;
	note->clone_child = t->exit_signal != SIGCHLD;
	note->pgid = t->pgid;
	list_push_back(&tracer->ptrace_notes, &note->node);
	notify_tracer(tracer, t->pid, (status & 0x7f) ? CLD_KILLED : CLD_EXITED,
		      (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff);
}

/* We are a tracer and we exit: our tracees go on untraced, or die. */
static void release_tracees(struct task *tracer)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &tracer->tracees) {
		struct ptrace_link *l = list_entry(n, struct ptrace_link, node);
		struct task *t = l->tracee;
		bool kill = l->options & PTRACE_O_EXITKILL;
		ptrace_detach_link(t, 0);
		if (kill)
			send_signal(t, SIGKILL, NULL);
	}
	list_for_each_safe(n, tmp, &tracer->ptrace_notes) {
		list_remove(n);
		kfree(list_entry(n, struct ptrace_note, node));
	}
}

void ptrace_task_exit(struct task *t, int status)
{
	release_tracees(t);
	struct ptrace_link *l = t->ptrace_link;
	if (!l)
		return;
	if (l->tracer && (l->options & PTRACE_O_TRACEEXIT)) {
		l->eventmsg = (unsigned long)status;
		ptrace_stop(STOP_EVENT, EVENT_STATUS(PTRACE_EVENT_EXIT));
	}
	if (l->tracer) {
		leave_exit_note(l, t, status);
		list_remove(&l->node);
	}
	t->ptrace = 0;
	t->syscall_work &= ~SYSCALL_WORK_PTRACE;
	t->ptrace_link = NULL;
	kfree(l);
}

/* --- wait4 -------------------------------------------------------------------------------- */

static bool wait_matches(pid_t pid, pid_t pgid, bool clone_child, int idtype, pid_t id, int options)
{
	if (!(options & __WALL) && clone_child != !!(options & __WCLONE))
		return false;
	if (idtype == P_PID)
		return pid == id;
	if (idtype == P_PGID)
		return pgid == id;
	return true;
}

static pid_t exit_news(struct task *tracer, int idtype, pid_t id, int options, int *status, bool *any)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &tracer->ptrace_notes) {
		struct ptrace_note *note = list_entry(n, struct ptrace_note, node);
		if (!wait_matches(note->pid, note->pgid, note->clone_child, idtype, id, options))
			continue;
		*any = true;
		if (!(options & WEXITED))
			continue;
		pid_t pid = note->pid;
		*status = note->status;
		if (!(options & WNOWAIT)) {
			list_remove(&note->node);
			kfree(note);
		}
		return pid;
	}
	return 0;
}

static pid_t stop_news(struct task *tracer, int idtype, pid_t id, int options, int *status, bool *any)
{
	struct list_node *n;
	list_for_each(n, &tracer->tracees) {
		struct ptrace_link *l = list_entry(n, struct ptrace_link, node);
		struct task *t = l->tracee;
		if (!wait_matches(t->pid, t->pgid, t->exit_signal != SIGCHLD, idtype, id, options))
			continue;
		*any = true;
		if (t->state != TASK_TRACED || l->kind == STOP_NONE || l->reported)
			continue;
		*status = l->stop_status;
		if (!(options & WNOWAIT))
			l->reported = true;
		return t->pid;
	}
	return 0;
}

pid_t ptrace_wait_news(struct task *self, int idtype, pid_t id, int options, int *status)
{
	bool any = false;
	/* The tracees of every thread of ours (of this one only: __WNOTHREAD). */
	struct list_node *n;
	list_for_each(n, &self->group->threads) {
		struct task *tracer = list_entry(n, struct task, group_node);
		if ((options & __WNOTHREAD) && tracer != self)
			continue;
		if (list_empty(&tracer->tracees) && list_empty(&tracer->ptrace_notes))
			continue;
		pid_t pid = exit_news(tracer, idtype, id, options, status, &any);
		if (!pid)
			pid = stop_news(tracer, idtype, id, options, status, &any);
		if (pid)
			return pid;
	}
	return any ? 0 : -ECHILD;
}
