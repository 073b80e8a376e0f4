/* Loadable modules, the kernel side (course section: loadable modules). */
#ifndef KERNEL_MODULE_H
#define KERNEL_MODULE_H

#include "kernel/module/export.h"
#include "kernel/list.h"
#include "kernel/types.h"

#define MODULE_NAME_LEN 56 /* as Linux: 55 characters and the NUL */
#define MODULE_MAX_DEPS 16
#define MODULE_MAX_PARAM_STRINGS 8

enum module_state { MODULE_LOADING, MODULE_LIVE, MODULE_GOING };

struct module_symbol {
	uint64_t address;
	const char *name;
};

struct module {
	char name[MODULE_NAME_LEN];
	char description[80];
	struct list_node node;
	enum module_state state;
	uint64_t base;            /* in the module area */
	size_t pages;
	uint64_t text_start, text_end;
	int (*init)(void);
	void (*exit)(void);
	int refs;                 /* open files and other users: rmmod says EBUSY */
	int holders;              /* modules that use our symbols: rmmod says EWOULDBLOCK */
	struct module *deps[MODULE_MAX_DEPS];
	int ndeps;
	const struct kernel_symbol *exports;
	size_t nexports;
	struct module_symbol *symbols; /* functions, sorted, for oops reports */
	size_t nsymbols;
	char *strings;            /* the names the symbols point into */
	char *param_strings[MODULE_MAX_PARAM_STRINGS]; /* charp parameters' copies */
	int nparam_strings;
	const struct module_param *params; /* its __param table, for /sys/module/NAME/parameters */
	size_t nparams;
};

extern struct list_node modules;

/* Load an image (a kmalloc'd copy, which it frees) with a parameter
 * string, and run the module's init; 0 or -errno. */
int module_load(uint8_t *image, size_t size, const char *params);
/* The oops handler's call when a module faults: if it was still in its
 * init, unload it as if init had failed (its caller is about to die). */
void module_fault_in_init(const struct module *culprit);
struct module *module_find(const char *name);
void module_get(struct module *m);
void module_put(struct module *m);
/* The module whose code contains addr, or NULL. */
struct module *module_at(uint64_t addr);
/* For oops reports: the module function containing addr. */
const char *module_symbol_lookup(uint64_t addr, uint64_t *offset, const char **module_name);
/* A kernel or module export by name, recording a dependency of `user` on
 * the module that exports it. */
const void *symbol_resolve(const char *name, struct module *user);

/* Register /proc/modules. */
void modules_init(void);

/* The loader (kernel/module/module_loader.c): lay out, relocate, link. */
int module_link(struct module *m, const uint8_t *image, size_t size, const char *params);

/* kernel/module/module_param.c: parameters given as text at load time. */
struct module_param;
int module_param_set(struct module *m, const struct module_param *p, const char *value);
int module_params_apply(struct module *m, const struct module_param *table, size_t n, const char *params);
void module_unmap(struct module *m);

#endif
