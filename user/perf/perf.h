/* /bin/perf's parts (course section: performance profiling tools). */
#ifndef USER_PERF_PERF_H
#define USER_PERF_PERF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "abi/perf_event.h"

#define PERF_RECORD_HEADER_ATTR 64 /* Linux's pipe-mode perf.data: an event's attr and ids */
#define PERF_DATA_MAGIC "PERFILE2"
#define PERF_DEFAULT_FILE "perf.data"

/* stat.c */
int perf_stat_main(int argc, char **argv);
/* A tracepoint's number (events/SYSTEM/EVENT/id in tracefs), or -1. */
int perf_tracepoint_id(const char *name);
/* An event name (software or SYSTEM:EVENT) as type and config; false if unknown. */
bool perf_parse_event(const char *name, uint32_t *type, uint64_t *config);

/* record.c */
int perf_record_main(int argc, char **argv);

/* report.c */
int perf_report_main(int argc, char **argv);

/* symbols.c: names for addresses */
struct symbol {
	uint64_t start, size;
	const char *name;
};
struct symtab {
	char *path;
	struct symbol *syms; /* sorted by start */
	size_t n;
	char *strings;       /* the names point in here */
};
/* A program's function symbols from its ELF .symtab; n = 0 if none. */
void symtab_load_elf(struct symtab *t, const char *path);
/* The kernel's, from /proc/kallsyms. */
void symtab_load_kallsyms(struct symtab *t);
/* The function holding addr, or NULL. */
const struct symbol *symtab_find(const struct symtab *t, uint64_t addr);
void symtab_free(struct symtab *t);

#endif
