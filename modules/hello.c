/*
 * hello: the smallest module (course section: loadable modules).
 *
 *   insmod /lib/modules/hello.ko whom=class times=2
 *   rmmod hello
 *
 * Prints on load and unload, takes two parameters, and exports one function
 * (hello_greetings) that other modules may call -- which makes them depend
 * on this one: rmmod hello then fails with EWOULDBLOCK until they are gone.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("hello");
MODULE_DESCRIPTION("prints a greeting on load and unload; parameters whom and times");
MODULE_AUTHOR("sysgate");
MODULE_LICENSE("GPL");

static char *whom = "world";
static int times = 1;
module_param_writable(whom, charp, "who to greet (writable: /sys/module/hello/parameters/whom)");
module_param(times, int, "how many greetings");

static int greetings;

int hello_greetings(void)
{
	return greetings;
}
EXPORT_SYMBOL(hello_greetings);

static int hello_init(void)
{
	if (times < 0 || times > 100)
		return -EINVAL;
	for (int i = 0; i < times; i++)
		printk("hello: Hello, %s!\n", whom);
	greetings = times;
	return 0;
}

static void hello_exit(void)
{
	printk("hello: Goodbye, %s.\n", whom);
}

module_init(hello_init);
module_exit(hello_exit);
