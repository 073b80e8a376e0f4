/*
 * Reading a BPF ELF object (course section: eBPF, programs written in C).
 *
 * clang -target bpf -c writes a relocatable ELF file (ET_REL, machine
 * EM_BPF): no segments, only sections. The loader needs the section
 * headers (where each section's bytes are and what its name is), the
 * symbol table (which function starts a program, which global is a map)
 * and the string tables that hold those names. Every offset read from the
 * file is checked against its size first: an object file is user input.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "elf.h"

static int bad(const char *why)
{
	fprintf(stderr, "bpf: not a BPF object: %s\n", why);
	return -ENOEXEC;
}

/* Does [off, off + len) lie inside the file? Written so it cannot overflow. */
static int in_file(const struct elf_file *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

const char *elf_section_name(const struct elf_file *f, int i)
{
	if (i < 0 || i >= f->n_sections || !f->shstr)
		return "";
	const Elf64_Shdr *names = &f->sh[f->eh->e_shstrndx];
	if (f->sh[i].sh_name >= names->sh_size)
		return "";
	return f->shstr + f->sh[i].sh_name;
}

const void *elf_section_data(const struct elf_file *f, int i)
{
	if (i <= 0 || i >= f->n_sections || f->sh[i].sh_type == SHT_NOBITS)
		return NULL;
	if (!in_file(f, f->sh[i].sh_offset, f->sh[i].sh_size))
		return NULL;
	return f->image + f->sh[i].sh_offset;
}

const char *elf_symbol_name(const struct elf_file *f, const Elf64_Sym *sym)
{
	if (!f->symstr || sym->st_name >= f->symstr_size)
		return "";
	return f->symstr + sym->st_name;
}

int elf_find_section(const struct elf_file *f, const char *name)
{
	for (int i = 1; i < f->n_sections; i++)
		if (strcmp(elf_section_name(f, i), name) == 0)
			return i;
	return -1;
}

/* A string table must end with a NUL, so every name in it is terminated. */
static const char *string_table(const struct elf_file *f, int i)
{
	const char *s = elf_section_data(f, i);
	if (!s || f->sh[i].sh_type != SHT_STRTAB || f->sh[i].sh_size == 0 || s[f->sh[i].sh_size - 1] != 0)
		return NULL;
	return s;
}

static int find_symbols(struct elf_file *f)
{
	for (int i = 1; i < f->n_sections; i++) {
		if (f->sh[i].sh_type != SHT_SYMTAB)
			continue;
		f->syms = elf_section_data(f, i);
		f->n_syms = (int)(f->sh[i].sh_size / sizeof(Elf64_Sym));
		if (!f->syms || f->sh[i].sh_link >= (uint32_t)f->n_sections)
			return bad("symbol table out of the file");
		f->symstr = string_table(f, (int)f->sh[i].sh_link);
		if (!f->symstr)
			return bad("bad symbol string table");
		f->symstr_size = f->sh[f->sh[i].sh_link].sh_size;
		return 0;
	}
	return bad("no symbol table");
}

int elf_open(struct elf_file *f, const void *image, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->image = image;
	f->size = size;
	f->eh = image;
	if (size < sizeof(Elf64_Ehdr) || memcmp(image, "\177ELF", 4) != 0)
		return bad("no ELF header");
	if (f->eh->e_ident[EI_CLASS] != ELFCLASS64 || f->eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad("not 64-bit little-endian");
	if (f->eh->e_type != ET_REL || f->eh->e_machine != EM_BPF)
		return bad("not a relocatable object for EM_BPF (clang -target bpf -c)");
	if (f->eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(f, f->eh->e_shoff, (uint64_t)f->eh->e_shnum * sizeof(Elf64_Shdr)))
		return bad("section headers out of the file");
	f->sh = (const Elf64_Shdr *)(f->image + f->eh->e_shoff);
	f->n_sections = f->eh->e_shnum;
	if (f->eh->e_shstrndx >= f->n_sections)
		return bad("no section name table");
	f->shstr = string_table(f, f->eh->e_shstrndx);
	if (!f->shstr)
		return bad("bad section name table");
	return find_symbols(f);
}
