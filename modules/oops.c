/*
 * oops: a driver with bugs, on purpose (course section: loadable modules;
 * debugging the kernel).
 *
 *   insmod /lib/modules/oops.ko
 *   echo x > /dev/oops      the driver writes through a NULL pointer (#PF)
 *   rmmod oops
 *
 * and ioctl(fd, OOPS_INVALID_OPCODE) executes ud2 (#UD), ioctl(fd,
 * OOPS_BAD_MEMSET) hands the kernel's memset a NULL pointer (the fault is
 * in kernel code, but the module called it). Each is an oops in kernel
 * mode caused by a module: the kernel log gets the report, with the
 * faulting function named as oops_write+0x... [module oops]. The
 * kernel does not stop for it (arch/x86_64/oops.c): the process that made
 * the call is killed with SIGSEGV, as Linux does, its files are closed as
 * on any exit -- which drops its hold on the module -- and everything else
 * goes on. Used by user/tests/modules.c.
 */
#include "kernel/module_api.h"

MODULE_NAME("oops");
MODULE_DESCRIPTION("test: /dev/oops faults on write (NULL pointer) and on an ioctl (ud2)");

#define OOPS_INVALID_OPCODE 0x6f01
#define OOPS_BAD_MEMSET 0x6f02

/* volatile: the compiler must not see that it is NULL and replace the
 * store with something else -- we want a real page fault at address 0. */
static int *volatile nowhere;

static ssize_t oops_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	*nowhere = (int)n; /* the bug */
	return n;
}

static long oops_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	(void)f;
	(void)arg;
	switch (cmd) {
	case OOPS_INVALID_OPCODE:
		__builtin_trap(); /* ud2 */
	case OOPS_BAD_MEMSET:
		memset(nowhere, 0, sizeof(int)); /* the bug: the fault is in memset */
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_ops oops_ops = {
	.write = oops_write,
	.ioctl = oops_ioctl,
	.owner = THIS_MODULE,
};

static int oops_init(void)
{
	return register_chardev("oops", &oops_ops);
}

static void oops_exit(void)
{
	unregister_chardev("oops");
}

module_init(oops_init);
module_exit(oops_exit);
