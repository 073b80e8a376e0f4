/*
 * /proc: the kernel's state as files (course section: observability).
 *
 * A /proc file has no contents of its own: when it is opened, a generator
 * function writes the current state as text into a buffer, and read()
 * returns that buffer. `ps` reads /proc/PID/stat, `free` /proc/meminfo,
 * `lsmod` /proc/modules, all in Linux's formats, so the same programs work
 * on both systems. A directory /proc/PID appears when a task is created and
 * disappears when it is reaped; /proc/self is the reader's own.
 *
 * Adding a file is one call: procfs_add("name", generator).
 */
#include "kernel/fs/procfs.h"
#include "kernel/cred/cred.h"
#include "kernel/fs/procfs_kernel.h"
#include "kernel/fs/procfs_pid.h"
#include "kernel/fs/procfs_system.h"
#include "kernel/debug/kasan.h"
#include "kernel/seccomp/seccomp.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/fs/filelock.h"
#include "kernel/printk.h"
#include "kernel/proc/task.h"
#include "kernel/trace/ptrace.h"
#include "kernel/fs/vfs.h"
#include "libc/format.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "mm/oom.h"

#define PROC_BUF_MAX (128 * 1024) /* /proc/kallsyms: every kernel symbol and the JIT's, about 70 KiB */

struct proc_gen {
	procfs_gen_fn fn;
	procfs_write_fn write; /* NULL: the file is read-only */
	pid_t pid; /* for files in /proc/PID, else 0 */
	bool sysctl; /* /proc/sys: read-only means no open for writing, even by root */
};

struct proc_text {
	char *buf;
	size_t len;
};

static struct inode *proc_root;

/* --- the text buffer generators write into ------------------------------------------ */

static void emit(void *ctx, const char *s, size_t n)
{
	struct proc_text *t = ctx;
	while (n-- && t->len < PROC_BUF_MAX)
		t->buf[t->len++] = *s++;
}

void proc_printf(struct proc_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vformat(emit, t, fmt, ap);
	va_end(ap);
}

void proc_write(struct proc_text *t, const void *data, size_t n)
{
	emit(t, data, n);
}

size_t proc_text_len(const struct proc_text *t)
{
	return t->len;
}

/* --- the file operations every /proc file shares ---------------------------------------- */

static int proc_open(struct inode *inode, struct file *f)
{
	const struct proc_gen *gen = inode->dev_data;
	if (gen->sysctl && !gen->write && file_writable(f))
		return -EACCES; /* Linux checks a sysctl's own mode, which no privilege passes */
	struct proc_text *t = kmalloc(sizeof(*t));
	char *buf = kmalloc(PROC_BUF_MAX);
	if (!t || !buf) {
		kfree(t);
		kfree(buf);
		return -ENOMEM;
	}
	t->buf = buf;
	t->len = 0;
	int err = gen->fn(t, gen->pid);
	if (err) {
		kfree(buf);
		kfree(t);
		return err;
	}
	f->private = t;
	return 0;
}

static ssize_t proc_read(struct file *f, void __user *ubuf, size_t n, off_t *pos)
{
	struct proc_text *t = f->private;
	return read_from_buffer(ubuf, n, pos, t->buf, t->len);
}

/* Most /proc files are read-only, even to root, who may open them for
 * writing; a few (sysctls, oom_score_adj) take what is written. */
static ssize_t proc_file_write(struct file *f, const void __user *ubuf, size_t n, off_t *pos)
{
	const struct proc_gen *gen = f->inode ? f->inode->dev_data : NULL;
	(void)pos;
	if (!gen || !gen->write)
		return -EIO;
	return gen->write(ubuf, n, gen->pid);
}

static void proc_release(struct file *f)
{
	struct proc_text *t = f->private;
	kfree(t->buf);
	kfree(t);
}

static const struct file_ops proc_ops = {
	.open = proc_open,
	.read = proc_read,
	.write = proc_file_write,
	.release = proc_release,
	.seekable = true,
};

static int add_file_rw(struct inode *dir, const char *name, procfs_gen_fn fn, procfs_write_fn write, pid_t pid)
{
	struct proc_gen *gen = kmalloc(sizeof(*gen));
	if (!gen)
		return -ENOMEM;
	gen->fn = fn;
	gen->write = write;
	gen->pid = pid;
	gen->sysctl = false;
	struct inode *i;
	int err = dir_create(dir, name, S_IFREG | (write ? 0644 : 0444), &i);
	if (err) {
		kfree(gen);
		return err;
	}
	i->dev_ops = &proc_ops;
	i->dev_data = gen;
	return 0;
}

static int add_file(struct inode *dir, const char *name, procfs_gen_fn fn, pid_t pid)
{
	return add_file_rw(dir, name, fn, NULL, pid);
}

int procfs_add_in(struct inode *dir, const char *name, procfs_gen_fn fn, procfs_write_fn write, int arg)
{
	return add_file_rw(dir, name, fn, write, arg);
}

int procfs_add_sysctl(struct inode *dir, const char *name, procfs_gen_fn fn, procfs_write_fn write, int arg)
{
	int err = add_file_rw(dir, name, fn, write, arg);
	struct inode *i = err ? NULL : dir_lookup(dir, name);
	if (i)
		((struct proc_gen *)i->dev_data)->sysctl = true;
	return err;
}

struct inode *procfs_root(void)
{
	return proc_root;
}

int procfs_add(const char *name, procfs_gen_fn fn)
{
	return add_file(proc_root, name, fn, 0);
}

void procfs_remove(const char *name)
{
	struct inode *i = dir_lookup(proc_root, name);
	if (i) {
		kfree(i->dev_data);
		dir_unlink(proc_root, name, false);
	}
}

int procfs_remove_range(uint64_t start, uint64_t end)
{
	const char *name;
	struct inode *i;
	int removed = 0;
	for (size_t k = 2; dir_entry_at(proc_root, k, &name, &i);) { /* 0 and 1: "." and ".." */
		const struct proc_gen *gen = i->dev_ops == &proc_ops ? i->dev_data : NULL;
		if (gen && (uint64_t)gen->fn >= start && (uint64_t)gen->fn < end) {
			procfs_remove(name);
			removed++;
			continue; /* the next entry moved into place k */
		}
		k++;
	}
	return removed;
}

/* --- system-wide files ----------------------------------------------------------------------- */

static int gen_meminfo(struct proc_text *t, pid_t pid)
{
	(void)pid;
	if (KASAN_ENABLED)
		kasan_quarantine_drain(); /* freed objects held for KASAN count as free */
	size_t total = frames_total_count(), free = frames_free_count();
	proc_printf(t, "MemTotal:       %8zu kB\n", total * 4);
	proc_printf(t, "MemFree:        %8zu kB\n", free * 4);
	proc_printf(t, "MemAvailable:   %8zu kB\n", free * 4);
	/* sysgate's own counters, which the tests use to prove nothing leaks. */
	proc_printf(t, "SysgateTotalFrames: %zu\n", total);
	proc_printf(t, "SysgateFreeFrames: %zu\n", free);
	proc_printf(t, "SysgateHeapBytes: %zu\n", heap_bytes_in_use());
	proc_printf(t, "SysgateHeapFrames: %zu\n", heap_frames_held());
	return 0;
}

static int gen_locks(struct proc_text *t, pid_t pid)
{
	(void)pid;
	locks_print(t);
	return 0;
}

static int gen_uptime(struct proc_text *t, pid_t pid)
{
	(void)pid;
	uint64_t cs = clock_monotonic_ns() / 10000000;
	proc_printf(t, "%lu.%02lu 0.00\n", cs / 100, cs % 100);
	return 0;
}

static int gen_kmsg(struct proc_text *t, pid_t pid)
{
	(void)pid;
	t->len = printk_read_log(t->buf, PROC_BUF_MAX);
	return 0;
}

/* --- per-process files ------------------------------------------------------------------------- */

static char state_letter(const struct task *p)
{
	switch (p->state) {
	case TASK_RUNNING:
		return 'R';
	case TASK_SLEEPING:
		return 'S';
	case TASK_STOPPED:
		return 'T';
	case TASK_TRACED:
		return 't'; /* in a ptrace-stop: "tracing stop" */
	default:
		return 'Z';
	}
}

int procfs_gen_stat(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	uint64_t vsize = 0, rss = 0;
	if (p->mm)
		vm_usage(p->mm, &vsize, &rss);
	/* Linux's field order (proc(5)): pid comm state ppid pgrp session tty_nr
	 * tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
	 * priority nice num_threads itrealvalue starttime vsize rss */
	struct task *parent = task_parent_process(p);
	proc_printf(t, "%d (%s) %c %d %d %d 0 -1 0 %lu 0 0 0 %lu %lu %lu %lu %d %d %d 0 %lu %lu %lu\n", p->pid,
		    p->name, state_letter(p), parent ? parent->pid : 0, p->pgid, p->sid, p->min_flt,
		    p->user_ticks / 10,
		    p->system_ticks / 10, p->children_user_ticks / 10, p->children_system_ticks / 10,
		    20 + p->se.nice, p->se.nice, p->group->live, p->start_ticks / 10, vsize, rss);
	return 0;
}

/* Linux's three scheduler figures: CPU time and time waiting to run (ns), turns on the CPU. */
static int gen_schedstat(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	proc_printf(t, "%lu %lu %lu\n", p->se.sum_exec, p->se.run_delay, p->se.timeslices);
	return 0;
}

/* The signal lines of Linux's status file: queued real-time instances
 * against their limit, the pending sets (the thread's, the process's), the
 * mask, and which signals are ignored and which are caught. */
static void print_signal_state(struct proc_text *t, const struct task *p)
{
	kernel_sigset_t ignored = 0, caught = 0;
	for (int sig = 1; sig <= NSIG_KERNEL; sig++) {
		void *h = p->sighand->action[sig].handler;
		if (h == SIG_IGN)
			ignored |= SIGBIT(sig);
		else if (h != SIG_DFL)
			caught |= SIGBIT(sig);
	}
	proc_printf(t, "SigQ:\t%u/%lu\n", sigpending_queued(p), p->rlim[RLIMIT_SIGPENDING].rlim_cur);
	proc_printf(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\n", p->sig.pending.set, p->group->shared.set);
	proc_printf(t, "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n", p->sig.blocked, ignored, caught);
}

int procfs_gen_status(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	static const char *const states[] = { "R (running)", "S (sleeping)", "T (stopped)", "Z (zombie)" };
	struct task *parent = task_parent_process(p);
	proc_printf(t, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", p->name,
		    states[p->state > TASK_ZOMBIE ? TASK_ZOMBIE : p->state], task_tgid(p), p->pid,
		    parent ? parent->pid : 0);
	proc_print_ids(t, p);
	proc_print_memory(t, p);
	proc_printf(t, "Threads:\t%d\n", p->group->live); /* Linux's place: before SigQ */
	print_signal_state(t, p);
	proc_print_caps(t, p);
	seccomp_proc_status(t, p);
	return 0;
}

/* Copy [start, end) of p's memory: the argv or envp strings exec put on its stack. */
static void copy_user_strings(struct proc_text *t, struct task *p, uint64_t start, uint64_t end)
{
	if (p->mm && end > start) {
		size_t n = MIN(end - start, (uint64_t)PROC_BUF_MAX);
		if (vm_read(p->mm, start, t->buf, n) == 0)
			t->len = n;
	}
}

static int gen_cmdline(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	if (p->mm)
		copy_user_strings(t, p, p->mm->arg_start, p->mm->arg_end);
	return 0;
}

/* The environment holds secrets: only a process that may trace p reads it
 * (Linux's PTRACE_MODE_READ check), and the file is its owner's alone. */
static int gen_environ(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	if (p != current && ptrace_may_access(current, p))
		return -EACCES;
	if (p->mm)
		copy_user_strings(t, p, p->mm->env_start, p->mm->env_end);
	return 0;
}

static int gen_oom_score(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	proc_printf(t, "%ld\n", oom_score(p));
	return 0;
}

static int gen_oom_score_adj(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	proc_printf(t, "%d\n", p->oom_score_adj);
	return 0;
}

/* -1000..1000, EINVAL otherwise; lowering it needs CAP_SYS_RESOURCE, which
 * every process has until credentials exist. */
static ssize_t write_oom_score_adj(const void __user *ubuf, size_t n, pid_t pid)
{
	struct task *p = task_find(pid);
	long v;
	if (!p)
		return -ESRCH;
	long err = procfs_parse_user_long(ubuf, n, &v);
	if (err)
		return err;
	if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	if (v < p->oom_score_adj && !capable(CAP_SYS_RESOURCE))
		return -EACCES; /* making a process less likely to be killed is a privilege (Linux) */
	p->oom_score_adj = (int)v;
	return (ssize_t)n;
}

static const struct {
	const char *name;
	procfs_gen_fn fn;
	procfs_write_fn write;
} pid_files[] = {
	{ "stack", gen_pid_stack, NULL },     /* these three: kernel/fs/procfs_kernel.c */
	{ "wchan", gen_pid_wchan, NULL },
	{ "syscall", gen_pid_syscall, NULL },
	{ "stat", procfs_gen_stat, NULL },
	{ "status", procfs_gen_status, NULL },
	{ "cmdline", gen_cmdline, NULL },
	{ "environ", gen_environ, NULL },
	{ "limits", procfs_gen_limits, NULL },  /* these two: kernel/fs/procfs_process.c */
	{ "mountinfo", procfs_gen_mountinfo, NULL },
	{ "schedstat", gen_schedstat, NULL },
	{ "oom_score", gen_oom_score, NULL },
	{ "oom_score_adj", gen_oom_score_adj, write_oom_score_adj },
	{ "maps", gen_maps, NULL },
	{ "statm", gen_statm, NULL },
};

static void pid_name(pid_t pid, char *buf)
{
	char tmp[12];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
}

/* A process (a group leader) gets /proc/PID with its task/ directory;
 * every thread, the leader too, gets /proc/PID/task/TID. */
void procfs_task_added(struct task *t)
{
	char name[12];
	pid_name(t->pid, name);
	struct inode *dir, *tasks;
	if (t != t->group->leader || !proc_root || dir_create(proc_root, name, S_IFDIR | 0555, &dir)) {
		procfs_thread_added(t);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++)
		add_file_rw(dir, pid_files[i].name, pid_files[i].fn, pid_files[i].write, t->pid);
	dir_create(dir, "task", S_IFDIR | 0555, &tasks);
	procfs_fd_added(dir, t->pid);
	procfs_links_added(dir, t->pid);
	procfs_thread_added(t);
}

void procfs_task_removed(struct task *t)
{
	procfs_thread_removed(t);
	if (t != t->group->leader)
		return;
	char name[12];
	pid_name(t->pid, name);
	struct inode *dir = proc_root ? dir_lookup(proc_root, name) : NULL;
	if (!dir)
		return;
	if (dir_lookup(dir, "task"))
		dir_unlink(dir, "task", true);
	procfs_fd_removed(dir);
	procfs_links_removed(dir);
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++) {
		struct inode *f = dir_lookup(dir, pid_files[i].name);
		if (f) {
			kfree(f->dev_data);
			dir_unlink(dir, pid_files[i].name, false);
		}
	}
	dir_unlink(proc_root, name, true);
}

struct inode *procfs_self(void)
{
	char name[12];
	pid_name(task_tgid(current), name);
	return proc_root ? dir_lookup(proc_root, name) : NULL;
}


void procfs_dir_remove_file(struct inode *dir, const char *name)
{
	struct inode *f = dir_lookup(dir, name);
	if (f) {
		kfree(f->dev_data);
		dir_unlink(dir, name, false);
	}
}

bool procfs_is_root(const struct inode *dir)
{
	return dir == proc_root;
}

void procfs_init(void)
{
	proc_root = dir_lookup(root_inode, "proc");
	if (!proc_root)
		dir_create(root_inode, "proc", S_IFDIR | 0555, &proc_root);
	fs_mount(proc_root, FS_PROC);
	procfs_add("meminfo", gen_meminfo);
	procfs_add("uptime", gen_uptime);
	procfs_add("kmsg", gen_kmsg);
	procfs_add("locks", gen_locks);
	procfs_kernel_init();
	sysctl_init();
	procfs_system_init();
}
