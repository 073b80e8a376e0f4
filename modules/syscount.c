/*
 * syscount: counting every syscall (course section: loadable modules;
 * observability).
 *
 * Installs a hook that the syscall dispatcher calls on every entry, before
 * the syscall runs, with the saved registers. The hook counts by number;
 * /proc/syscount shows the counts while the module is loaded, and unloading
 * prints the table to the kernel log, with the names the table generator
 * made from kernel/syscalls.tbl.
 */
#include "kernel/module/module_api.h"
#include "kernel/fs/procfs.h"
#include "kernel/syscall_info.h"

MODULE_NAME("syscount");
MODULE_DESCRIPTION("counts syscalls by number through the entry hook; /proc/syscount");

static uint64_t counts[NR_SYSCALLS];
static uint64_t out_of_table;

static void count(const struct regs *r)
{
	unsigned nr = (unsigned)(int)r->orig_rax;
	if (nr < NR_SYSCALLS)
		counts[nr]++;
	else
		out_of_table++;
}

static const char *name_of(unsigned nr)
{
	return syscall_info[nr].name ? syscall_info[nr].name : "?";
}

static int show(struct proc_text *t, pid_t pid)
{
	(void)pid;
	for (unsigned nr = 0; nr < NR_SYSCALLS; nr++)
		if (counts[nr])
			proc_printf(t, "%4u %-16s %lu\n", nr, name_of(nr), counts[nr]);
	if (out_of_table)
		proc_printf(t, "   - (not in the table) %lu\n", out_of_table);
	return 0;
}

static int syscount_init(void)
{
	int err = register_syscall_hook(count);
	if (err)
		return err;
	err = procfs_add("syscount", show);
	if (err)
		unregister_syscall_hook(count);
	return err;
}

static void syscount_exit(void)
{
	unregister_syscall_hook(count);
	procfs_remove("syscount");
	printk("syscount: syscalls made while loaded:\n");
	for (unsigned nr = 0; nr < NR_SYSCALLS; nr++)
		if (counts[nr])
			printk("syscount: %4u %-16s %lu\n", nr, name_of(nr), counts[nr]);
}

module_init(syscount_init);
module_exit(syscount_exit);
