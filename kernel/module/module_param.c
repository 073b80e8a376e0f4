/*
 * Module parameters (course section: loadable modules).
 *
 * A module declares its parameters with module_param(): a name, a type and
 * the address of the variable that holds it, gathered by the linker into
 * the module's __param table. `insmod hello.ko greeting=hi times=3` passes
 * "greeting=hi times=3" to init_module(2); the loader finds the table
 * (kernel/module/module_loader.c) and this file parses the text and stores
 * each value into the module's variable before the module's init runs.
 */
#include "kernel/module/module.h"
#include "kernel/module/module_api.h"
#include "kernel/printk.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define MAX_PARAMS_LEN 1024

/* Store one value, written as text, into the parameter's variable. */
int module_param_set(struct module *m, const struct module_param *p, const char *value)
{
	long v = 0;
	bool neg = *value == '-';
	const char *q = neg ? value + 1 : value;
	switch (p->type) {
	case PARAM_CHARP: {
		/* A value set before (at load or through sysfs) gives up its slot. */
		char **var = p->address;
		int slot = m->nparam_strings;
		for (int i = 0; i < m->nparam_strings; i++)
			if (m->param_strings[i] == *var)
				slot = i;
		if (slot == MODULE_MAX_PARAM_STRINGS)
			return -EINVAL;
		char *copy = kmalloc(strlen(value) + 1);
		if (!copy)
			return -ENOMEM;
		strcpy(copy, value);
		if (slot < m->nparam_strings)
			kfree(m->param_strings[slot]);
		else
			m->nparam_strings++;
		*var = copy;
		m->param_strings[slot] = copy; /* freed at unload */
		return 0;
	}
	case PARAM_BOOL:
		if (!strcmp(value, "1") || !strcmp(value, "y") || !strcmp(value, "Y") || !strcmp(value, "true"))
			*(bool *)p->address = true;
		else if (!strcmp(value, "0") || !strcmp(value, "n") || !strcmp(value, "N") || !strcmp(value, "false"))
			*(bool *)p->address = false;
		else
			return -EINVAL;
		return 0;
	default:
		if (!*q)
			return -EINVAL;
		for (; *q; q++) {
			if (*q < '0' || *q > '9')
				return -EINVAL;
			v = v * 10 + (*q - '0');
		}
		v = neg ? -v : v;
		if (p->type == PARAM_INT)
			*(int *)p->address = (int)v;
		else if (p->type == PARAM_UINT)
			*(unsigned *)p->address = (unsigned)v;
		else
			*(long *)p->address = v;
		return 0;
	}
}

/* Parse "a=1 b=text" (a bare name means "=1") against the module's table. */
int module_params_apply(struct module *m, const struct module_param *table, size_t n, const char *params)
{
	char buf[MAX_PARAMS_LEN];
	strncpy(buf, params, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	for (char *save = NULL, *word = strtok_r(buf, " \t\n", &save); word; word = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(word, '=');
		const char *value = eq ? eq + 1 : "1";
		if (eq)
			*eq = 0;
		size_t k;
		for (k = 0; k < n && strcmp(table[k].name, word); k++)
			;
		if (k == n) {
			printk("module %s: unknown parameter '%s'\n", m->name, word);
			return -EINVAL;
		}
		if (module_param_set(m, &table[k], value)) {
			printk("module %s: bad value for parameter '%s'\n", m->name, word);
			return -EINVAL;
		}
	}
	return 0;
}
