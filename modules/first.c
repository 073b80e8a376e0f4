/* first: my first module (course section: loadable modules). */
#include "kernel/module_api.h"

MODULE_NAME("first");
MODULE_DESCRIPTION("my first module");

static int answer = 42;
module_param(answer, int, "the number to print");

static int first_init(void)
{
	printk("first: hello from the kernel, answer = %d\n", answer);
	return 0; /* a negative errno here makes insmod fail with it */
}

static void first_exit(void)
{
	printk("first: goodbye\n");
}

module_init(first_init);
module_exit(first_exit);
