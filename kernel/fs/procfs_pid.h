/* /proc/PID/maps and status's identity lines (kernel/fs/procfs_pid.c). */
#ifndef KERNEL_PROCFS_PID_H
#define KERNEL_PROCFS_PID_H

#include "kernel/types.h"

struct proc_text;
struct task;

int gen_maps(struct proc_text *t, pid_t pid);
int gen_statm(struct proc_text *t, pid_t pid);
/* status's VmSize: and VmRSS: lines. */
void proc_print_memory(struct proc_text *t, const struct task *p);
/* The Uid:, Gid: and Groups: lines of /proc/PID/status, and the Cap*:
 * and NoNewPrivs: lines that follow the signal lines. */
void proc_print_ids(struct proc_text *t, const struct task *p);
void proc_print_caps(struct proc_text *t, const struct task *p);

#endif
