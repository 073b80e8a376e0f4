/*
 * needs_hello: a module that uses another module's export (course section:
 * loadable modules).
 *
 * It calls hello_greetings(), exported by hello.ko: loading it fails with
 * ENOENT ("unknown symbol") unless hello is loaded, and while it is loaded,
 * hello cannot be unloaded (EWOULDBLOCK). /proc/modules shows the link.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("needs_hello");
MODULE_DESCRIPTION("depends on hello.ko's exported hello_greetings()");

int hello_greetings(void);

static int needs_init(void)
{
	printk("needs_hello: hello has greeted %d times\n", hello_greetings());
	return 0;
}

static void needs_exit(void)
{
}

module_init(needs_init);
module_exit(needs_exit);
