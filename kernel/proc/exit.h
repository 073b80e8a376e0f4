/* Process exit, wait, stop and continue (course section: processes). */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#include "kernel/types.h"

struct task;

/* Linux's struct rusage: two timevals and fourteen longs (144 bytes). */
struct rusage_abi {
	struct {
		long tv_sec, tv_usec;
	} ru_utime, ru_stime;
	long rest[14];
};

void rusage_fill(struct rusage_abi *ru, uint64_t user_ticks, uint64_t system_ticks);

/* Linux's wait status encoding, as the W* macros of <sys/wait.h> decode it. */
#define WCOREFLAG 0x80
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_STOPCODE(sig) (((sig) << 8) | 0x7f)
#define W_CONTINUED 0xffff

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2 /* waitid's name for WUNTRACED */
#define WEXITED 4  /* waitid: report exits (wait4 always does) */
#define WCONTINUED 8
#define WNOWAIT 0x01000000 /* waitid: report, but leave the news for the next wait */
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000

/* waitid's idtype: which children. */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2

/* End the current task with this wait status. Never returns. */
__noreturn void do_exit(int wait_status);
/* Stop the current task (SIGSTOP, SIGTSTP...) until SIGCONT; report: the
 * parent is told (kernel/proc/thread_exit.c stops a whole group). */
void task_stop(struct task *t, int sig, bool report);
/* Wake a stopped task; true if it was stopped. */
bool task_continue(struct task *t);
/* Tell child's parent (SIGCHLD or the exit signal, and a wake-up) that
 * child exited, stopped or continued: code is CLD_*. */
void notify_parent(struct task *child, int code, int status_value);
/* Wake t if it sleeps, so it notices a signal. */
void task_wake_for_signal(struct task *t);

#endif
