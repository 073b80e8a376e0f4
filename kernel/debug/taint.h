/* The kernel's taint: what has happened that makes its state suspect (kernel/debug/taint.c). */
#ifndef KERNEL_DEBUG_TAINT_H
#define KERNEL_DEBUG_TAINT_H

/* Linux's bit numbers and letters (/proc/sys/kernel/tainted shows the bits). */
#define TAINT_BAD_PAGE 5    /* 'B': KASAN found a bad memory access */
#define TAINT_DIE 7         /* 'D': an oops killed a process and the kernel went on */
#define TAINT_WARN 9        /* 'W' */
#define TAINT_OOT_MODULE 12 /* 'O': a module built outside the kernel was loaded */
#define TAINT_SOFTLOCKUP 14 /* 'L': the watchdog saw a soft lockup */

extern long tainted_mask;
void add_taint(unsigned flag);

#endif
