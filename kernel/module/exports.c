/*
 * The kernel's interface for modules (course section: loadable modules).
 *
 * A module may call exactly the functions listed here: the loader resolves
 * a module's undefined symbols against this table (kernel/module/export.h) and
 * refuses a module that needs anything else, naming the missing symbol.
 * Keeping the list in one file makes the interface easy to read -- and its
 * size a design decision: every line is a promise to module authors.
 */
#include "arch/x86_64/percpu.h"
#include "drivers/timer.h"
#include "kernel/module/export.h"
#include "kernel/fs/file.h"
#include "kernel/time/ktimer.h"
#include "kernel/module/module_api.h"
#include "kernel/printk.h"
#include "kernel/fs/procfs.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/syscall_info.h"
#include "kernel/events/wait.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

/* Messages and memory */
EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(kmalloc);
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kfree);

/* Strings (libc/string.c is compiled into the kernel too) */
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strnlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strcpy);
EXPORT_SYMBOL(strncpy);
EXPORT_SYMBOL(strchr);

/* User memory */
EXPORT_SYMBOL(copy_from_user);
EXPORT_SYMBOL(copy_to_user);
EXPORT_SYMBOL(clear_user);
EXPORT_SYMBOL(strncpy_from_user);

/* Devices, syscalls, hooks */
EXPORT_SYMBOL(register_chardev);
EXPORT_SYMBOL(unregister_chardev);
EXPORT_SYMBOL(syscall_register);
EXPORT_SYMBOL(syscall_unregister);
EXPORT_SYMBOL(register_syscall_hook);
EXPORT_SYMBOL(unregister_syscall_hook);
EXPORT_SYMBOL(syscall_info);

/* Sleeping and waking */
EXPORT_SYMBOL(wait_queue_init);
EXPORT_SYMBOL(waiter_init);
EXPORT_SYMBOL(wake_up);
EXPORT_SYMBOL(prepare_to_wait);
EXPORT_SYMBOL(finish_wait);
EXPORT_SYMBOL(schedule);
EXPORT_SYMBOL(current_signal_pending);

/* Time and timers */
EXPORT_SYMBOL(clock_monotonic_ns);
EXPORT_SYMBOL(timer_ticks);
EXPORT_SYMBOL(ktimer_init);
EXPORT_SYMBOL(ktimer_start);
EXPORT_SYMBOL(ktimer_cancel);

/* /proc files */
EXPORT_SYMBOL(procfs_add);
EXPORT_SYMBOL(procfs_remove);
EXPORT_SYMBOL(proc_printf);
