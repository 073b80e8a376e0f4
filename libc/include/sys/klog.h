/*
 * C library: reading the kernel log (course section: the kernel's own
 * tools).
 *
 * klogctl is glibc's name for the syslog(2) syscall, since syslog(3) is
 * the unrelated function that sends a program's messages to a log daemon.
 * The actions are SYSLOG_ACTION_* of <abi/syslog.h>.
 */
#ifndef LIBC_SYS_KLOG_H
#define LIBC_SYS_KLOG_H

#include <abi/syslog.h>

int klogctl(int type, char *buf, int len);

#endif
