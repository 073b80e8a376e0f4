/*
 * Taint: the kernel remembering that something made its state suspect
 * (course section: kernel debugging techniques).
 *
 * Once a module from outside the kernel is loaded, or an oops killed a
 * process and the kernel carried on, or KASAN caught a bad access, every
 * later bug report may be a consequence of that, not a bug of its own.
 * Linux keeps one bit per such event, never cleared until reboot, shows
 * them in /proc/sys/kernel/tainted, and a kernel developer asks for that
 * number before reading any report. sysgate keeps the same bits for the
 * events it has.
 */
#include "kernel/debug/taint.h"

long tainted_mask; /* a long: /proc/sys shows it (kernel/fs/procfs_sys.c) */

void add_taint(unsigned flag)
{
	tainted_mask |= 1l << flag;
}
