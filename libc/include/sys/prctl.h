/* C library: prctl, operations on the calling process (course section:
 * processes). Option numbers are in <abi/prctl.h>. */
#ifndef LIBC_SYS_PRCTL_H
#define LIBC_SYS_PRCTL_H

#include <abi/prctl.h>

int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5);

#endif
