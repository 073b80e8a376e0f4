/* /proc (course section: observability). */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include "kernel/types.h"

struct proc_text;
struct task;
struct inode;

/* Writes a file's current contents; pid is the process for /proc/PID files. */
typedef int (*procfs_gen_fn)(struct proc_text *t, pid_t pid);

void procfs_init(void);
int procfs_add(const char *name, procfs_gen_fn fn);
void procfs_remove(const char *name);
/* Remove every top-level file whose generator lies in [start, end): the
 * module loader's safety net at unload. Returns how many. */
int procfs_remove_range(uint64_t start, uint64_t end);
__attribute__((format(printf, 2, 3))) void proc_printf(struct proc_text *t, const char *fmt, ...);
void proc_write(struct proc_text *t, const void *data, size_t n);

void procfs_task_added(struct task *t);
void procfs_task_removed(struct task *t);
/* /proc/self: the directory of the calling process. */
struct inode *procfs_self(void);

/* Threads (kernel/fs/procfs_task.c): /proc/PID/task/TID, /proc/thread-self. */
void procfs_thread_added(struct task *t);
void procfs_thread_removed(struct task *t);
struct inode *procfs_thread_self(void);
/* What procfs_task.c shares with procfs.c: the root, a generated file in
 * any directory, and the stat and status generators (pid: the task's). */
struct inode *procfs_root(void);
int procfs_dir_add_file(struct inode *dir, const char *name, procfs_gen_fn fn, pid_t pid);
void procfs_dir_remove_file(struct inode *dir, const char *name);
int procfs_gen_stat(struct proc_text *t, pid_t pid);
int procfs_gen_status(struct proc_text *t, pid_t pid);
/* /proc/sys/kernel/pid_max and threads-max (kernel/fs/procfs_sys.c). */
void procfs_sys_init(void);
bool procfs_is_root(const struct inode *dir);

#endif
