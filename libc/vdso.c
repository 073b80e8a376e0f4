/*
 * C library: finding the vDSO's functions (course section: syscall basics
 * -- the vDSO).
 *
 * The kernel maps a small shared library into every process and passes
 * its address as AT_SYSINFO_EHDR. Its dynamic symbol table names the
 * functions it offers; clock_gettime here calls __vdso_clock_gettime from
 * it, a plain function call that reads the clock without entering the
 * kernel, and makes the syscall only where there is no vDSO (an old
 * kernel) or the vDSO has no such function.
 */
#include <elf.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

#include "internal.h"
#include "syscall_headers.h"

#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6

typedef struct {
	int64_t d_tag;
	uint64_t d_val;
} Elf64_Dyn;

/* The address of symbol name in the vDSO, or NULL. */
void *vdso_sym(const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
	if (!eh)
		return NULL;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	uint64_t base = (uint64_t)eh;
	const Elf64_Dyn *dyn = NULL;
	/* The library was linked at address 0 and loaded at eh: an address
	 * inside it is its value + (where the first PT_LOAD landed). */
	for (int k = 0; k < eh->e_phnum; k++) {
		if (ph[k].p_type == PT_LOAD)
			base = (uint64_t)eh + ph[k].p_offset - ph[k].p_vaddr;
		else if (ph[k].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)((uint64_t)eh + ph[k].p_offset);
	}
	const Elf64_Sym *sym = NULL;
	const char *str = NULL;
	const uint32_t *hash = NULL;
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			sym = (const Elf64_Sym *)(base + dyn->d_val);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const char *)(base + dyn->d_val);
		else if (dyn->d_tag == DT_HASH)
			hash = (const uint32_t *)(base + dyn->d_val);
	}
	if (!sym || !str || !hash)
		return NULL;
	for (uint32_t k = 0; k < hash[1]; k++) /* hash[1]: the number of symbols */
		if (sym[k].st_shndx != SHN_UNDEF && !strcmp(str + sym[k].st_name, name))
			return (void *)(base + sym[k].st_value);
	return NULL;
}

int clock_gettime(clockid_t clockid, struct timespec *tp)
{
	static int (*vdso_clock_gettime)(clockid_t, struct timespec *);
	static int looked;
	if (!looked) {
		vdso_clock_gettime = (int (*)(clockid_t, struct timespec *))vdso_sym("__vdso_clock_gettime");
		looked = 1;
	}
	if (vdso_clock_gettime)
		return (int)__syscall_ret(vdso_clock_gettime(clockid, tp));
	return (int)__syscall_ret(__syscall2(__NR_clock_gettime, clockid, (long)tp));
}
