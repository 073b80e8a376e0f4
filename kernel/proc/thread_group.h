/* Threads: what the tasks of one process share (course section: kernel
 * architecture -- what a task is). See kernel/proc/thread_group.c. */
#ifndef KERNEL_THREAD_GROUP_H
#define KERNEL_THREAD_GROUP_H

#include "kernel/events/wait.h"
#include "kernel/list.h"
#include "kernel/signal/signal_pending.h"
#include "kernel/types.h"
#include "libc/include/abi/signal.h"

struct task;
struct inode;
struct ktimer;

/*
 * The process itself, as Linux's signal_struct: one per thread group,
 * pointed to by every thread of it (CLONE_THREAD shares it).
 */
struct thread_group {
	int refs;                   /* tasks pointing here, zombies included */
	int live;                   /* threads that have not exited yet */
	struct list_node threads;   /* every task of the group (task.group_node) */
	struct task *leader;        /* the task whose pid is the process id */
	struct sigpending shared;   /* signals sent to the whole process */
	unsigned queued;            /* pending instances held against RLIMIT_SIGPENDING */
	bool exiting;               /* exit_group, a fatal signal or an exec is ending the others */
	int exit_status;            /* the process's wait status once exiting */
	struct task *exec_task;     /* the thread that execs, while it waits for the others */
	struct wait_queue thread_exit; /* woken at each thread exit: exec waits here */
	uint64_t gone_user_ticks, gone_system_ticks; /* CPU time of threads already gone */
	uint64_t cpu_ticks;          /* the process's CPU time, every thread's: RLIMIT_CPU's count */
	/* Timers are the process's, as in Linux: they outlive the thread that
	 * made them and go at the process's exit (and exec, for POSIX timers). */
	struct ktimer *alarm;          /* ITIMER_REAL and alarm (kernel/time/itimer.c) */
	uint64_t alarm_interval_ns;
	struct list_node posix_timers; /* timer_create's (kernel/time/posix_timer.c) */
	struct list_node cpu_timers;   /* those of them armed on a CPU-time clock: the tick runs them down */
	int next_timer_id;
};

/* The signal actions, shared by CLONE_SIGHAND (Linux's sighand_struct). */
struct sighand {
	int refs;
	struct kernel_sigaction action[NSIG_KERNEL + 1]; /* index = signal number */
};

/* The filesystem context, shared by CLONE_FS (Linux's fs_struct). */
struct fs_context {
	int refs;
	struct inode *cwd;  /* NULL: the root */
	struct inode *root; /* chroot's: where "/" starts (NULL: the real root) */
	unsigned umask;     /* the permission bits open and mkdir take away */
};

/* A new group with t as its leader and only thread. NULL if out of memory. */
struct thread_group *thread_group_create(struct task *leader);
/* t becomes a thread of g (clone with CLONE_THREAD). */
void thread_group_join(struct task *t, struct thread_group *g);
/* t, which never ran, leaves its group again (a clone that failed). */
void thread_group_unjoin(struct task *t);
/* Drop t's reference; the group is freed with its last task. */
void thread_group_put(struct task *t);
/* A thread of t's group that has not exited (t itself if it has not), or NULL. */
struct task *thread_group_live_member(struct task *t);
/* The process id of t: its group leader's pid. */
pid_t task_tgid(const struct task *t);
/* The parent process of t's process, as getppid answers in any thread. */
struct task *task_parent_process(const struct task *t);
/* The CPU time of t's whole process: its threads' and its gone threads'
 * (RUSAGE_SELF, times, CLOCK_PROCESS_CPUTIME_ID, a child's rusage). */
void thread_group_cpu_ticks(const struct task *t, uint64_t *user, uint64_t *system);

struct sighand *sighand_create(void);
struct sighand *sighand_copy(const struct sighand *src);
void sighand_put(struct sighand *s);

struct fs_context *fs_context_create(struct inode *cwd, unsigned umask);
struct fs_context *fs_context_copy(const struct fs_context *src);
void fs_context_put(struct fs_context *fs);

/* Exit, exec and stop for the whole group (kernel/proc/thread_exit.c). */
__noreturn void do_group_exit(int wait_status);
/* The calling thread becomes the only one, with the process id (execve):
 * 0, or -EAGAIN if the process is exiting already. */
int exec_end_other_threads(void);
/* Wake one thread of t's group that does not block sig, for a signal
 * sent to the whole process. */
void thread_group_wake_for_signal(struct task *t, int sig);
/* SIGSTOP and friends: every thread of the group stops. */
void group_stop(struct task *t, int sig);
/* A thread asked to stop with its group (group_stop_pending) does so. */
void group_stop_self(struct task *t);
/* SIGCONT and SIGKILL: every stopped thread of the group runs again. */
void group_continue(struct task *t, bool tell_parent);

#endif
