/*
 * printk: the kernel's printf (course section: the kernel's own tools).
 *
 * Each message is formatted into a small buffer by the same vformat() that
 * libc's printf uses (libc/format.c), then sent to three places:
 *   - QEMU's debug console (port 0xE9), which tools/run-elf and the tests
 *     save to a file: the whole kernel log, whatever the console shows;
 *   - the log's ring of records (kernel/log/), which dmesg reads through
 *     syslog(2) and /dev/kmsg;
 *   - the console (serial + VGA), unless the command line said `quiet` or
 *     syslog(2) lowered the console's level (dmesg -n 1).
 * Interrupts are held off while a message is written so that messages from
 * an interrupt handler do not tear a message in the middle.
 */
#include "kernel/printk.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/power.h"
#include "drivers/console.h"
#include "kernel/log/log_buffer.h"
#include "kernel/debug/pstore.h"
#include "libc/format.h"
#include "libc/include/abi/syslog.h"

#define LINE_MAX 512

bool printk_quiet;
/* Linux's four printk levels (/proc/sys/kernel/printk): messages below
 * the first reach the console; the second is a message's level when it
 * names none (sysgate's printk never names one). */
long printk_levels[PRINTK_LEVELS] = { LOG_DEFAULT_CONSOLE_LEVEL, LOG_DEFAULT_LEVEL, 1, LOG_DEFAULT_CONSOLE_LEVEL };
#define console_level printk_levels[0]
#define default_message_level printk_levels[1]

struct line {
	char buf[LINE_MAX];
	size_t len;
};

static void emit(void *ctx, const char *s, size_t n)
{
	struct line *l = ctx;
	while (n-- && l->len < LINE_MAX)
		l->buf[l->len++] = *s++;
}

static void log_store(const char *s, size_t n)
{
	log_append_text(s, n);
	for (size_t i = 0; i < n; i++)
		outb(QEMU_DEBUGCON, (uint8_t)s[i]);
}

int printk_console_level(int level)
{
	int old = (int)console_level;
	console_level = level;
	return old;
}

void vprintk(const char *fmt, va_list ap)
{
	struct line l;
	l.len = 0;
	vformat(emit, &l, fmt, ap);
	uint64_t flags = irq_save();
	log_store(l.buf, l.len);
	if (!printk_quiet && default_message_level < console_level)
		console_write(l.buf, l.len);
	irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

size_t printk_read_log(char *buf, size_t size)
{
	return log_read_text(buf, size);
}

void panic(const char *fmt, ...)
{
	irq_disable();
	printk_quiet = false; /* a panic is always shown */
	console_level = LOG_DEFAULT_CONSOLE_LEVEL;
	printk("\nKernel panic: ");
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	pstore_save(); /* the next boot shows it: kernel/debug/pstore.c */
	machine_halt_after_panic();
}
