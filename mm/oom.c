/*
 * The out-of-memory killer (course section: memory).
 *
 * A page fault is where a program first really takes memory: mmap only
 * promised it. When no frame is left at that moment, there is no error to
 * return -- the program is in the middle of an instruction. Failing it
 * (SIGSEGV) punishes whoever touched memory last, which may be a small,
 * innocent process. Linux instead picks the process whose death frees the
 * most, its "badness": its resident pages (plus its page tables and swap,
 * which sysgate does not count separately), shifted by oom_score_adj
 * (-1000..1000, in thousandths of all memory; -1000 means never), kills it
 * with SIGKILL, logs why, and lets the allocation try again.
 *
 *   Out of memory: Killed process 42 (eater) total-vm:1048576kB, anon-rss:...
 *
 * init is never chosen, nor a process already dying. If the faulting
 * process is itself the worst, it gets the SIGKILL, which ends it on its
 * way back to user mode. The victim's memory comes back when it exits, so
 * the faulting process waits (a few ms at most) for that before retrying.
 */
#include "mm/oom.h"
#include "kernel/printk.h"
#include "kernel/proc/sched.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "mm/frame.h"
#include "mm/vm.h"

#define OOM_FREE_FRAMES_LOW 64  /* with more free than this, something else failed (tmpfs full) */
#define OOM_WAIT_ROUNDS 200     /* 1 ms naps while the victim dies */

static long resident_pages(struct task *t)
{
	uint64_t vsize = 0, rss = 0;
	if (t->mm)
		vm_usage(t->mm, &vsize, &rss);
	return (long)rss;
}

/* Linux's oom_badness: pages it would free, plus adj thousandths of all pages. */
static long badness(struct task *t, long total_pages)
{
	return resident_pages(t) + (long)t->oom_score_adj * total_pages / 1000;
}

static bool killable(const struct task *t)
{
	return t != init_task && t->pid > 0 && t->mm && t->state != TASK_ZOMBIE && t->state != TASK_DEAD &&
	       t->oom_score_adj != OOM_SCORE_ADJ_MIN && !(sigpending_all((struct task *)t) & SIGBIT(SIGKILL));
}

long oom_score(struct task *t)
{
	long total = (long)frames_total_count();
	if (t->oom_score_adj == OOM_SCORE_ADJ_MIN || total == 0)
		return 0;
	long points = 1000 + badness(t, total) * 1000 / total;
	return points < 0 ? 0 : points * 2 / 3;
}

static struct task *choose_victim(void)
{
	long total = (long)frames_total_count(), worst = 0;
	struct task *victim = NULL;
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (!killable(t))
			continue;
		long points = badness(t, total);
		if (!victim || points > worst) {
			victim = t;
			worst = points;
		}
	}
	return victim;
}

static void report(struct task *t)
{
	uint64_t vsize = 0, rss = 0;
	vm_usage(t->mm, &vsize, &rss);
	printk("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, "
	       "shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:%d\n",
	       t->pid, t->name, vsize / 1024, rss * 4, t->oom_score_adj);
}

/* Nap until the victim has exited (its memory freed by do_exit). */
static void wait_for_exit(pid_t pid)
{
	for (int i = 0; i < OOM_WAIT_ROUNDS; i++) {
		struct task *t = task_find(pid);
		if (!t || t->state == TASK_ZOMBIE || t->state == TASK_DEAD)
			return;
		sleep_ns(1000000);
	}
}

enum oom_result oom_kill_one(void)
{
	if (frames_free_count() > OOM_FREE_FRAMES_LOW)
		return OOM_NOTHING;
	struct task *victim = choose_victim();
	if (!victim)
		return OOM_NOTHING;
	report(victim);
	send_signal(victim, SIGKILL, NULL);
	if (victim == current)
		return OOM_KILLED_CURRENT;
	wait_for_exit(victim->pid);
	return OOM_KILLED_OTHER;
}
