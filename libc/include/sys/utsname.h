/*
 * C library: the system's name (course section: the C library on raw syscalls).
 *
 * uname(2) fills a struct utsname (<abi/utsname.h>): Linux's layout, six
 * fixed 65-byte strings (sysname "Linux" or "sysgate", nodename, release,
 * version, machine "x86_64", domainname), so `uname -a` needs no malloc.
 */
#ifndef LIBC_SYS_UTSNAME_H
#define LIBC_SYS_UTSNAME_H

#include <abi/utsname.h>

int uname(struct utsname *buf);

#endif
