/*
 * newsyscall: adding a syscall at run time (course section: loadable
 * modules; the syscall gate).
 *
 * Takes the free slot 400 of the syscall table (the parameter nr picks
 * another; a slot in use is refused with EBUSY). Linux has no syscall 400
 * (nor anything from 337 to 423; 335 and 336 became uretprobe and uprobe
 * in Linux 6.11 and 6.16). The new call,
 *     long sysgate_greet(char *buf, size_t size, long x)
 * writes a greeting into the caller's buffer and returns 2 * x. Without
 * the module, syscall 400 is ENOSYS, as on Linux; after rmmod, again.
 * A syscall function gets the saved registers: arguments in rdi, rsi, rdx,
 * r10, r8, r9, as the generated thunks of built-in syscalls read them.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("newsyscall");
MODULE_DESCRIPTION("adds syscall 400 (parameter nr), sysgate_greet(buf, size, x): a greeting and 2*x");

static int nr = 400;
module_param(nr, int, "the syscall number to take (default 400)");

static long sysgate_greet(const struct regs *r)
{
	static const char greeting[] = "greetings from a module's syscall";
	char __user *buf = (char __user *)r->rdi;
	size_t size = (size_t)r->rsi;
	if (size < sizeof(greeting))
		return -EINVAL;
	if (copy_to_user(buf, greeting, sizeof(greeting)))
		return -EFAULT;
	return 2 * (long)r->rdx;
}

static int newsyscall_init(void)
{
	if (nr < 0)
		return -EINVAL;
	return syscall_register((unsigned)nr, sysgate_greet); /* -EBUSY if the slot is taken */
}

static void newsyscall_exit(void)
{
	syscall_unregister((unsigned)nr);
}

module_init(newsyscall_init);
module_exit(newsyscall_exit);
