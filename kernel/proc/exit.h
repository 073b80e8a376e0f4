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
/* Stop the current task (SIGSTOP, SIGTSTP...) until SIGCONT. */
void task_stop(struct task *t, int sig);
/* Wake a stopped task. tell_parent: report CLD_CONTINUED (SIGCONT does;
 * SIGKILL, which only wakes the task so that it can die, does not). */
void task_continue(struct task *t, bool tell_parent);
/* Wake t if it sleeps, so it notices a signal. */
void task_wake_for_signal(struct task *t);

#endif
