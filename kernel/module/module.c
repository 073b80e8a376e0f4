/*
 * Loadable modules: their life in the kernel (course section: loadable
 * modules).
 *
 *   init_module(image, len, params)   load from user memory
 *   finit_module(fd, params, flags)   load from a file
 *   delete_module(name, flags)        unload
 *
 * Loading links the module into the kernel (kernel/module/module_loader.c), then
 * calls its init function; if that fails, the module is unloaded again and
 * its error returned. A module stays while something uses it: other modules
 * calling its exported functions (rmmod: EWOULDBLOCK) and open files of
 * its devices (rmmod: EBUSY). Unloading calls its exit function, which
 * must undo every registration; the kernel checks that it did (a device,
 * a syscall, a hook, a timer or a /proc file left pointing into freed code
 * would crash the next caller) and cleans up, with a warning, if not
 * (modules/forgetful.c). A fault in a module's code kills only the process
 * that called into it (arch/x86_64/oops.c).
 */
#include "kernel/debug/taint.h"
#include "kernel/fs/sysfs.h"
#include "kernel/net/uevent.h"
#include "kernel/cred/cred.h"
#include "kernel/module/module.h"
#include "arch/x86_64/cpu.h"
#include "kernel/fs/file.h"
#include "kernel/time/ktimer.h"
#include "kernel/module/module_api.h"
#include "kernel/printk.h"
#include "kernel/fs/procfs.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define MODULE_IMAGE_MAX (64ul << 20)
#define PARAMS_MAX 1024
#define MODULE_INIT_IGNORE_MODVERSIONS 1
#define MODULE_INIT_IGNORE_VERMAGIC 2
#define MODULE_INIT_COMPRESSED_FILE 4

struct list_node modules = LIST_INIT(modules);

extern const struct kernel_symbol __ksymtab_start[], __ksymtab_end[];

struct module *module_find(const char *name)
{
	struct list_node *n;
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		if (!strcmp(m->name, name))
			return m;
	}
	return NULL;
}

void module_get(struct module *m)
{
	m->refs++;
}

void module_put(struct module *m)
{
	m->refs--;
}

static void add_dependency(struct module *user, struct module *provider)
{
	if (!user || user == provider)
		return;
	for (int i = 0; i < user->ndeps; i++)
		if (user->deps[i] == provider)
			return;
	if (user->ndeps < MODULE_MAX_DEPS) {
		user->deps[user->ndeps++] = provider;
		provider->holders++;
	}
}

const void *symbol_resolve(const char *name, struct module *user)
{
	for (const struct kernel_symbol *k = __ksymtab_start; k < __ksymtab_end; k++)
		if (!strcmp(k->name, name))
			return k->address;
	struct list_node *n;
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		if (m->state != MODULE_LIVE)
			continue;
		for (size_t i = 0; i < m->nexports; i++)
			if (!strcmp(m->exports[i].name, name)) {
				add_dependency(user, m);
				return m->exports[i].address;
			}
	}
	return NULL;
}

struct module *module_at(uint64_t addr)
{
	struct list_node *n;
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		if (addr >= m->text_start && addr < m->text_end)
			return m;
	}
	return NULL;
}

const char *module_symbol_lookup(uint64_t addr, uint64_t *offset, const char **module_name)
{
	struct list_node *n;
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		if (addr < m->text_start || addr >= m->text_end || m->nsymbols == 0)
			continue;
		size_t k = 0;
		while (k + 1 < m->nsymbols && m->symbols[k + 1].address <= addr)
			k++;
		if (m->symbols[k].address > addr)
			return NULL;
		*offset = addr - m->symbols[k].address;
		*module_name = m->name;
		return m->symbols[k].name;
	}
	return NULL;
}

static void module_free(struct module *m)
{
	module_sysfs_remove(m);
	for (int i = 0; i < m->ndeps; i++)
		m->deps[i]->holders--;
	for (int i = 0; i < m->nparam_strings; i++)
		kfree(m->param_strings[i]);
	module_unmap(m);
	kfree(m->symbols);
	kfree(m->strings);
	kfree(m);
}

/* --- what a module registers, and the check at unload -------------------------------------- */

/* A module's device is a "misc" device, as Linux's misc_register makes:
 * major 10 and the next dynamic minor (from 256), in Linux's dev_t encoding. */
#define MISC_MAJOR 10
#define MISC_FIRST_DYNAMIC_MINOR 256

int register_chardev(const char *name, const struct file_ops *ops)
{
	static unsigned next_minor = MISC_FIRST_DYNAMIC_MINOR;
	unsigned minor = next_minor++;
	unsigned long rdev = (minor & 0xff) | (MISC_MAJOR << 8) | ((unsigned long)(minor & ~0xffu) << 12);
	return dev_register(name, ops, NULL, rdev);
}

void unregister_chardev(const char *name)
{
	dev_unregister(name);
}

int register_syscall_hook(syscall_hook_fn fn)
{
	if (syscall_entry_hook)
		return -EBUSY;
	syscall_entry_hook = fn;
	return 0;
}

void unregister_syscall_hook(syscall_hook_fn fn)
{
	if (syscall_entry_hook == fn)
		syscall_entry_hook = NULL;
}

static bool inside(const struct module *m, const void *p)
{
	uint64_t a = (uint64_t)p;
	return a >= m->base && a < m->base + m->pages * PAGE_SIZE;
}

/* After exit(): nothing may still point into the module's pages. */
static void check_unregistered(struct module *m)
{
	uint64_t end = m->base + m->pages * PAGE_SIZE;
	int n = ktimer_cancel_range(m->base, end);
	if (n)
		printk("module %s: %d timer(s) still armed at unload; cancelled\n", m->name, n);
	n = procfs_remove_range(m->base, end);
	if (n)
		printk("module %s: %d /proc file(s) still registered at unload; removed\n", m->name, n);
	for (unsigned nr = 0; nr < NR_SYSCALLS; nr++)
		if (syscall_table[nr] && inside(m, (const void *)syscall_table[nr])) {
			printk("module %s: syscall %u still registered at unload; removed\n", m->name, nr);
			syscall_unregister(nr);
		}
	if (syscall_entry_hook && inside(m, (const void *)syscall_entry_hook)) {
		printk("module %s: syscall hook still registered at unload; removed\n", m->name);
		syscall_entry_hook = NULL;
	}
	dev_unregister_range(m->base, end, m->name);
}

/* --- loading ------------------------------------------------------------------------------- */

/* An init that failed, or faulted: undo what it registered, unload. */
static void abort_load(struct module *m)
{
	list_remove(&m->node);
	check_unregistered(m);
	module_free(m);
}

int module_load(uint8_t *image, size_t size, const char *params)
{
	struct module *m = size ? kzalloc(sizeof(*m)) : NULL;
	int err = !size ? -ENOEXEC : !m ? -ENOMEM : 0;
	if (m) {
		m->state = MODULE_LOADING;
		err = module_link(m, image, size, params);
	}
	/* Linked, the module lives in its own pages: the image is not needed,
	 * and must not leak if init never returns (a fault kills the caller). */
	kfree(image);
	if (err) {
		if (m)
			module_free(m);
		return err;
	}
	list_push_back(&modules, &m->node);
	add_taint(TAINT_OOT_MODULE); /* every sysgate module is built outside the kernel image */
	module_sysfs_add(m); /* /sys/module/NAME and its "add" uevent, before init as on Linux */
	int ret = m->init ? m->init() : 0;
	if (ret) {
		printk("module %s: init failed with %d; unloaded\n", m->name, ret);
		abort_load(m);
		return ret < 0 ? ret : -EINVAL;
	}
	m->state = MODULE_LIVE;
	printk("module %s: loaded at %#lx\n", m->name, m->base);
	return 0;
}

void module_fault_in_init(const struct module *culprit)
{
	struct list_node *n;
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		if (m == culprit && m->state == MODULE_LOADING) {
			printk("module %s: init faulted; unloaded\n", m->name);
			abort_load(m);
			return;
		}
	}
}

static int copy_params(const char __user *uparams, char *params)
{
	long n = strncpy_from_user(params, uparams, PARAMS_MAX);
	if (n == -ENAMETOOLONG)
		return -E2BIG;
	return n < 0 ? (int)n : 0;
}

long sys_init_module(void __user *umod, unsigned long len, const char __user *uargs)
{
	if (!capable(CAP_SYS_MODULE))
		return -EPERM; /* loading code into the kernel is the highest privilege */
	if (len == 0)
		return -ENOEXEC;
	if (len > MODULE_IMAGE_MAX)
		return -EFBIG;
	char params[PARAMS_MAX];
	uint8_t *image = kmalloc(len);
	if (!image)
		return -ENOMEM;
	int err = copy_from_user(image, umod, len) ? -EFAULT : copy_params(uargs, params);
	if (err) {
		kfree(image);
		return err;
	}
	return module_load(image, len, params); /* frees image */
}

long sys_finit_module(int fd, const char __user *uargs, int flags)
{
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	if (flags & ~(MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC | MODULE_INIT_COMPRESSED_FILE))
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f || !file_readable(f))
		return -EBADF;
	if (!f->inode || !inode_is_reg(f->inode))
		return -EINVAL;
	if (flags & MODULE_INIT_COMPRESSED_FILE)
		return -EOPNOTSUPP;
	uint64_t len = f->inode->size;
	if (len == 0)
		return -ENOEXEC;
	if (len > MODULE_IMAGE_MAX)
		return -EFBIG;
	char params[PARAMS_MAX];
	int err = copy_params(uargs, params);
	if (err)
		return err;
	uint8_t *image = kmalloc(len);
	if (!image)
		return -ENOMEM;
	if (inode_read_kernel(f->inode, image, len, 0) != (ssize_t)len) {
		kfree(image);
		return -EIO;
	}
	return module_load(image, len, params); /* frees image */
}

long sys_delete_module(const char __user *uname, unsigned int flags)
{
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	char name[MODULE_NAME_LEN];
	long n = strncpy_from_user(name, uname, sizeof(name));
	if (n == -ENAMETOOLONG)
		return -ENOENT; /* too long to be a module's name */
	if (n < 0)
		return n;
	/* flags: Linux once slept with O_NONBLOCK clear until the module was
	 * unused, and forced the unload with O_TRUNC; today it does neither and
	 * ignores flags -- so do we. A module in use is refused at once. */
	(void)flags;
	struct module *m = module_find(name);
	if (!m)
		return -ENOENT;
	if (m->holders)
		return -EWOULDBLOCK; /* other modules use it: unload them first */
	if (m->state != MODULE_LIVE)
		return -EBUSY;       /* still in its init (or stuck there by an oops) */
	if (m->refs)
		return -EBUSY;       /* its devices are open */
	m->state = MODULE_GOING;
	if (m->exit)
		m->exit();
	list_remove(&m->node);
	check_unregistered(m);
	uevent_module("remove", m->name);
	printk("module %s: unloaded\n", m->name);
	module_free(m);
	return 0;
}

/* /proc/modules, in Linux's format: name size users holders state address. */
static int gen_modules(struct proc_text *t, pid_t pid)
{
	(void)pid;
	struct list_node *n;
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		proc_printf(t, "%s %zu %d ", m->name, m->pages * PAGE_SIZE, m->refs + m->holders);
		bool any = false;
		struct list_node *k;
		list_for_each(k, &modules) {
			struct module *user = list_entry(k, struct module, node);
			for (int i = 0; i < user->ndeps; i++)
				if (user->deps[i] == m) {
					proc_printf(t, "%s,", user->name);
					any = true;
				}
		}
		proc_printf(t, "%s %s %#lx\n", any ? "" : "-",
			    m->state == MODULE_LIVE ? "Live" : m->state == MODULE_LOADING ? "Loading" : "Unloading",
			    m->base);
	}
	return 0;
}

void modules_init(void)
{
	procfs_add("modules", gen_modules);
}
