/* Tasks: the kernel's view of a running program (course section: processes). */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include "arch/x86_64/percpu.h"
#include "arch/x86_64/regs.h"
#include "kernel/list.h"
#include "kernel/proc/sched_entity.h"
#include "kernel/signal/signal_pending.h"
#include "kernel/types.h"
#include "kernel/events/wait.h"
#include "kernel/proc/thread_group.h"
#include "libc/include/abi/resource.h"
#include "libc/include/abi/signal.h"

enum task_state {
	TASK_RUNNING,  /* on the CPU or waiting in the run queue */
	TASK_SLEEPING, /* on a wait queue */
	TASK_STOPPED,  /* by SIGSTOP/SIGTSTP until SIGCONT */
	TASK_ZOMBIE,   /* exited; the parent has not collected the status yet */
	TASK_DEAD,     /* exited with nobody to wait for it: freed by the next schedule() */
	TASK_TRACED,   /* in a ptrace-stop until its tracer resumes it (kernel/trace/) */
};

#define TASK_NAME_LEN 16
#define PID_MAX 32768 /* pids wrap below this, as Linux's default pid_max */
/* The most tasks (threads included) the kernel stack area has room for;
 * the limit in force, threads_max, is set at boot from the memory as Linux
 * sets it (kernel/proc/task.c): clone fails with EAGAIN beyond it. */
#define MAX_TASKS_CEILING 32768
extern long threads_max; /* /proc/sys/kernel/threads-max: root may lower or raise it */

struct mm;
struct fd_table;
struct inode;
struct ktimer;
struct cred;
struct ptrace_link;
struct seccomp_filter;

/* task->syscall_work: what the syscall path must do besides calling the
 * function. It is the one word the path tests (0: the fast path). */
#define SYSCALL_WORK_PTRACE 1u  /* PT_SYSCALL_TRACE: stops at entry and exit (kernel/trace/) */
#define SYSCALL_WORK_SECCOMP 2u /* strict mode or filters judge each call (kernel/seccomp/) */

/* How an interrupted syscall goes on when it must not simply start again:
 * nanosleep sleeps on to its first deadline, not for its whole time anew.
 * The syscall returns -ERESTART_RESTARTBLOCK; with no handler to run, the
 * return to user mode re-enters the kernel as restart_syscall, which calls
 * fn (kernel/signal/signal_frame.c). */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	uint64_t deadline;            /* CLOCK_MONOTONIC, ns */
	void __user *uaddr;           /* nanosleep: where the time left goes; poll: the array */
	unsigned long count;          /* poll: its length */
};

/* A thread's own signal state; what the process shares (the actions, the
 * signals sent to the whole process) is in task.sighand and task.group. */
struct signal_state {
	kernel_sigset_t blocked;
	struct sigpending pending;  /* sent to this thread (kernel/signal/signal_pending.c) */
	stack_t altstack;
	kernel_sigset_t saved_mask; /* sigsuspend's mask to restore after the handler */
	bool restore_saved_mask;
};

struct task {
	pid_t pid;
	pid_t pgid, sid;
	uint64_t rseq_area;          /* rseq(2): the registered struct rseq, or 0 (kernel/proc/rseq.c) */
	uint32_t rseq_len, rseq_sig;
	bool did_exec;               /* since fork: its parent may no longer setpgid it */
	struct cred *cred;           /* uids, gids, capabilities (kernel/cred/) */
	struct task_prctl { int pdeathsig; bool not_dumpable, subreaper; } prctl; /* kernel/proc/prctl.c */
	char name[TASK_NAME_LEN]; /* the program's file name, for ps and messages */
	enum task_state state;

	struct task *parent;
	struct list_node children;   /* our children */
	struct list_node sibling;    /* in the parent's children list */
	struct list_node all;        /* in the list of every task */
	struct list_node run_node;   /* in the run queue while runnable */

	uint64_t kstack_top;         /* loaded into TSS.rsp0 while running */
	int kstack_slot;
	uint64_t saved_rsp;          /* kernel rsp while switched out */
	struct sched_entity se;      /* the fair scheduler's (kernel/proc/sched.c) */
	int oom_score_adj;           /* -1000..1000: the OOM killer's bias (mm/oom.c); inherited by fork */

	struct mm *mm;
	struct fd_table *files;
	const void *lock_blocker;    /* F_SETLKW: the owner of the lock in our way (kernel/fs/filelock.c) */

	/* Threads (kernel/proc/thread_group.c, kernel/proc/clone.c): pid is
	 * this task's own id (gettid); the process id (getpid) is its group
	 * leader's. The objects a clone may share are refcounted and pointed
	 * to, so that sharing one is taking a reference. */
	struct thread_group *group;  /* CLONE_THREAD: the process */
	struct list_node group_node; /* in group->threads */
	struct sighand *sighand;     /* CLONE_SIGHAND: the signal actions */
	struct fs_context *fs;       /* CLONE_FS: cwd and umask */
	int exit_signal;             /* sent to the parent at exit: SIGCHLD, another, or 0 */
	bool group_stop_pending;     /* must stop with its group on the way to user mode */

	uint64_t fs_base, gs_base;   /* user TLS segment bases */
	int *clear_child_tid;        /* set_tid_address */
	uint64_t robust_list;        /* set_robust_list: the user's list of held locks */

	/* Exit and wait4. */
	int exit_status;             /* the wait status (Linux encoding) */
	bool status_reported;        /* a stop/continue was reported already */
	int report_event;            /* pending stop/continue report for wait4 */
	struct wait_queue child_wait; /* wait4 sleeps here; children wake it */

	struct signal_state sig;
	struct restart_block restart;
	struct rlimit rlim[RLIM_NLIMITS]; /* inherited by fork, kept by exec (kernel/proc/rlimit.c) */
	struct wait_queue signal_wait; /* woken when a signal is sent: signalfd polls it */
	struct cpu_itimer { uint64_t left_us, interval_us; } cpu_itimer[2]; /* VIRTUAL, PROF */

	/* vfork: the parent sleeps (vfork_child set) until the child, which
	 * borrows its memory, execs or exits (vfork_release clears both). */
	struct task *vfork_parent, *vfork_child;

	uint64_t user_ticks, system_ticks;
	uint64_t children_user_ticks, children_system_ticks; /* of reaped children */
	uint64_t min_flt; /* page faults the kernel resolved (/proc/PID/stat's minflt) */
	uint64_t start_ticks;

	/* ptrace (kernel/trace/): the flag word is all the syscall path tests. */
	unsigned ptrace;                 /* PT_* flags; 0: not traced */
	struct ptrace_link *ptrace_link; /* our tracer and our current stop */
	struct list_node tracees;        /* the links of the tasks we trace */
	struct list_node ptrace_notes;   /* tracees' exits that wait4 has still to report */

	unsigned syscall_work;           /* SYSCALL_WORK_*: 0 for a task that is neither traced nor confined */
	/* seccomp (kernel/seccomp/): the mode and the newest filter of its stack. */
	struct task_seccomp { int mode; unsigned filter_count; struct seccomp_filter *filter; } seccomp;

	uint8_t fpu_state[512] __attribute__((aligned(16))); /* fxsave area */
};

/* The running task: one load through the per-CPU area. */
#define current (this_cpu()->current_task)

void kstacks_init(void); /* at boot, before the first task_alloc */
/* group: the process the new task is a thread of, or NULL for a new
 * process whose leader it is. */
struct task *task_alloc(struct thread_group *group);
void task_free(struct task *t);
/* A task that exits with nobody to wait for it (its parent ignores
 * SIGCHLD): gone from the task list at once, freed by the next schedule(). */
void task_free_when_switched_away(struct task *t);
void free_dead_tasks(void);
/* Exchange two tasks' pids (an exec in a thread takes its leader's), keeping
 * the pid table right. */
void task_swap_pids(struct task *a, struct task *b);
struct task *task_find(pid_t pid);
/* A member of process group pgid, or NULL if there is no such group. A
 * group lies within one session, so any member tells which. */
struct task *task_find_group_member(pid_t pgid);
/* The frame at the top of a task's kernel stack: its user registers. */
struct regs *task_regs(struct task *t);
/* Make t start at task_first_return with its frame the next time it runs. */
void task_prepare_first_run(struct task *t);
void task_set_name(struct task *t, const char *path);
/* The child of a vfork stops borrowing its parent's memory (exec or exit). */
void vfork_release(struct task *child);

extern struct list_node all_tasks;
extern struct task *init_task; /* pid 1: orphans' new parent */
extern int task_count;

/* The signals pending for t, in either of its sets (kernel/signal/signal_pending.c).
 * Inline because every return to user mode asks. */
static inline kernel_sigset_t sigpending_all(const struct task *t)
{
	return t->sig.pending.set | t->group->shared.set;
}

#endif
