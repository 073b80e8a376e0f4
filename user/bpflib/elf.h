/*
 * Reading a BPF ELF object (course section: eBPF, programs written in C):
 * the loader's view of the file clang wrote. Internal to bpflib.
 */
#ifndef USER_BPFLIB_ELF_H
#define USER_BPFLIB_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "abi/elf.h"

/* The BPF target's ELF numbers (not in abi/elf.h, which is x86_64's). */
#define EM_BPF 247
#define R_BPF_NONE 0
#define R_BPF_64_64 1  /* the 64-bit immediate of an ld_imm64: a map's address */
#define R_BPF_64_32 10 /* a call's 32-bit immediate: a BPF-to-BPF call */

/* An ELF relocation without addend, as clang writes for BPF (.rel sections). */
typedef struct {
	uint64_t r_offset;
	uint64_t r_info;
} Elf64_Rel;

struct elf_file {
	const uint8_t *image;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh; /* the section headers */
	int n_sections;
	const char *shstr;    /* section names */
	const Elf64_Sym *syms;
	int n_syms;
	const char *symstr;   /* symbol names */
	size_t symstr_size;
};

/* Checks the header and finds the tables; 0 or -ENOEXEC with a message. */
int elf_open(struct elf_file *f, const void *image, size_t size);
/* A section's name ("" if out of range). */
const char *elf_section_name(const struct elf_file *f, int i);
/* A section's bytes, or NULL if they lie outside the file (or it has none). */
const void *elf_section_data(const struct elf_file *f, int i);
/* A symbol's name ("" if out of range). */
const char *elf_symbol_name(const struct elf_file *f, const Elf64_Sym *sym);
/* The section named name, or -1. */
int elf_find_section(const struct elf_file *f, const char *name);

#endif
