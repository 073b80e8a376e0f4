/*
 * diagdemo: each class of kernel bug on demand, for the checkers to catch
 * (course section: kernel debugging techniques; the diagnostics tour).
 *
 *   insmod /lib/modules/diagdemo.ko bug=oob      read one byte past a kmalloc object
 *   insmod /lib/modules/diagdemo.ko bug=uaf      read an object after kfree
 *   insmod /lib/modules/diagdemo.ko bug=dfree    kfree the same object twice
 *   insmod /lib/modules/diagdemo.ko bug=shift    shift an int by 40 bits
 *   insmod /lib/modules/diagdemo.ko bug=overflow INT_MAX + 1
 *   insmod /lib/modules/diagdemo.ko bug=leak     kmalloc and forget: cat /proc/kmemleak
 *   insmod /lib/modules/diagdemo.ko bug=lockup seconds=25
 *                                                spin in kernel mode: the soft-lockup watchdog
 *   rmmod diagdemo
 *
 * The first three need a kernel built with `make KASAN=1`, shift and
 * overflow UBSAN (make UBSAN=1; on in make test); the leak scanner is always
 * there. Each bug is in a function of its own,
 * so the report's first line names it: "BUG: KASAN: slab-out-of-bounds in
 * diag_oob+0x.. [module diagdemo]". README.md ("Reading the kernel's bug
 * reports") goes through each report. The checkers report and go on, so
 * the module loads; its init returns 0 whatever the bug.
 */
#include "kernel/module/module_api.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "drivers/timer.h"

MODULE_NAME("diagdemo");
MODULE_DESCRIPTION("kernel bugs on demand for KASAN and UBSAN: bug=oob|uaf|dfree|shift|overflow|leak|lockup");
MODULE_AUTHOR("sysgate");
MODULE_LICENSE("GPL");

static char *bug = "none";
module_param(bug, charp, "which bug: oob, uaf, dfree, shift, overflow, leak or lockup");
static int seconds = 25;
module_param(seconds, int, "bug=lockup: how long to spin in kernel mode");

/* volatile: the compiler must neither see through nor drop the bad access. */
static volatile int forty = 40, int_max = 0x7fffffff;

static __attribute__((noinline)) int diag_oob(void)
{
	volatile char *p = kmalloc(13);
	if (!p)
		return -ENOMEM;
	char c = p[13]; /* one past the end */
	kfree((void *)p);
	return c;
}

static __attribute__((noinline)) int diag_uaf(void)
{
	volatile int *p = kmalloc(32);
	if (!p)
		return -ENOMEM;
	p[0] = 1;
	kfree((void *)p);
	return p[0]; /* after kfree */
}

static __attribute__((noinline)) int diag_dfree(void)
{
	void *p = kmalloc(64);
	if (!p)
		return -ENOMEM;
	kfree(p);
	kfree(p); /* again */
	return 0;
}

/* The pointer is dropped; the text is the clue in the scanner's hex dump. */
static __attribute__((noinline)) int diag_leak(void)
{
	char *p = kmalloc(48);
	if (!p)
		return -ENOMEM;
	strcpy(p, "diagdemo: leaked on purpose");
	return 0;
}

/* Spins with interrupts on, as a runaway loop would: only the timer
 * interrupt, and with it the watchdog, still runs. */
static __attribute__((noinline)) int diag_lockup(void)
{
	uint64_t end = timer_ticks() + (uint64_t)seconds * TIMER_HZ;
	while (timer_ticks() < end)
		__asm__ volatile("pause");
	return 0;
}

static __attribute__((noinline)) int diag_shift(void)
{
	return 1 << forty; /* int has 32 bits */
}

static __attribute__((noinline)) int diag_overflow(void)
{
	return int_max + 1; /* signed overflow */
}

int init_module(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} bugs[] = {
		{ "oob", diag_oob },     { "uaf", diag_uaf },           { "dfree", diag_dfree },
		{ "shift", diag_shift }, { "overflow", diag_overflow }, { "leak", diag_leak },
		{ "lockup", diag_lockup },
	};
	for (unsigned i = 0; i < sizeof(bugs) / sizeof(bugs[0]); i++)
		if (!strcmp(bug, bugs[i].name)) {
			printk("diagdemo: bug=%s (%d)\n", bug, bugs[i].fn());
			return 0;
		}
	printk("diagdemo: bug=%s: nothing to do (oob, uaf, dfree, shift, overflow, leak, lockup)\n", bug);
	return 0;
}

void cleanup_module(void)
{
}
