/*
 * Modules in sysfs: /sys/module/NAME (course section: procfs and sysfs;
 * loadable modules).
 *
 * Every loaded module has a directory with its state (initstate: coming
 * while its init runs, live, going), its use count (refcnt) and, in
 * parameters/, one file per parameter. Reading a parameter file formats
 * the module's variable; writing one (when the module declared it with
 * module_param_writable) parses the text as insmod's arguments are parsed
 * and stores it into the variable -- the module sees the new value the
 * next time it reads it. Loading and unloading announce the module with
 * an "add" and a "remove" uevent.
 */
#include "kernel/fs/sysfs.h"
#include "kernel/module/module.h"
#include "kernel/module/module_api.h"
#include "kernel/net/uevent.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

static ssize_t show_initstate(void *obj, const void *arg, char *buf)
{
	(void)arg;
	const struct module *m = obj;
	return sysfs_emit_str(buf, m->state == MODULE_LIVE ? "live" : m->state == MODULE_LOADING ? "coming" : "going");
}

static ssize_t show_refcnt(void *obj, const void *arg, char *buf)
{
	(void)arg;
	const struct module *m = obj;
	return sysfs_emit_long(buf, m->refs + m->holders);
}

static ssize_t show_param(void *obj, const void *arg, char *buf)
{
	(void)obj;
	const struct module_param *p = arg;
	switch (p->type) {
	case PARAM_INT: return sysfs_emit_long(buf, *(int *)p->address);
	case PARAM_UINT: return sysfs_emit_long(buf, *(unsigned *)p->address);
	case PARAM_LONG: return sysfs_emit_long(buf, *(long *)p->address);
	case PARAM_BOOL: return sysfs_emit_str(buf, *(bool *)p->address ? "Y" : "N");
	default: {
		const char *s = *(char **)p->address;
		return sysfs_emit_str(buf, s ? s : "(null)");
	}
	}
}

/* "echo 5 > times" writes "5\n": one trailing newline is not part of the value. */
static ssize_t store_param(void *obj, const void *arg, const char *buf, size_t len)
{
	char value[SYSFS_VALUE_MAX];
	size_t n = len;
	if (n && buf[n - 1] == '\n')
		n--;
	memcpy(value, buf, n);
	value[n] = 0;
	int err = module_param_set(obj, arg, value);
	return err ? err : (ssize_t)len;
}

static const struct sysfs_attr initstate_attr = { "initstate", show_initstate, NULL };
static const struct sysfs_attr refcnt_attr = { "refcnt", show_refcnt, NULL };

/* Each parameter's file needs its own name: one attribute per parameter,
 * made at load and freed with the file. */
static int add_param(struct inode *dir, struct module *m, const struct module_param *p)
{
	struct sysfs_attr *a = kmalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	*a = (struct sysfs_attr){ p->name, show_param, p->writable ? store_param : NULL };
	int err = sysfs_add_file_owned(dir, a, m, p);
	if (err)
		kfree(a);
	return err;
}

static void module_path(const struct module *m, char *path, const char *below)
{
	strcpy(path, "module/");
	strcat(path, m->name);
	strcat(path, below);
}

void module_sysfs_add(struct module *m)
{
	char path[MODULE_NAME_LEN + 32];
	module_path(m, path, "");
	struct inode *dir = sysfs_mkdir(path);
	if (!dir)
		return;
	sysfs_add_file(dir, &initstate_attr, m, NULL);
	sysfs_add_file(dir, &refcnt_attr, m, NULL);
	if (m->nparams) {
		module_path(m, path, "/parameters");
		struct inode *params = sysfs_mkdir(path);
		for (size_t i = 0; params && i < m->nparams; i++)
			add_param(params, m, &m->params[i]);
	}
	uevent_module("add", m->name);
}

void module_sysfs_remove(struct module *m)
{
	char path[MODULE_NAME_LEN + 32];
	module_path(m, path, "");
	sysfs_remove(path);
}
