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
/* How many bytes are written so far (for padding to a column). */
size_t proc_text_len(const struct proc_text *t);

void procfs_task_added(struct task *t);
void procfs_task_removed(struct task *t);
/* /proc/self: the directory of the calling process. */
struct inode *procfs_self(void);
bool procfs_is_root(const struct inode *dir);

#endif
