/*
 * C library: the auxiliary vector (course section: starting a program).
 *
 * Above the environment on the initial stack, the kernel leaves (type, value)
 * pairs that tell the program about itself and the machine: the page size,
 * where its program headers are, 16 random bytes, ... ending with AT_NULL.
 * getauxval(type) returns the value of one entry, or 0 (and errno ENOENT) if
 * the kernel did not supply it.
 */
#ifndef LIBC_SYS_AUXV_H
#define LIBC_SYS_AUXV_H

#include <abi/auxv.h>	/* AT_NULL, AT_PAGESZ, AT_RANDOM, ... */

/* A few more that Linux supplies, where <abi/auxv.h> does not have them. */
#ifndef AT_NOTELF
#define AT_NOTELF 10
#endif
#ifndef AT_BASE_PLATFORM
#define AT_BASE_PLATFORM 24	/* string: the real platform */
#endif
#ifndef AT_SYSINFO_EHDR
#define AT_SYSINFO_EHDR 33	/* address of the vDSO */
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51	/* minimum signal stack size */
#endif

unsigned long getauxval(unsigned long type);
/* The address of a function the vDSO offers (AT_SYSINFO_EHDR), or NULL
 * (libc/vdso.c). */
void *vdso_sym(const char *name);

#endif
