/* POSIX timers: timer_create and friends (course section: signals; time). */
#ifndef KERNEL_POSIX_TIMER_H
#define KERNEL_POSIX_TIMER_H

#include "kernel/types.h"
#include "libc/include/abi/signal.h"

struct task;

/* A signal a timer sent was taken (delivered, or read by sigwaitinfo or a
 * signalfd): remember its si_overrun for timer_getoverrun. */
void posix_timer_delivered(struct task *t, ksiginfo_t *info);
/* exec and exit: the process's timers go. */
/* Every timer of t's process goes (exec, the process's exit). */
void posix_timers_delete_all(struct task *t);
/* The tick: t used one more tick of CPU time; its process's CPU-clock timers run down. */
void posix_cpu_timers_tick(struct task *t);
/* t exits: timers that signalled t (SIGEV_THREAD_ID) signal nobody now. */
void posix_timers_thread_exit(struct task *t);

#endif
