/*
 * A long verification gives way (course section: eBPF, the revolution in
 * kernel programming).
 *
 * Walking a million instructions takes seconds, all in kernel mode, and
 * sysgate's kernel is not preemptive. So every so often the walk lets other
 * tasks run, and stops with -EAGAIN (Linux's answer) when the loader has a
 * signal to act on: a user can always interrupt a load that takes too long.
 * The soft-lockup watchdog is told the walk is making progress.
 */
#include "kernel/bpf/verifier.h"
#include "kernel/debug/watchdog.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"

bool verifier_interrupted(void)
{
	if (need_resched())
		schedule();
	watchdog_touch(); /* walking, not stuck */
	return signal_work_pending(current);
}
