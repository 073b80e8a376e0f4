/*
 * Writing a module (course section: loadable modules).
 *
 * A module is one C file compiled like the kernel and linked with `ld -r`
 * into a relocatable ELF object (NAME.ko). It includes this header, names
 * itself, and says which function runs at load and which at unload:
 *
 *     #include "kernel/module/module_api.h"
 *     MODULE_NAME("hello");
 *     MODULE_DESCRIPTION("says hello");
 *     static int times = 1;
 *     module_param(times, int, "how many greetings");
 *     static int hello_init(void) { printk("hello\n"); return 0; }
 *     static void hello_exit(void) { printk("bye\n"); }
 *     module_init(hello_init);
 *     module_exit(hello_exit);
 *
 * `insmod /lib/modules/hello.ko times=3` loads it: the kernel places its
 * code and data in the module area, links its calls to the kernel's
 * exported functions (kernel/module/exports.c), sets the parameters and calls the
 * init function. `rmmod hello` calls the exit function and frees it.
 * Everything a module registers (a device, a syscall, a timer, a hook) it
 * must unregister in its exit function.
 */
#ifndef KERNEL_MODULE_API_H
#define KERNEL_MODULE_API_H

#include "kernel/module/export.h"
#include "kernel/fs/file.h"
#include "kernel/time/ktimer.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/types.h"
#include "kernel/fs/vfs.h"
#include "kernel/events/wait.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

struct module;

/* The module's own struct module, filled in by the loader. */
extern struct module __this_module;
#define THIS_MODULE (&__this_module)

/* Strings in the .modinfo section, read by the loader and by modinfo(8). */
#define MODINFO(tag, line, value)                                                            \
	__attribute__((used, section(".modinfo"), aligned(1))) static const char                 \
		__modinfo_##tag##_##line[] = #tag "=" value
#define MODINFO_(tag, line, value) MODINFO(tag, line, value)
#define MODULE_NAME(n) MODINFO_(name, __LINE__, n)
#define MODULE_DESCRIPTION(text) MODINFO_(description, __LINE__, text)
#define MODULE_AUTHOR(text) MODINFO_(author, __LINE__, text)
#define MODULE_LICENSE(text) MODINFO_(license, __LINE__, text)

/* The load and unload functions; the loader finds them by these names. */
#define module_init(fn) int init_module(void) __attribute__((alias(#fn)))
#define module_exit(fn) void cleanup_module(void) __attribute__((alias(#fn)))

/* Parameters: `insmod x.ko name=value`. */
enum module_param_type { PARAM_INT, PARAM_UINT, PARAM_LONG, PARAM_BOOL, PARAM_CHARP };

struct module_param {
	const char *name;
	enum module_param_type type;
	bool writable; /* root may change it in /sys/module/NAME/parameters/ */
	void *address;
};

#define module_param_(var, ptype, tname, desc, rw)                                             \
	__attribute__((used, section("__param"), aligned(8))) static const struct module_param \
		__param_##var = { .name = #var, .type = ptype, .writable = rw, .address = &var }; \
	MODINFO_(parm, __LINE__, #var ":" tname " " desc)
#define module_param(var, type, desc) module_param_(var, PARAM_##type##_TYPE, #type, desc, false)
/* The same, and writable at run time through sysfs: the module reads the
 * variable each time it needs it, so it sees the new value at once. */
#define module_param_writable(var, type, desc) module_param_(var, PARAM_##type##_TYPE, #type, desc, true)
#define PARAM_int_TYPE PARAM_INT
#define PARAM_uint_TYPE PARAM_UINT
#define PARAM_long_TYPE PARAM_LONG
#define PARAM_bool_TYPE PARAM_BOOL
#define PARAM_charp_TYPE PARAM_CHARP

/* What a module can register (kernel/module/module.c); each returns 0 or -errno. */
int register_chardev(const char *name, const struct file_ops *ops); /* /dev/NAME */
void unregister_chardev(const char *name);
int register_syscall_hook(syscall_hook_fn fn); /* called on every syscall entry; one at a time */
void unregister_syscall_hook(syscall_hook_fn fn);
/* And, declared elsewhere: a syscall in a free slot, syscall_register /
 * syscall_unregister (kernel/syscall.h); a timer callback, ktimer_init /
 * ktimer_start / ktimer_cancel (kernel/time/ktimer.h, modules/tick.c); a /proc
 * file, procfs_add / procfs_remove (kernel/fs/procfs.h). */

#endif
