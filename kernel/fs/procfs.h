/* /proc (course section: observability). */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include "kernel/types.h"

struct proc_text;
struct task;
struct inode;

/* Writes a file's current contents; pid is the process for /proc/PID files. */
typedef int (*procfs_gen_fn)(struct proc_text *t, pid_t pid);

/* A writable file's handler: what was written, and the pid for /proc/PID files. */
typedef ssize_t (*procfs_write_fn)(const void __user *ubuf, size_t n, pid_t pid);

void procfs_init(void);
/* A file in a directory under /proc (procfs_root() or below), writable if
 * write is set; arg reaches fn and write in the place of the pid. */
int procfs_add_in(struct inode *dir, const char *name, procfs_gen_fn fn, procfs_write_fn write, int arg);
/* The same for a file under /proc/sys: a read-only one cannot be opened
 * for writing at all (EACCES, root included), as Linux's sysctls. */
int procfs_add_sysctl(struct inode *dir, const char *name, procfs_gen_fn fn, procfs_write_fn write, int arg);
/* A number written to a /proc file (kernel/fs/procfs_sys.c): 0, -EINVAL or -EFAULT. */
long procfs_parse_user_long(const void __user *ubuf, size_t n, long *out);
/* /proc/sys (kernel/fs/procfs_sys.c). */
void sysctl_init(void);
struct inode *procfs_root(void);
int procfs_add(const char *name, procfs_gen_fn fn);
void procfs_remove(const char *name);
/* Remove every top-level file whose generator lies in [start, end): the
 * module loader's safety net at unload. Returns how many. */
int procfs_remove_range(uint64_t start, uint64_t end);
__attribute__((format(printf, 2, 3))) void proc_printf(struct proc_text *t, const char *fmt, ...);
void proc_write(struct proc_text *t, const void *data, size_t n);
/* How many bytes are written so far (for padding to a column). */
size_t proc_text_len(const struct proc_text *t);

void procfs_task_added(struct task *t);
void procfs_task_removed(struct task *t);
/* /proc/self: the directory of the calling process. */
struct inode *procfs_self(void);

/* Threads (kernel/fs/procfs_task.c): /proc/PID/task/TID, /proc/thread-self. */
void procfs_thread_added(struct task *t);
void procfs_thread_removed(struct task *t);
struct inode *procfs_thread_self(void);
/* /proc/TID of a thread that is not a leader: not listed, but found (its
 * /proc/PID/task/TID), as on Linux. NULL for any other name. */
struct inode *procfs_thread_lookup(const char *name);
/* What procfs_task.c shares with procfs.c: the stat and status generators
 * (pid: the task's); files are added with procfs_add_in(). */
void procfs_dir_remove_file(struct inode *dir, const char *name);
int procfs_gen_stat(struct proc_text *t, pid_t pid);
int procfs_gen_status(struct proc_text *t, pid_t pid);
bool procfs_is_root(const struct inode *dir);
/* /proc/PID/fd and fdinfo (kernel/fs/procfs_fd.c): made with the PID
 * directory, their entries made anew when a path walk looks them up. */
void procfs_fd_added(struct inode *pid_dir, pid_t pid);
void procfs_fd_removed(struct inode *pid_dir);
void procfs_fd_refresh(struct inode *dir);
/* The path of a file or directory as readlink of /proc/PID/fd/N shows it
 * ("/ (deleted)" when no name leads to it any more). */
void procfs_inode_path(struct inode *i, char *buf, size_t size);

/* /proc/PID/{exe,cwd,root}, limits, mountinfo (kernel/fs/procfs_process.c):
 * the links are made anew when /proc/PID is looked up, as fd/'s entries. */
void procfs_links_added(struct inode *pid_dir, pid_t pid);
void procfs_links_removed(struct inode *pid_dir);
/* Called by dir_lookup for every /proc directory with dev_data that a path walk enters. */
void procfs_lookup_refresh(struct inode *dir);
int procfs_gen_limits(struct proc_text *t, pid_t pid);
int procfs_gen_mountinfo(struct proc_text *t, pid_t pid);

#endif
