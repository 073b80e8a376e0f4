/*
 * C library: memory mappings (course section: the C library on raw syscalls).
 *
 * Flags for mmap(2), mprotect(2) and munmap(2), with Linux's values.
 */
#ifndef LIBC_SYS_MMAN_H
#define LIBC_SYS_MMAN_H

#include <sys/types.h>

/* Page protection: what the program may do with the pages */
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

/* Mapping type (exactly one of the first two), then options */
#define MAP_SHARED 0x01		/* writes reach the file and other processes */
#define MAP_PRIVATE 0x02	/* writes make a private copy of the page */
#define MAP_FIXED 0x10		/* exactly at addr, replacing what was there */
#define MAP_ANONYMOUS 0x20	/* no file: zero-filled memory */
#define MAP_ANON MAP_ANONYMOUS
#define MAP_GROWSDOWN 0x0100
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000	/* fault all pages in now */
#define MAP_STACK 0x20000
#define MAP_FIXED_NOREPLACE 0x100000

/* What mmap returns on failure (not NULL: 0 can be a valid address) */
#define MAP_FAILED ((void *)-1)

#define MREMAP_MAYMOVE 1

#endif
