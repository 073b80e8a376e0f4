/*
 * ptrace(2): attaching, the requests, resuming and detaching (course
 * section: syscall tracing).
 *
 * A tracer becomes one in three ways: the child asks (PTRACE_TRACEME, then
 * usually execve, which stops it with SIGTRAP), the tracer attaches
 * (PTRACE_ATTACH, which sends SIGSTOP), or it seizes (PTRACE_SEIZE, no
 * signal; PTRACE_INTERRUPT stops the tracee when wanted). Every other
 * request needs the tracee stopped in a ptrace-stop (kernel/trace/
 * ptrace_stop.c) for this tracer, or it fails with ESRCH. Resuming
 * requests (CONT, SYSCALL, SINGLESTEP, DETACH) take the signal to deliver
 * in `data` (0: none).
 */
#include "kernel/trace/ptrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/x86.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/sched.h"
#include "kernel/proc/task.h"
#include "kernel/cred/cred.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define OPTIONS_KNOWN                                                                                    \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |        \
	 PTRACE_O_TRACEEXEC | PTRACE_O_TRACEVFORKDONE | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)

/* --- permission -------------------------------------------------------------------------- */

/* Debian's Linux (Yama, ptrace_scope 1) lets a process trace its own
 * descendants, and only those whose ids are all its own and that did not
 * become undumpable (a set-user-ID program, PR_SET_DUMPABLE 0); with
 * CAP_SYS_PTRACE, anyone. The tracer is always the current task. */
static bool may_trace_anyone(const struct task *tracer)
{
	(void)tracer;
	return capable(CAP_SYS_PTRACE);
}

static bool same_ids(const struct task *target)
{
	const struct cred *me = current_cred(), *it = target->cred;
	return me->uid == it->uid && me->uid == it->euid && me->uid == it->suid && me->gid == it->gid &&
	       me->gid == it->egid && me->gid == it->sgid && !target->prctl.not_dumpable;
}

static bool is_descendant(const struct task *t, const struct task *ancestor)
{
	for (const struct task *p = t->group->leader; p; p = p->parent) {
		if (p->group == ancestor->group)
			return true;
		if (p == p->parent)
			break;
	}
	return false;
}

int ptrace_may_access(const struct task *tracer, const struct task *target)
{
	if (target->group == tracer->group)
		return 0; /* one's own process (process_vm_readv may; attach refuses it) */
	if (may_trace_anyone(tracer) || (is_descendant(target, tracer) && same_ids(target)))
		return 0;
	return -EPERM;
}

/* --- the bond ------------------------------------------------------------------------------ */

int ptrace_attach_link(struct task *target, struct task *tracer, unsigned flags, unsigned options)
{
	struct ptrace_link *l = target->ptrace_link;
	if (!l && !(l = kzalloc(sizeof(*l))))
		return -ENOMEM;
	memset(l, 0, sizeof(*l));
	l->tracee = target;
	l->tracer = tracer;
	l->options = options;
	list_push_back(&tracer->tracees, &l->node);
	target->ptrace_link = l;
	target->ptrace = PT_TRACED | flags;
	return 0;
}

void ptrace_resume(struct task *t, int sig)
{
	struct ptrace_link *l = t->ptrace_link;
	l->resume_signal = sig;
	l->listening = false;
	uint64_t f = irq_save();
	if (t->state == TASK_TRACED || t->state == TASK_STOPPED) {
		t->state = TASK_RUNNING;
		sched_enqueue(t);
	}
	irq_restore(f);
}

/* Set or clear the trap flag for single-stepping: only a flag we set is
 * ours to clear (the program may single-step itself). */
static void set_stepping(struct task *t, bool step)
{
	struct regs *r = task_regs(t);
	if (step) {
		r->rflags |= RFLAGS_TF;
		t->ptrace |= PT_STEP;
	} else if (t->ptrace & PT_STEP) {
		r->rflags &= ~(uint64_t)RFLAGS_TF;
		t->ptrace &= ~PT_STEP;
	}
}

void ptrace_detach_link(struct task *t, int sig)
{
	struct ptrace_link *l = t->ptrace_link;
	set_stepping(t, false);
	list_remove(&l->node);
	l->tracer = NULL;
	t->ptrace = 0;
	t->syscall_work &= ~SYSCALL_WORK_PTRACE;
	ptrace_resume(t, sig);
}

/* --- the requests that make or end the bond ------------------------------------------------ */

static long trace_me(void)
{
	struct task *t = current;
	struct task *parent = t->group->leader->parent;
	if (t->ptrace || !parent)
		return -EPERM;
	return ptrace_attach_link(t, parent, 0, 0);
}

static long attach(struct task *t, long request, unsigned long addr, unsigned long data)
{
	bool seize = request == PTRACE_SEIZE;
	if (seize && (addr || (data & ~(unsigned long)OPTIONS_KNOWN)))
		return -EIO;
	if (t->group == current->group || t->group == init_task->group)
		return -EPERM; /* oneself, or init: never */
	int err = ptrace_may_access(current, t);
	if (err)
		return err;
	if (t->ptrace)
		return -EPERM; /* one tracer at a time */
	err = ptrace_attach_link(t, current, seize ? PT_SEIZED : 0, seize ? (unsigned)data : 0);
	if (err)
		return err;
	if (!seize)
		send_signal_thread(t, SIGSTOP, NULL);
	return 0;
}

static bool valid_signal(unsigned long sig)
{
	return sig <= NSIG_KERNEL;
}

static long resume(struct task *t, long request, unsigned long sig)
{
	if (!valid_signal(sig))
		return -EIO;
	if (request == PTRACE_SYSCALL) {
		t->ptrace |= PT_SYSCALL_TRACE;
		t->syscall_work |= SYSCALL_WORK_PTRACE; /* the syscall path's one test */
	} else {
		t->ptrace &= ~PT_SYSCALL_TRACE;
		t->syscall_work &= ~SYSCALL_WORK_PTRACE;
	}
	set_stepping(t, request == PTRACE_SINGLESTEP);
	ptrace_resume(t, (int)sig);
	return 0;
}

/* --- the requests on a stopped tracee ------------------------------------------------------- */

static long peek_word(struct task *t, uint64_t addr, uint64_t data)
{
	uint64_t word;
	if (ptrace_access_vm(t, addr, &word, sizeof(word), false) != sizeof(word))
		return -EIO;
	return copy_to_user((void __user *)data, &word, sizeof(word)) ? -EFAULT : 0;
}

static long poke_word(struct task *t, uint64_t addr, uint64_t data)
{
	if (ptrace_access_vm(t, addr, &data, sizeof(data), true) != sizeof(data))
		return -EIO;
	return 0;
}

/* In a group-stop: the stop signal's details, as its delivery left them. */
static long get_siginfo(struct ptrace_link *l, uint64_t data)
{
	return copy_to_user((void __user *)data, &l->siginfo, sizeof(l->siginfo)) ? -EFAULT : 0;
}

static long set_siginfo(struct ptrace_link *l, uint64_t data)
{
	ksiginfo_t info;
	if (copy_from_user(&info, (const void __user *)data, sizeof(info)))
		return -EFAULT;
	l->siginfo = info;
	return 0;
}

static long set_options(struct task *t, unsigned long data)
{
	if (data & ~(unsigned long)OPTIONS_KNOWN)
		return -EINVAL;
	t->ptrace_link->options = (unsigned)data;
	return 0;
}

static long interrupt(struct task *t)
{
	struct ptrace_link *l = t->ptrace_link;
	if (!(t->ptrace & PT_SEIZED))
		return -EIO;
	if (t->state == TASK_TRACED)
		return 0; /* stopped already */
	l->interrupt = true;
	t->group_stop_pending = true; /* on its way to user mode, it stops */
	uint64_t f = irq_save();
	if (t->state == TASK_STOPPED && l->listening) {
		t->state = TASK_RUNNING; /* LISTEN's park ends: it stops again, for us */
		sched_enqueue(t);
	}
	irq_restore(f);
	task_wake_for_signal(t);
	return 0;
}

/* LISTEN: a seized tracee in group-stop stays stopped, but is no longer
 * in a ptrace-stop: SIGCONT (or INTERRUPT) may wake it. */
static long listen(struct task *t)
{
	struct ptrace_link *l = t->ptrace_link;
	if (!(t->ptrace & PT_SEIZED) || l->kind != STOP_GROUP)
		return -EIO;
	l->listening = true;
	uint64_t f = irq_save();
	t->state = TASK_STOPPED;
	irq_restore(f);
	return 0;
}

static long stopped_request(struct task *t, long request, uint64_t addr, uint64_t data)
{
	struct ptrace_link *l = t->ptrace_link;
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		return peek_word(t, addr, data);
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return poke_word(t, addr, data);
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
		return resume(t, request, data);
	case PTRACE_DETACH:
		if (!valid_signal(data))
			return -EIO;
		ptrace_detach_link(t, (int)data);
		return 0;
	case PTRACE_GETSIGINFO:
		return get_siginfo(l, data);
	case PTRACE_SETSIGINFO:
		return set_siginfo(l, data);
	case PTRACE_GETEVENTMSG:
		return copy_to_user((void __user *)data, &l->eventmsg, sizeof(l->eventmsg)) ? -EFAULT : 0;
	case PTRACE_SETOPTIONS:
		return set_options(t, data);
	case PTRACE_LISTEN:
		return listen(t);
	default:
		return ptrace_regs_request(t, request, addr, data);
	}
}

long sys_ptrace(long request, pid_t pid, unsigned long addr, unsigned long data)
{
	if (request == PTRACE_TRACEME)
		return trace_me();
	struct task *t = task_find(pid);
	if (!t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
		return -ESRCH;
	if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
		return attach(t, request, addr, data);
	struct ptrace_link *l = t->ptrace_link;
	if (!t->ptrace || !l || !l->tracer || l->tracer->group != current->group)
		return -ESRCH; /* not our tracee */
	if (request == PTRACE_KILL) {
		send_signal(t, SIGKILL, NULL);
		return 0;
	}
	if (request == PTRACE_INTERRUPT)
		return interrupt(t);
	if (t->state != TASK_TRACED)
		return -ESRCH; /* running: only a stopped tracee can be asked */
	return stopped_request(t, request, addr, data);
}
