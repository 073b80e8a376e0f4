/* Auxiliary vector types: what the kernel tells a new program about itself
 * (course section: starting a program; the Linux initial stack). */
#ifndef ABI_AUXV_H
#define ABI_AUXV_H

#define AT_NULL 0
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3    /* address of the program headers in memory */
#define AT_PHENT 4   /* size of one program header */
#define AT_PHNUM 5   /* number of program headers */
#define AT_PAGESZ 6
#define AT_BASE 7    /* interpreter base (0: static program) */
#define AT_FLAGS 8
#define AT_ENTRY 9   /* the program's entry point */
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25 /* address of 16 random bytes */
#define AT_HWCAP2 26
#define AT_EXECFN 31 /* address of the file name given to execve */
#define AT_SYSINFO_EHDR 33 /* the vDSO's ELF header (kernel/vdso/) */

#endif
