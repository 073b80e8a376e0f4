/*
 * Host unit test of the ELF checks, kernel/proc/elf.c (course section: starting
 * a program).
 *
 * Builds small ELF images in memory -- one good, then one broken in each
 * way a hostile or damaged file can be -- and checks elf_parse accepts the
 * first and refuses each of the others with ENOEXEC.
 *
 * UNIT_SOURCES: kernel/proc/elf.c
 */
#include "unit.h"
#include "kernel/proc/elf.h"
#include "libc/include/abi/elf.h"
#include "libc/include/abi/errno.h"

#include <string.h>

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	uint8_t code[8192];
};

static void make_good(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, "\x7f" "ELF", 4);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = 0x401000;
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 2;
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	/* text: the whole file at 0x400000, read + execute */
	im->ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x400000, 4096, 4096, 4096 };
	/* data + bss: read + write, one page later */
	im->ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 4096, 0x401000 + 4096, 0, 100, 20000, 4096 };
}

static int parse(struct image *im, size_t size, const char **why)
{
	struct elf_image img;
	*why = NULL;
	return elf_parse(im, size, size, &img, why);
}

#define REFUSED(what, mutate)                                                  \
	do {                                                                   \
		make_good(&im);                                                \
		mutate;                                                        \
		CHECK_EQ(what, parse(&im, sizeof(im), &why), -ENOEXEC);        \
	} while (0)

int main(void)
{
	unit_suite = "elf";
	static struct image im;
	const char *why;
	struct elf_image img;

	make_good(&im);
	CHECK_EQ("a well-formed static executable is accepted", elf_parse(&im, sizeof(im), sizeof(im), &img, &why), 0);
	CHECK_EQ("its loadable segments are found", img.nseg, 2);
	CHECK_EQ("its entry point is kept", img.entry, 0x401000);
	CHECK_EQ("the program headers' address is found (AT_PHDR)", img.phdr_addr, 0x400000 + im.eh.e_phoff);
	CHECK_EQ("brk starts above the bss", img.end, 0x402000 + 20000);

	REFUSED("bad magic", im.eh.e_ident[1] = 'X');
	REFUSED("32-bit class", im.eh.e_ident[EI_CLASS] = 1);
	REFUSED("big-endian data", im.eh.e_ident[EI_DATA] = 2);
	REFUSED("another machine (aarch64)", im.eh.e_machine = 183);
	REFUSED("a relocatable object, not an executable", im.eh.e_type = ET_REL);
	REFUSED("program headers outside the file", im.eh.e_phoff = 1u << 30);
	REFUSED("a huge program header count", im.eh.e_phnum = 65000);
	REFUSED("a segment in the kernel half", im.ph[1].p_vaddr = 0xffffffff80000000ull);
	REFUSED("a segment crossing the user ceiling", (im.ph[1].p_vaddr = 0x7ffffffff000ull - 4096, im.ph[1].p_memsz = 8192));
	REFUSED("a segment at address 0", im.ph[0].p_vaddr = 0);
	REFUSED("a segment whose end wraps around", (im.ph[1].p_vaddr = 0x500000, im.ph[1].p_memsz = ~0ull - 100));
	REFUSED("a huge segment (over 1 GiB)", im.ph[1].p_memsz = 2ull << 30);
	REFUSED("file bytes beyond the end of the file (truncated)", im.ph[1].p_filesz = im.ph[1].p_memsz = 1u << 20);
	REFUSED("file size larger than memory size", im.ph[1].p_filesz = im.ph[1].p_memsz + 1);
	REFUSED("overlapping segments", im.ph[1].p_vaddr = 0x400800);
	REFUSED("segments sharing a page", im.ph[1].p_vaddr = 0x400f00 + 4096 - 4096);
	REFUSED("an interpreter (dynamic linking)", im.ph[1].p_type = PT_INTERP);
	REFUSED("no loadable segment", im.ph[0].p_type = im.ph[1].p_type = PT_NOTE);
	REFUSED("an entry point in the kernel half", im.eh.e_entry = 0xffffffff80000000ull);

	make_good(&im);
	CHECK_EQ("a file shorter than its header is refused", parse(&im, 10, &why), -ENOEXEC);
	CHECK("and the refusal says why", why != NULL && strlen(why) > 5);
	return unit_done();
}
