/*
 * C library: per-thread segment bases (course section: the C library on raw
 * syscalls).
 *
 * arch_prctl sets or reads the base address of the fs and gs segments. On
 * x86_64 user programs point fs at their thread-local storage, so that
 * %fs:offset addresses the current thread's copy of a __thread variable.
 * The codes (ARCH_SET_FS ...) are in <abi/prctl.h>. The GET codes store the
 * base at addr, which is then really an unsigned long *.
 */
#ifndef LIBC_ASM_PRCTL_H
#define LIBC_ASM_PRCTL_H

#include <abi/prctl.h>

int arch_prctl(int code, unsigned long addr);

#endif
