/*
 * C library: the ELF file format (course section: loading programs and
 * modules). The structures are the kernel's (abi/elf.h); this adds the
 * names programs like modinfo use.
 */
#ifndef LIBC_ELF_H
#define LIBC_ELF_H

#include "abi/elf.h"

#define ELFMAG "\177ELF"
#define SELFMAG 4
#define EI_MAG0 0
#define EI_OSABI 7
#define ELFCLASS32 1

#endif
