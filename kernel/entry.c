/*
 * Returning to user mode (course section: the syscall gate; signals).
 *
 * Every path back to a program -- after a syscall, an interrupt or an
 * exception -- passes here with the program's saved registers. It is the
 * one safe point to act on three things that were only noted earlier:
 *   - "need resched": the timer decided this task's slice is over, so we
 *     switch to another task now, and come back here later;
 *   - pending signals: a handler is entered by rewriting the frame so that
 *     the return "lands" in it (kernel/signal/signal_frame.c).
 *   - restartable sequences: both interrupt a thread's rseq critical
 *     section, which must then restart (kernel/proc/rseq.c).
 * Each is checked again after the others, because switching tasks can take
 * a long time, during which new signals may arrive.
 */
#include "kernel/entry.h"
#include "kernel/proc/rseq.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/signal/signal_frame.h"
#include "kernel/proc/task.h"

void exit_to_user(struct regs *r)
{
	for (;;) {
		if (need_resched()) {
			schedule();
			rseq_interrupted(r); /* preempted: a critical section restarts */
			continue;
		}
		if (signal_work_pending(current)) {
			rseq_interrupted(r); /* before a handler's frame saves rip */
			do_signal(r); /* takes one signal off the pending set */
			continue;
		}
		break;
	}
	/* A syscall that was interrupted but whose signal ran no handler
	 * (ignored, or a stop and continue): run it again, transparently. */
	restart_syscall_if_needed(r);
	/* sigsuspend's temporary mask, if no handler's frame took it over. */
	struct task *t = current;
	if (t->sig.restore_saved_mask) {
		t->sig.blocked = t->sig.saved_mask;
		t->sig.restore_saved_mask = false;
	}
}
