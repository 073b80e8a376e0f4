/*
 * Thread groups: a process is the tasks that share it (course section:
 * kernel architecture -- what a task is).
 *
 * In Linux, as here, the kernel schedules tasks, not processes. A thread
 * is simply a task made by clone with flags that say what it shares with
 * its creator instead of copying:
 *   CLONE_VM       the address space (struct mm, kept by mm->users)
 *   CLONE_FILES    the descriptor table (struct fd_table, by its refs)
 *   CLONE_FS       the current and root directories and umask (struct fs_context)
 *   CLONE_SIGHAND  the signal actions (struct sighand)
 *   CLONE_THREAD   the process itself (struct thread_group): its id, the
 *                  signals sent to it, its exit, stop and continue.
 * Each shared object is counted, and sharing one is taking a reference;
 * fork takes copies instead. The object goes with its last reference.
 *
 * Every task has its own pid, which gettid answers. The task whose pid is
 * also the process id (getpid in every thread) is the group leader: the
 * first thread. Only the leader is a child of the parent process; it
 * stays (a zombie, if it exits first) until the group's last thread is
 * gone, and only then is the parent told (kernel/proc/thread_exit.c).
 */
#include "kernel/proc/thread_group.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct thread_group *thread_group_create(struct task *leader)
{
	struct thread_group *g = kzalloc(sizeof(*g));
	if (!g)
		return NULL;
	list_init(&g->threads);
	sigpending_init(&g->shared);
	wait_queue_init(&g->thread_exit);
	list_init(&g->posix_timers);
	list_init(&g->cpu_timers);
	g->leader = leader;
	thread_group_join(leader, g);
	return g;
}

void thread_group_join(struct task *t, struct thread_group *g)
{
	t->group = g;
	g->refs++;
	g->live++;
	list_push_back(&g->threads, &t->group_node);
}

void thread_group_unjoin(struct task *t)
{
	t->group->live--;
}

/* The group's pending signals go with it; t is its last task. */
void thread_group_put(struct task *t)
{
	struct thread_group *g = t->group;
	if (!g)
		return;
	list_remove(&t->group_node);
	if (--g->refs == 0) {
		sigpending_flush(t, ~0ull);
		kfree(g);
	}
	t->group = NULL;
}

struct task *thread_group_live_member(struct task *t)
{
	if (t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
		return t;
	struct list_node *n;
	list_for_each(n, &t->group->threads) {
		struct task *th = list_entry(n, struct task, group_node);
		if (th->state != TASK_ZOMBIE && th->state != TASK_DEAD)
			return th;
	}
	return NULL;
}

pid_t task_tgid(const struct task *t)
{
	return t->group->leader->pid;
}

struct task *task_parent_process(const struct task *t)
{
	return t->group->leader->parent;
}

void thread_group_cpu_ticks(const struct task *t, uint64_t *user, uint64_t *system)
{
	const struct thread_group *g = t->group;
	*user = g->gone_user_ticks;
	*system = g->gone_system_ticks;
	struct list_node *n;
	list_for_each(n, &g->threads) {
		const struct task *th = list_entry(n, struct task, group_node);
		if (th->state != TASK_DEAD) {
			*user += th->user_ticks;
			*system += th->system_ticks;
		}
	}
}

/*
 * A signal for the whole process waits in the group's shared set; one
 * thread must notice it. Like Linux, prefer the thread the sender named
 * (usually the leader), then any thread that does not block the signal.
 * If every thread blocks it, it waits for one to unblock it.
 */
void thread_group_wake_for_signal(struct task *t, int sig)
{
	struct task *chosen = NULL;
	if (!(t->sig.blocked & SIGBIT(sig)) || sig == SIGKILL) {
		chosen = t;
	} else {
		struct list_node *n;
		list_for_each(n, &t->group->threads) {
			struct task *th = list_entry(n, struct task, group_node);
			if (th->state != TASK_ZOMBIE && th->state != TASK_DEAD && !(th->sig.blocked & SIGBIT(sig))) {
				chosen = th;
				break;
			}
		}
	}
	if (chosen && chosen->state != TASK_ZOMBIE && signal_work_pending(chosen))
		task_wake_for_signal(chosen);
}

/* --- the signal actions (CLONE_SIGHAND) ---------------------------------------------- */

struct sighand *sighand_create(void)
{
	struct sighand *s = kzalloc(sizeof(*s));
	if (s)
		s->refs = 1;
	return s;
}

struct sighand *sighand_copy(const struct sighand *src)
{
	struct sighand *s = sighand_create();
	if (s)
		memcpy(s->action, src->action, sizeof(s->action));
	return s;
}

void sighand_put(struct sighand *s)
{
	if (s && --s->refs == 0)
		kfree(s);
}

/* --- the filesystem context (CLONE_FS) ---------------------------------------------- */

struct fs_context *fs_context_create(struct inode *cwd, unsigned umask)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return NULL;
	fs->refs = 1;
	fs->cwd = cwd;
	if (cwd)
		inode_get(cwd);
	fs->umask = umask;
	return fs;
}

struct fs_context *fs_context_copy(const struct fs_context *src)
{
	struct fs_context *fs = fs_context_create(src->cwd, src->umask);
	if (fs && src->root) {
		fs->root = src->root;
		inode_get(fs->root);
	}
	return fs;
}

void fs_context_put(struct fs_context *fs)
{
	if (!fs || --fs->refs > 0)
		return;
	if (fs->cwd)
		inode_put(fs->cwd);
	if (fs->root)
		inode_put(fs->root);
	kfree(fs);
}
