/*
 * Checking an ELF64 executable before loading it (course section: starting
 * a program).
 *
 * An ELF file starts with a header (magic "\x7fELF", 64-bit, little-endian,
 * x86_64, executable) that points at a table of program headers. Each
 * PT_LOAD header says: copy `filesz` bytes from file offset `offset` to
 * address `vaddr`, and zero the rest up to `memsz` (that is the .bss).
 * The file comes from a user, so every number is checked before use: that
 * the headers lie inside the file, that no sum overflows, that every
 * segment lies in the user half, that segments do not overlap, that none
 * is absurdly large. A bad file is refused with ENOEXEC and a reason.
 */
#include "kernel/proc/elf.h"
#include "libc/include/abi/elf.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/mman.h"
#include "libc/include/string.h"
#include "mm/layout.h"

#define PAGE 4096ull

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -ENOEXEC;
}

static bool add_overflows(uint64_t a, uint64_t b)
{
	return a + b < a;
}

static int check_header(const Elf64_Ehdr *eh, size_t size, const char **why)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\x7f" "ELF", 4) != 0)
		return refuse(why, "not an ELF file (bad magic)");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return refuse(why, "not a 64-bit ELF file (wrong class)");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return refuse(why, "not a little-endian ELF file");
	if (eh->e_machine != EM_X86_64)
		return refuse(why, "not an x86_64 program (wrong machine)");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return refuse(why, "not an executable (ELF type is not EXEC or DYN)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return refuse(why, "unexpected program header size");
	if (eh->e_phnum == 0 || eh->e_phnum > 64)
		return refuse(why, "no program headers, or too many");
	uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (add_overflows(eh->e_phoff, table) || eh->e_phoff + table > size)
		return refuse(why, "program headers lie outside the file");
	return 0;
}

static unsigned prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

static int check_segment(const Elf64_Phdr *ph, uint64_t base, uint64_t file_size, struct elf_segment *s,
			 const char **why)
{
	if (ph->p_filesz > ph->p_memsz)
		return refuse(why, "segment has more file bytes than memory bytes");
	if (add_overflows(ph->p_offset, ph->p_filesz) || ph->p_offset + ph->p_filesz > file_size)
		return refuse(why, "segment's bytes lie outside the file (truncated file?)");
	if (ph->p_memsz > ELF_MAX_SEGMENT_SIZE)
		return refuse(why, "segment is huge (over 1 GiB)");
	uint64_t vaddr = base + ph->p_vaddr;
	if (add_overflows(base, ph->p_vaddr) || add_overflows(vaddr, ph->p_memsz) ||
	    vaddr < ELF_MIN_VADDR || vaddr + ph->p_memsz > USER_TOP)
		return refuse(why, "segment lies outside the user half of memory");
	if (ph->p_align > 1 && (ph->p_vaddr - ph->p_offset) % PAGE != 0)
		return refuse(why, "segment's address and file offset disagree modulo the page size");
	*s = (struct elf_segment){ vaddr, ph->p_memsz, ph->p_offset, ph->p_filesz, prot_of(ph->p_flags) };
	return 0;
}

/* Segments must not share a page: each page gets one segment's rights. */
static int check_overlaps(const struct elf_image *img, const char **why)
{
	for (int i = 0; i < img->nseg; i++) {
		for (int j = 0; j < img->nseg; j++) {
			const struct elf_segment *a = &img->seg[i], *b = &img->seg[j];
			uint64_t a_end = (a->vaddr + a->memsz + PAGE - 1) & ~(PAGE - 1);
			uint64_t b_start = b->vaddr & ~(PAGE - 1);
			if (i != j && b_start < a_end && a->vaddr <= b->vaddr)
				return refuse(why, "segments overlap");
		}
	}
	return 0;
}

int elf_parse(const void *data, size_t size, uint64_t file_size, struct elf_image *img, const char **why)
{
	const Elf64_Ehdr *eh = data;
	memset(img, 0, sizeof(*img));
	int err = check_header(eh, size, why);
	if (err)
		return err;
	uint64_t base = eh->e_type == ET_DYN ? ELF_DYN_BASE : 0;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)data + eh->e_phoff);
	uint64_t phdr_addr = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return refuse(why, "dynamically linked (needs an interpreter): build it with -static");
		if (ph[i].p_type == PT_PHDR)
			phdr_addr = base + ph[i].p_vaddr;
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (img->nseg == ELF_MAX_SEGMENTS)
			return refuse(why, "too many loadable segments");
		struct elf_segment *s = &img->seg[img->nseg];
		err = check_segment(&ph[i], base, file_size, s, why);
		if (err)
			return err;
		/* The program headers are usually inside the first segment. */
		if (!phdr_addr && eh->e_phoff >= s->offset && eh->e_phoff < s->offset + s->filesz)
			phdr_addr = s->vaddr + (eh->e_phoff - s->offset);
		if (s->vaddr + s->memsz > img->end)
			img->end = s->vaddr + s->memsz;
		img->nseg++;
	}
	if (img->nseg == 0)
		return refuse(why, "no loadable segments");
	err = check_overlaps(img, why);
	if (err)
		return err;
	img->entry = base + eh->e_entry;
	if (img->entry >= USER_TOP)
		return refuse(why, "entry point outside the user half");
	img->phdr_addr = phdr_addr;
	img->phnum = eh->e_phnum;
	img->phentsize = eh->e_phentsize;
	return 0;
}
