/*
 * initfail: a module whose init function fails (course section: loadable
 * modules).
 *
 * The kernel must unload it again and return init's error (ENODEV here) to
 * insmod, leaving nothing behind. Used by user/tests/modules.c.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("initfail");
MODULE_DESCRIPTION("test: init returns -ENODEV");

static int initfail_init(void)
{
	printk("initfail: refusing to load\n");
	return -ENODEV;
}

module_init(initfail_init);
