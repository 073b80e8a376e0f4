/*
 * Resource limits: getrlimit, setrlimit, prlimit64 (course section:
 * processes).
 *
 * A process carries sixteen limits, inherited through fork and kept across
 * exec, each a soft value the kernel enforces and a hard ceiling. `ulimit
 * -n 10` in a shell is setrlimit(RLIMIT_NOFILE, {10, ...}): from then on
 * that shell and its children cannot open an eleventh descriptor. Where
 * sysgate enforces each one:
 *   RLIMIT_NOFILE  fd_install, dup2/dup3, F_DUPFD (kernel/fs/file.c, fs_io.c)
 *   RLIMIT_FSIZE   writes and truncation of regular files (kernel/fs/ramfs.c)
 *   RLIMIT_CPU     the timer tick (kernel/proc/sched.c)
 *   RLIMIT_STACK   the stack exec gives a new program (kernel/proc/exec.c)
 *   RLIMIT_AS, RLIMIT_DATA  mmap, mremap and brk (mm/mmap.c)
 * The others limit things sysgate does not have (memory locking, file
 * locks, message queues, priorities) or that Linux itself exempts root
 * from (RLIMIT_NPROC), so they are kept and reported, as Linux reports them.
 * Every process runs as root, so a hard limit may be raised too -- except
 * RLIMIT_NOFILE beyond the descriptor table's size (EPERM), as Linux's
 * nr_open rule.
 */
#include "kernel/cred/cred.h"
#include "kernel/proc/rlimit.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

/* Linux's defaults for the first process (as its init gets them); the
 * process and pending-signal limits are half of threads-max, set at boot. */
static struct rlimit defaults[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { 8ul << 20, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NOFILE] = { MAX_FDS, MAX_FDS },
	[RLIMIT_MEMLOCK] = { 8ul << 20, 8ul << 20 },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

void rlimits_init(struct task *t)
{
	unsigned long half = (unsigned long)threads_max / 2;
	defaults[RLIMIT_NPROC] = defaults[RLIMIT_SIGPENDING] = (struct rlimit){ half, half };
	for (int r = 0; r < RLIM_NLIMITS; r++)
		t->rlim[r] = defaults[r];
}

unsigned long rlimit(int resource)
{
	return current->rlim[resource].rlim_cur;
}

static int set_limit(struct task *t, int resource, const struct rlimit *new)
{
	if (new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new->rlim_max > t->rlim[resource].rlim_max && !capable(CAP_SYS_RESOURCE))
		return -EPERM; /* only privilege raises a hard limit */
	if (resource == RLIMIT_NOFILE && new->rlim_max > MAX_FDS)
		return -EPERM;
	/* The limits are the process's: each thread keeps a copy (read
	 * without a lock on every check), so a change goes to all of them. */
	struct list_node *n;
	list_for_each(n, &t->group->threads)
		list_entry(n, struct task, group_node)->rlim[resource] = *new;
	return 0;
}

int fsize_limit_check(uint64_t pos, size_t *n)
{
	unsigned long limit = rlimit(RLIMIT_FSIZE);
	if (limit == RLIM_INFINITY || *n == 0)
		return 0;
	if (pos >= limit) {
		ksiginfo_t info = { .si_signo = SIGXFSZ, .si_code = SI_USER };
		info.fields.kill.si_pid = current->pid;
		send_signal_thread(current, SIGXFSZ, &info);
		return -EFBIG;
	}
	*n = MIN(*n, limit - pos);
	return 0;
}

/* RLIMIT_CPU counts the whole process's CPU time, every thread's, as
 * Linux does: one running total per process, so the tick does not walk
 * the threads. */
void cpu_limit_tick(struct task *t)
{
	uint64_t ticks = ++t->group->cpu_ticks;
	if (ticks % TIMER_HZ)
		return; /* checked once per second of CPU time */
	uint64_t seconds = ticks / TIMER_HZ;
	const struct rlimit *l = &t->rlim[RLIMIT_CPU];
	if (seconds >= l->rlim_max)
		send_signal(t, SIGKILL, NULL);
	else if (seconds >= l->rlim_cur)
		send_signal(t, SIGXCPU, NULL); /* again each second, as Linux does */
}

long sys_prlimit64(pid_t pid, unsigned int resource, const struct rlimit __user *new_limit,
		   struct rlimit __user *old_limit)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	struct rlimit new;
	if (new_limit && copy_from_user(&new, new_limit, sizeof(new)))
		return -EFAULT;
	struct task *t = pid ? task_find(pid) : current;
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!may_change_other(t))
		return -EPERM;
	struct rlimit old = t->rlim[resource];
	if (new_limit) {
		int err = set_limit(t, resource, &new);
		if (err)
			return err;
	}
	if (old_limit && copy_to_user(old_limit, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The old calls: for them a NULL pointer is not "no change" but EFAULT. */
long sys_getrlimit(unsigned int resource, struct rlimit __user *rlim)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	return copy_to_user(rlim, &current->rlim[resource], sizeof(*rlim)) ? -EFAULT : 0;
}

long sys_setrlimit(unsigned int resource, const struct rlimit __user *rlim)
{
	return rlim ? sys_prlimit64(0, resource, rlim, NULL) : -EFAULT;
}
