/*
 * oops: a driver with bugs, on purpose (course section: loadable modules;
 * debugging the kernel).
 *
 *   insmod /lib/modules/oops.ko
 *   echo x > /dev/oops      the driver writes through a NULL pointer (#PF)
 *   rmmod oops
 *   insmod /lib/modules/oops.ko in_init=1    the fault is in init itself:
 *                           insmod dies, and the kernel unloads the module
 *
 * and ioctls that break the rules in other ways:
 *   OOPS_INVALID_OPCODE  executes ud2 (#UD);
 *   OOPS_BAD_MEMSET      hands the kernel's memset a NULL pointer (the fault
 *                        is in kernel code, but the module called it);
 *   OOPS_WRITE_TEXT, OOPS_WRITE_RODATA, OOPS_EXEC_DATA  write to the
 *                        module's own code and read-only data, and jump
 *                        into its data: the loader's page rights (code
 *                        read+execute, rodata read-only, data never
 *                        executable) turn each into a protection fault.
 * Each is an oops in kernel mode caused by a module: the kernel log gets
 * the report, with the faulting function named as oops_write+0x...
 * [module oops]. The kernel does not stop for it (arch/x86_64/oops.c): the process that made
 * the call is killed with SIGSEGV, as Linux does, its files are closed as
 * on any exit -- which drops its hold on the module -- and everything else
 * goes on. Used by user/tests/modules.c.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("oops");
MODULE_DESCRIPTION("test: /dev/oops faults on write (NULL pointer) and on its ioctls");

#define OOPS_INVALID_OPCODE 0x6f01
#define OOPS_BAD_MEMSET 0x6f02
#define OOPS_WRITE_TEXT 0x6f03
#define OOPS_WRITE_RODATA 0x6f04
#define OOPS_EXEC_DATA 0x6f05

/* volatile: the compiler must not see that it is NULL and replace the
 * store with something else -- we want a real page fault at address 0. */
static int *volatile nowhere;
static const int constant = 1;                /* in .rodata */
static unsigned char code_in_data[] = { 0xc3 }; /* `ret`, in .data */

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
	case OOPS_WRITE_TEXT:
		*(volatile unsigned char *)(uintptr_t)oops_ioctl = 0xc3;
		return 0;
	case OOPS_WRITE_RODATA:
		*(volatile int *)&constant = 2;
		return 0;
	case OOPS_EXEC_DATA:
		((void (*)(void))(uintptr_t)code_in_data)();
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

static bool in_init;
module_param(in_init, bool, "fault in init, after registering /dev/oops");

static int oops_init(void)
{
	int err = register_chardev("oops", &oops_ops);
	if (!err && in_init)
		*nowhere = 1; /* the kernel must unregister /dev/oops for us */
	return err;
}

static void oops_exit(void)
{
	unregister_chardev("oops");
}

module_init(oops_init);
module_exit(oops_exit);
