/*
 * EXPORT_SYMBOL: the kernel functions modules may call (course section:
 * loadable modules).
 *
 * Each EXPORT_SYMBOL(name) puts {"name", &name} in the __ksymtab section;
 * linker.ld gathers them between __ksymtab_start and __ksymtab_end, and the
 * module loader resolves a module's undefined symbols against this table
 * only -- everything else in the kernel is private to it. A module can
 * export its own symbols the same way, for modules loaded after it.
 */
#ifndef KERNEL_EXPORT_H
#define KERNEL_EXPORT_H

struct kernel_symbol {
	const char *name;
	const void *address;
};

#define EXPORT_SYMBOL(sym)                                                              \
	static const char __kstrtab_##sym[] = #sym;                                     \
	__attribute__((used, section("__ksymtab"), aligned(8))) static const struct kernel_symbol \
		__ksymtab_##sym = { __kstrtab_##sym, (const void *)&sym }

#endif
