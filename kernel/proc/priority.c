/*
 * Nice values: getpriority and setpriority (course section: processes).
 *
 * A task's nice value, -20 to 19, says how much of the CPU it asks for
 * beside others: the fair scheduler (kernel/proc/sched.c) ages a task's
 * virtual run time by 1024/weight, with Linux's weights below. Each step
 * of nice is about 10% of CPU: two CPU-bound tasks one nice apart share
 * it 55:45; at nice 0 and 19 (weights 1024 and 15), about 98.5:1.5.
 *
 * Anyone may be nicer (raise their nice value); to lower it, a task needs
 * CAP_SYS_NICE or an RLIMIT_NICE soft limit of at least 20 - nice, as on
 * Linux (EACCES otherwise). Changing another user's process needs the
 * caller's effective uid to be its real or effective uid, or CAP_SYS_NICE
 * (EPERM otherwise).
 *
 * The syscalls, as Linux's: which is PRIO_PROCESS (who: a pid), PRIO_PGRP
 * (a process group) or PRIO_USER (a uid); who 0 means the caller's own.
 * getpriority returns the best (lowest) nice among them as 20 - nice, so
 * that no success looks like an error; libc turns it back (libc/process.c).
 * setpriority clamps the value to -20..19 and sets it for all of them.
 */
#include "kernel/cred/cred.h"
#include "kernel/proc/priority.h"
#include "kernel/proc/rlimit.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

/* Linux's table (kernel/sched/core.c, sched_prio_to_weight): nice -20..19. */
static const unsigned nice_weights[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
	1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
	110,   87,    70,    56,    45,    36,    29,    23,    18,    15,
};

static void set_nice(struct task *t, int nice)
{
	t->se.nice = nice;
	t->se.weight = nice_weights[nice - NICE_MIN];
}

void priority_init(struct task *t, const struct task *parent)
{
	set_nice(t, parent ? parent->se.nice : 0);
}

static bool matches(const struct task *t, int which, int who)
{
	if (t->pid <= 0 || t->state == TASK_DEAD)
		return false;
	switch (which) {
	case PRIO_PROCESS:
		return t->pid == (who ? who : current->pid);
	case PRIO_PGRP:
		return t->pgid == (who ? who : current->pgid);
	default: /* PRIO_USER: a real uid */
		return t->cred->uid == (uid_t)(who ? who : (int)current_cred()->uid);
	}
}

/* May the caller lower a nice value to `nice`? RLIMIT_NICE, or CAP_SYS_NICE. */
static bool may_lower_nice(int nice)
{
	unsigned long limit = rlimit(RLIMIT_NICE);
	bool rlimit_allows = limit == RLIM_INFINITY || (unsigned long)(20 - nice) <= limit;
	return rlimit_allows || capable(CAP_SYS_NICE);
}

/* Another user's process: the caller's euid must be its uid or euid. */
static bool may_renice(const struct task *t)
{
	const struct cred *c = current_cred();
	return c->euid == t->cred->uid || c->euid == t->cred->euid || capable(CAP_SYS_NICE);
}

long sys_getpriority(int which, int who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	int best = NICE_MAX + 1;
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (matches(t, which, who) && t->se.nice < best)
			best = t->se.nice;
	}
	return best > NICE_MAX ? -ESRCH : 20 - best;
}

long sys_setpriority(int which, int who, int niceval)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	int nice = niceval < NICE_MIN ? NICE_MIN : niceval > NICE_MAX ? NICE_MAX : niceval;
	long err = -ESRCH;
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (!matches(t, which, who))
			continue;
		if (!may_renice(t)) {
			err = -EPERM;
			continue;
		}
		if (nice < t->se.nice && !may_lower_nice(nice)) {
			err = -EACCES;
			continue;
		}
		set_nice(t, nice);
		if (err == -ESRCH)
			err = 0;
	}
	return err;
}
