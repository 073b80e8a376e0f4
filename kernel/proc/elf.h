/* Checking and describing ELF64 executables (course section: starting a program). */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "kernel/types.h"

#define ELF_MAX_SEGMENTS 16
#define ELF_MAX_SEGMENT_SIZE (1ull << 30) /* 1 GiB: bigger is refused as "huge" */
#define ELF_MIN_VADDR 0x10000             /* the first 64 KiB stay unmapped (NULL) */
#define ELF_DYN_BASE 0x555555554000ull    /* where a position-independent program goes */

struct elf_segment {
	uint64_t vaddr, memsz;  /* in memory */
	uint64_t offset, filesz; /* in the file */
	unsigned prot;          /* PROT_READ/WRITE/EXEC */
};

struct elf_image {
	uint64_t entry;
	uint64_t phdr_addr;     /* where the program headers are in memory (AT_PHDR) */
	uint16_t phnum, phentsize;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	int nseg;
	uint64_t end;           /* highest address used: brk starts above */
};

/* Check the ELF header and program headers in `data` (the first `size`
 * bytes of a file of `file_size` bytes). On failure returns -ENOEXEC and
 * sets *why to a message for the kernel log. Pure: host-tested. */
int elf_parse(const void *data, size_t size, uint64_t file_size, struct elf_image *img, const char **why);

#endif
