/*
 * badsym: a module that must be refused (course section: loadable modules).
 *
 * It calls a function the kernel does not export. The loader names the
 * missing symbol in the kernel log and init_module fails with ENOENT;
 * nothing of the module stays in memory. Used by user/tests/modules.c.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("badsym");
MODULE_DESCRIPTION("test: needs a symbol the kernel does not export");

void sysgate_no_such_function(void);

static int badsym_init(void)
{
	sysgate_no_such_function();
	return 0;
}

module_init(badsym_init);
