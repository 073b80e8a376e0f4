/*
 * C library: waiting for children (course section: the C library on raw
 * syscalls).
 *
 * wait4/waitpid report how a child ended in one int: the low 7 bits are the
 * signal that killed it (0 if it exited), bits 8..15 the exit status; 0x7f
 * in the low byte means stopped. The macros below take that int apart.
 */
#ifndef LIBC_SYS_WAIT_H
#define LIBC_SYS_WAIT_H

#include <signal.h>
#include <sys/types.h>

#define WNOHANG 1		/* return 0 at once if no child has changed */
#define WUNTRACED 2		/* also report stopped children */
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000

#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define WIFCONTINUED(s) ((s) == 0xffff)
#define WCOREDUMP(s) ((s) & 0x80)

/* waitid's idtype */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
typedef int idtype_t;

struct rusage;			/* <sys/resource.h> */

/* Waits for a child to change state and reaps it if it ended. pid > 0: that
 * child; -1: any child; 0: any in our process group; < -1: any in group -pid.
 * Returns its pid (0 with WNOHANG if none is ready), or -1 (ECHILD: no such
 * child). wait4 also reports the child's resource usage. */
pid_t wait(int *wstatus);
pid_t waitpid(pid_t pid, int *wstatus, int options);
pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *rusage);
/* The same news told in a siginfo_t (si_pid, si_code CLD_EXITED...,
 * si_status), for the children idtype/id name; options must ask for
 * WEXITED, WSTOPPED or WCONTINUED, and WNOWAIT leaves the child waitable.
 * With WNOHANG and nothing to report: 0, and si_pid is 0. */
int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options);

#endif
