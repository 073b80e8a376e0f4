/*
 * Signals: sending, pending, default actions (course section: signals).
 *
 * Sending a signal only makes it pending (kernel/signal/signal_pending.c keeps it,
 * with a siginfo saying who sent it and why); a target that sleeps
 * interruptibly is also woken. The target acts on it on its way back to
 * user mode (kernel/entry.c), where do_signal() takes the next pending
 * signal that is not blocked and either runs the default action --
 * terminate, dump core, stop, continue, ignore -- or enters the program's
 * handler (kernel/signal/signal_frame.c).
 */
#include "kernel/signal/signal.h"
#include "arch/x86_64/oops.h"
#include "kernel/proc/exit.h"
#include "kernel/printk.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal_frame.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "kernel/trace/ptrace.h"
#include "libc/include/abi/poll.h"
#include "libc/include/string.h"
#include "kernel/tracing/hooks.h"

enum default_action { ACT_TERM, ACT_CORE, ACT_IGNORE, ACT_STOP, ACT_CONT };

#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static enum default_action default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return ACT_CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return ACT_IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return ACT_STOP;
	case SIGCONT:
		return ACT_CONT;
	default:
		return ACT_TERM;
	}
}

static const char *const names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT",
	[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
	[SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
	[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
	[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig)
{
	if (sig > 0 && sig < (int)ARRAY_SIZE(names) && names[sig])
		return names[sig];
	return sig >= SIGRTMIN_KERNEL && sig <= NSIG_KERNEL ? "SIGRT" : "signal?";
}

bool signal_ignored(const struct task *t, int sig)
{
	void *h = t->sighand->action[sig].handler;
	return h == SIG_IGN || (h == SIG_DFL && default_action(sig) == ACT_IGNORE);
}

/*
 * init is the one process whose death stops the machine, so Linux protects
 * it: a signal init has not asked for -- one whose action is still SIG_DFL,
 * SIGKILL and SIGSTOP included -- is dropped, whoever sends it (kill, the
 * tty's ^C, ptrace, a timer); one that waited while blocked is dropped when
 * taken. Only init's own faults (force_signal) still kill it, as on Linux,
 * where that ends in "Attempted to kill init!".
 */
static bool forcing; /* force_signal is posting: init is not protected from its own faults */

static bool init_ignores(const struct task *t, int sig, bool forced)
{
	return t->group == init_task->group && t->sighand->action[sig].handler == SIG_DFL && !forced;
}

/* At delivery: was this a fault of the program's own (force_signal's kind)? */
static bool is_own_fault(int sig, const ksiginfo_t *info)
{
	bool fault_signal = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
			    sig == SIGSYS;
	return fault_signal && info->si_code > 0;
}

static int post_signal(struct task *t, enum signal_target to, int sig, const ksiginfo_t *info)
{
	if (sig < 1 || sig > NSIG_KERNEL)
		return -EINVAL; /* every caller checks; this keeps a missed check from shifting out of range */
	if (to == TO_PROCESS && t->state == TASK_ZOMBIE)
		t = thread_group_live_member(t); /* the leader is gone, its threads are not */
	if (!t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
		return 0;
	bool blocked = t->sig.blocked & SIGBIT(sig) & ~UNBLOCKABLE; /* kept: a handler may come */
	if (init_ignores(t, sig, forcing) && !blocked)
		return 0;
	if (sig == SIGCONT || sig == SIGKILL) {
		/* Continue the stopped process now, every thread of it, and
		 * forget pending stops. The parent hears of it for SIGCONT;
		 * after SIGKILL, only the death. */
		group_continue(t, sig == SIGCONT);
	}
	if (SIGBIT(sig) & STOP_SIGNALS)
		group_flush_signals(t, SIGBIT(SIGCONT));
	/* An ignored signal is dropped at once (but a blocked one waits: the
	 * program may install a handler before unblocking it). */
	if (signal_ignored(t, sig) && !(t->sig.blocked & SIGBIT(sig)) && sig != SIGCONT &&
	    !t->ptrace) { /* ptrace: a tracer sees even ignored signals */
		tracehook_signal_generate(sig, info ? info->si_code : 0, t, to == TO_PROCESS, 1 /* ignored */);
		return 0;
	}
	int err = sigpending_add(t, to, sig, info);
	tracehook_signal_generate(sig, info ? info->si_code : 0, t, to == TO_PROCESS, err ? 3 /* overflow */ : 0);
	if (err)
		return err;
	wake_up(&t->signal_wait, POLLIN | POLLRDNORM); /* signalfd readers and pollers */
	if (to == TO_PROCESS)
		thread_group_wake_for_signal(t, sig); /* any thread that does not block it */
	else if (signal_work_pending(t))
		task_wake_for_signal(t);
	return 0;
}

int send_signal(struct task *t, int sig, const ksiginfo_t *info)
{
	return post_signal(t, TO_PROCESS, sig, info);
}

int send_signal_thread(struct task *t, int sig, const ksiginfo_t *info)
{
	return post_signal(t, TO_THREAD, sig, info);
}

int send_signal_group(int pgid, int sig, const ksiginfo_t *info)
{
	int count = 0;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->pgid == pgid && thread_group_live_member(t) && t->pid > 0 && t == t->group->leader) {
			send_signal(t, sig, info);
			count++;
		}
	}
	return count;
}

bool signal_work_pending(struct task *t)
{
	return (sigpending_all(t) & ~(t->sig.blocked & ~UNBLOCKABLE)) != 0 || t->group_stop_pending;
}

/* Print the line that tells a student why a program died of a fault. */
static void report_fault_death(struct task *t, int sig, const ksiginfo_t *info, const struct regs *r)
{
	printk("%s[%d]: killed by %s (si_code %d, address 0x%lx, ip %#lx, sp %#lx)\n", t->name,
	       t->pid, signal_name(sig), info->si_code, (uint64_t)info->fields.fault.si_addr,
	       r->rip, r->rsp);
}

/* A signal the program must take now: it cannot be blocked or ignored,
 * because the program would only fault again, forever. Linux resets such
 * a signal to its default action. */
static void force_signal(struct task *t, int sig, const ksiginfo_t *info)
{
	if ((t->sig.blocked & SIGBIT(sig)) || t->sighand->action[sig].handler == SIG_IGN) {
		t->sig.blocked &= ~SIGBIT(sig);
		t->sighand->action[sig].handler = SIG_DFL;
	}
	sigpending_flush(t, SIGBIT(sig)); /* this instance's details win */
	forcing = true;
	send_signal_thread(t, sig, info);
	forcing = false;
}

void force_sig_fault(struct regs *r, int sig, int code, uint64_t addr)
{
	struct task *t = current;
	ksiginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.fields.fault.si_addr = (void *)addr;
	void *h = t->sighand->action[sig].handler;
	bool no_handler_will_run = (t->sig.blocked & SIGBIT(sig)) || h == SIG_IGN || h == SIG_DFL;
	if (no_handler_will_run)
		report_fault_death(t, sig, &info, r);
	force_signal(t, sig, &info);
}

void force_sig_info(int sig, const ksiginfo_t *info, bool fatal)
{
	if (fatal) {
		current->sighand->action[sig].handler = SIG_DFL;
		current->sighand->action[sig].flags |= SA_IMMUTABLE;
	}
	force_signal(current, sig, info);
}

void force_sigsegv(int failed_sig)
{
	struct task *t = current;
	ksiginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGSEGV;
	info.si_code = SI_KERNEL;
	/* If SIGSEGV's own handler could not be entered, trying again would
	 * fail again: take the default action (death) instead. */
	if (failed_sig == SIGSEGV)
		t->sighand->action[SIGSEGV].handler = SIG_DFL;
	force_signal(t, SIGSEGV, &info);
}

/* --- the alternate signal stack (sigaltstack) --------------------------------------------- */

/* With SS_AUTODISARM the stack is disabled while a handler runs on it, so
 * the program is never "on" it as far as these rules go (Linux's rule). */
bool on_altstack(const struct task *t, uint64_t sp)
{
	const stack_t *s = &t->sig.altstack;
	if ((s->ss_flags & SS_AUTODISARM) || s->ss_size == 0)
		return false;
	return sp > (uint64_t)s->ss_sp && sp - (uint64_t)s->ss_sp <= s->ss_size;
}

/* SS_DISABLE, SS_ONSTACK (sp is on it) or 0 -- plus SS_AUTODISARM if set. */
static int altstack_flags(const struct task *t, uint64_t sp)
{
	const stack_t *s = &t->sig.altstack;
	int mode = s->ss_size == 0 ? SS_DISABLE : on_altstack(t, sp) ? SS_ONSTACK : 0;
	return mode | (int)(s->ss_flags & SS_AUTODISARM);
}

void altstack_get(const struct task *t, uint64_t sp, stack_t *out)
{
	*out = t->sig.altstack;
	out->ss_flags = altstack_flags(t, sp);
}

int altstack_set(struct task *t, const stack_t *ss, uint64_t sp)
{
	if (on_altstack(t, sp))
		return -EPERM; /* a handler is running on it: moving it would pull the rug */
	int mode = ss->ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->sig.altstack = (stack_t){ .ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0 };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	t->sig.altstack = *ss; /* the flags as given: the frame's uc_stack shows them */
	return 0;
}

void do_signal(struct regs *r)
{
	struct task *t = current;
	ksiginfo_t info;
	int sig = sigpending_take(t, ~(t->sig.blocked & ~UNBLOCKABLE), &info);
	if (!sig) {
		if (t->group_stop_pending)
			group_stop_self(t); /* another thread took a stop signal for us all */
		return;
	}
	bool immutable = t->sighand->action[sig].flags & SA_IMMUTABLE;
	if (unlikely(t->ptrace) && sig != SIGKILL && !immutable) { /* ptrace: signal-delivery-stop */
		sig = ptrace_signal_delivery(sig, &info);
		if (!sig)
			return;
	}
	struct kernel_sigaction *act = &t->sighand->action[sig];

	/* A thread of init still dies of the SIGKILL that exit_group (or an
	 * exec) sends it: the process is ending anyway, as Linux lets it. */
	bool must_take = is_own_fault(sig, &info) || (sig == SIGKILL && t->group->exiting);
	if (act->handler == SIG_IGN || init_ignores(t, sig, must_take))
		return;
	tracehook_signal_deliver(sig, info.si_code, (uint64_t)act->handler, act->flags);
	if (act->handler != SIG_DFL && sig != SIGKILL && sig != SIGSTOP) {
		enter_signal_handler(r, sig, &info, act);
		return;
	}
	switch (default_action(sig)) {
	case ACT_IGNORE:
	case ACT_CONT:
		return;
	case ACT_STOP:
		group_stop(t, sig);
		return;
	case ACT_CORE:
		do_group_exit(sig | WCOREFLAG); /* a fatal signal ends every thread */
	case ACT_TERM:
		do_group_exit(sig);
	}
}

/* The thread's own state; the actions come by clone (kernel/proc/clone.c). */
void signals_fork(struct task *child, const struct task *parent)
{
	child->sig.blocked = parent->sig.blocked;
	sigpending_init(&child->sig.pending);
	child->sig.altstack = parent->sig.altstack;
}

void signals_release(struct task *t)
{
	sigpending_flush_thread(t, ~0ull);
}

void group_flush_signals(struct task *t, kernel_sigset_t set)
{
	sigpending_flush(t, set);
	struct list_node *n;
	list_for_each(n, &t->group->threads)
		sigpending_flush_thread(list_entry(n, struct task, group_node), set);
}

/* exec: handlers point into the old program, so they become SIG_DFL;
 * ignored signals stay ignored; the mask and pending set are kept. */
void signals_exec(struct task *t)
{
	for (int sig = 1; sig <= NSIG_KERNEL; sig++) {
		struct kernel_sigaction *a = &t->sighand->action[sig];
		if (a->handler != SIG_IGN)
			memset(a, 0, sizeof(*a));
	}
	t->sig.altstack = (stack_t){ .ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0 };
}

bool current_signal_pending(void)
{
	return signal_work_pending(current);
}
