/* The process-events connector: fork, exec, comm and exit as netlink
 * messages (course section: netlink sockets). Called from kernel/proc. */
#ifndef KERNEL_NET_CN_PROC_H
#define KERNEL_NET_CN_PROC_H

struct task;

void cn_proc_fork(struct task *parent, struct task *child);
void cn_proc_exec(struct task *t);
void cn_proc_comm(struct task *t); /* prctl(PR_SET_NAME) */
void cn_proc_exit(struct task *t);

#endif
