/* Starting a program (course section: starting a program). */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include "kernel/types.h"

#define EXEC_ARGS_MAX (256ul << 10)   /* argv + envp strings and pointers: E2BIG beyond */
#define EXEC_STRING_MAX (128ul << 10) /* one string, as Linux's MAX_ARG_STRLEN */

struct task;

/* argv then envp strings, packed one after another. */
struct exec_args {
	char *buf;
	size_t used;
	int argc, envc;
};

int exec_args_init(struct exec_args *a);
int exec_args_add(struct exec_args *a, const char *s, bool is_env);
void exec_args_free(struct exec_args *a);

/* Replace t's program with the file at path (kernel strings). 0 or -errno;
 * on error t is unchanged (a's argv may have been rewritten for a script). */
int do_execve(struct task *t, const char *path, struct exec_args *a);

/* "#!" scripts (kernel/proc/exec_script.c): depth counts interpreters followed. */
#define EXEC_MAX_SCRIPT_DEPTH 4
int do_execve_depth(struct task *t, const char *path, struct exec_args *a, int depth);
bool exec_is_script(const char *head, size_t n);
int exec_script(struct task *t, const char *path, const char *head, size_t n, struct exec_args *a, int depth);

#endif
