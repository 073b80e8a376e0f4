/*
 * The whole process: exit_group, exec in a thread, stop and continue
 * (course section: kernel architecture -- what a task is; signals).
 *
 * Some events are the process's, not one thread's, and must reach every
 * thread of the group:
 *   - exit_group, and a signal whose default action kills: each other
 *     thread gets SIGKILL, and all end with the process's status;
 *   - execve in any thread: the others end, and the caller, if it is not
 *     the leader, waits for the leader to be a zombie and takes its place
 *     -- its pid, its parent, its children -- so the process id stays;
 *   - SIGSTOP and friends stop every thread, SIGCONT continues them all,
 *     and the parent hears of each once.
 */
#include "kernel/proc/thread_group.h"
#include "kernel/fs/file.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/sched.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"

#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

static bool is_running_thread(const struct task *t)
{
	return t->state != TASK_ZOMBIE && t->state != TASK_DEAD;
}

/* Every thread of the group but the caller gets SIGKILL, which it cannot
 * block: it wakes from any sleep, and its way to user mode ends it. */
static void kill_other_threads(struct thread_group *g)
{
	struct list_node *n;
	list_for_each(n, &g->threads) {
		struct task *t = list_entry(n, struct task, group_node);
		if (t == current || !is_running_thread(t))
			continue;
		t->group_stop_pending = false;
		sigpending_add(t, TO_THREAD, SIGKILL, NULL);
		task_continue(t);
		task_wake_for_signal(t);
	}
}

void do_group_exit(int status)
{
	struct thread_group *g = current->group;
	if (g->exiting)
		do_exit(status); /* another thread ended the process first: its status stands */
	if (g->live > 1) {
		g->exiting = true;
		g->exit_status = status;
		kill_other_threads(g);
	}
	do_exit(status);
}

/* The process ends as the exec'ing thread's: it takes over old's pid,
 * parent and children; old, a zombie, goes. */
static void take_leader_place(struct task *t, struct task *old)
{
	task_swap_pids(t, old); /* so /proc/TID goes with old, and /proc/PID stays */
	t->parent = old->parent;
	t->exit_signal = old->exit_signal;
	t->pgid = old->pgid;
	t->sid = old->sid;
	t->start_ticks = old->start_ticks;
	t->children_user_ticks = old->children_user_ticks;
	t->children_system_ticks = old->children_system_ticks;
	if (t->parent)
		list_push_back(&t->parent->children, &t->sibling);
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &old->children) {
		struct task *c = list_entry(n, struct task, sibling);
		list_remove(&c->sibling);
		c->parent = t;
		list_push_back(&t->children, &c->sibling);
	}
	if (old == init_task)
		init_task = t;
	t->group->leader = t;
	task_free(old);
}

static bool others_gone(struct thread_group *g)
{
	return g->live == 1 && (g->leader == current || g->leader->state == TASK_ZOMBIE);
}

/* The new program's own signal actions and descriptor table, if the old
 * ones are shared (with threads, or with another process by clone):
 * exec resets handlers and closes close-on-exec descriptors, which must
 * not change anyone else's. Made before the others are ended, so that
 * running out of memory leaves the process as it was. */
static int exec_unshare(struct task *t, struct sighand **sighand, struct fd_table **files)
{
	*sighand = NULL;
	*files = NULL;
	if (t->sighand->refs > 1 && !(*sighand = sighand_copy(t->sighand)))
		return -ENOMEM;
	if (t->files->refs > 1 && !(*files = fd_table_copy(t->files))) {
		sighand_put(*sighand);
		return -ENOMEM;
	}
	return 0;
}

int exec_end_other_threads(void)
{
	struct task *t = current;
	struct thread_group *g = t->group;
	if (g->exiting)
		return -EAGAIN; /* the process is dying already (Linux's answer) */
	struct sighand *own_sighand;
	struct fd_table *own_files;
	int err = exec_unshare(t, &own_sighand, &own_files);
	if (err)
		return err;
	if (own_sighand) {
		sighand_put(t->sighand);
		t->sighand = own_sighand;
	}
	if (own_files) {
		fd_table_put(t->files);
		t->files = own_files;
	}
	if (others_gone(g))
		return 0;
	g->exiting = true;
	g->exec_task = t;
	kill_other_threads(g);
	struct waiter w;
	waiter_init(&w, NULL, NULL);
	while (!others_gone(g)) {
		prepare_to_wait(&g->thread_exit, &w);
		if (!others_gone(g))
			schedule();
		finish_wait(&w);
	}
	if (g->leader != t)
		take_leader_place(t, g->leader);
	g->exiting = false;
	g->exec_task = NULL;
	return 0;
}

void group_stop(struct task *t, int sig)
{
	struct list_node *n;
	list_for_each(n, &t->group->threads) {
		struct task *th = list_entry(n, struct task, group_node);
		if (th != t && is_running_thread(th)) {
			th->group_stop_pending = true;
			task_wake_for_signal(th);
		}
	}
	task_stop(t, sig, true);
}

void group_stop_self(struct task *t)
{
	t->group_stop_pending = false;
	task_stop(t, 0, false);
}

void group_continue(struct task *t, bool tell_parent)
{
	group_flush_signals(t, STOP_SIGNALS);
	bool any_stopped = false;
	struct list_node *n;
	list_for_each(n, &t->group->threads) {
		struct task *th = list_entry(n, struct task, group_node);
		th->group_stop_pending = false;
		if (is_running_thread(th) && task_continue(th))
			any_stopped = true;
	}
	struct task *leader = t->group->leader;
	if (!any_stopped)
		return;
	leader->report_event = tell_parent ? CLD_CONTINUED : 0;
	if (tell_parent)
		notify_parent(leader, CLD_CONTINUED, SIGCONT);
}
