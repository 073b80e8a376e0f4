/* The process-events connector: fork, exec, comm and exit as netlink
 * messages (course section: netlink sockets). Called from kernel/proc. */
#ifndef KERNEL_NET_CN_PROC_H
#define KERNEL_NET_CN_PROC_H

struct task;

void cn_proc_fork(struct task *parent, struct task *child);
void cn_proc_exec(struct task *t);
void cn_proc_comm(struct task *t); /* prctl(PR_SET_NAME) */
void cn_proc_exit(struct task *t);
/* A new cred committed (kernel/cred/cred.c, exec): PROC_EVENT_UID if a
 * user id changed, PROC_EVENT_GID if a group id did, as Linux's commit_creds. */
struct cred;
void cn_proc_ids_changed(struct task *t, const struct cred *old, const struct cred *new);

#endif
