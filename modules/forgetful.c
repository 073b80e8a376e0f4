/*
 * forgetful: a module whose exit function forgets to unregister (course
 * section: loadable modules).
 *
 * It registers one of everything -- /dev/forgetful, syscall 402, a syscall
 * entry hook, a periodic timer, /proc/forgetful -- and its exit function
 * undoes none of it. Each would point into freed pages after rmmod: the
 * next open, syscall, timer interrupt... would crash the kernel. So the
 * kernel checks at unload (kernel/module/module.c, check_unregistered), removes
 * what is left and logs a warning for each. Used by user/tests/modules.c.
 */
#include "kernel/module/module_api.h"
#include "kernel/fs/procfs.h"

MODULE_NAME("forgetful");
MODULE_DESCRIPTION("test: registers a device, a syscall, a hook, a timer and a /proc file, and never unregisters");

#define FORGETFUL_NR 402

static struct ktimer timer;
static uint64_t hooked;

static long forgetful_syscall(const struct regs *r)
{
	(void)r;
	return 7;
}

static void hook(const struct regs *r)
{
	(void)r;
	hooked++;
}

static void tick(struct ktimer *t)
{
	ktimer_start(t, clock_monotonic_ns() + 1000000); /* every millisecond, forever */
}

static int show(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_printf(t, "%lu\n", hooked);
	return 0;
}

static const struct file_ops forgetful_ops = { .owner = THIS_MODULE };

static int forgetful_init(void)
{
	int err = register_chardev("forgetful", &forgetful_ops);
	if (!err)
		err = syscall_register(FORGETFUL_NR, forgetful_syscall);
	if (!err)
		err = register_syscall_hook(hook);
	if (!err)
		err = procfs_add("forgetful", show);
	if (err)
		return err; /* the kernel removes whatever was registered */
	ktimer_init(&timer, tick, NULL);
	tick(&timer);
	return 0;
}

static void forgetful_exit(void)
{
	/* forgets everything */
}

module_init(forgetful_init);
module_exit(forgetful_exit);
