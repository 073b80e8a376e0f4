/* Kernel messages (course section: the kernel's own tools). */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include "kernel/types.h"

__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);
__attribute__((format(printf, 1, 2))) __noreturn void panic(const char *fmt, ...);

/* `quiet` on the command line: kernel messages go only to the log and to
 * QEMU's debug console, so a program's output is alone on the terminal. */
extern bool printk_quiet;

/* Messages of a level below this reach the console (syslog(2)'s
 * CONSOLE_LEVEL; 1 silences it). Returns the level before. */
int printk_console_level(int level);
/* console, default message, minimum console and default console levels,
 * as /proc/sys/kernel/printk shows and sets them (kernel/fs/procfs_sys.c). */
#define PRINTK_LEVELS 4
extern long printk_levels[PRINTK_LEVELS];

/* Copy out the kernel log's newest lines that fit, oldest first. */
size_t printk_read_log(char *buf, size_t size);

#define BUG_ON(cond)                                                             \
	do {                                                                     \
		if (unlikely(cond))                                              \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);    \
	} while (0)

#endif
