/*
 * The module loader: an ELF relocatable object into running kernel code
 * (course section: loadable modules).
 *
 * A .ko file is what `ld -r` makes: sections (.text, .rodata, .data, .bss,
 * ...) not yet placed anywhere, a symbol table, and relocations -- notes
 * like "at offset 0x1c of .text, put the address of printk minus this
 * place". Loading one is linking it, in the kernel:
 *   1. check the ELF header and every section and symbol against the size
 *      of the file (it comes from user space: nothing is trusted);
 *   2. lay out the sections that occupy memory (SHF_ALLOC) in three groups
 *      -- code, read-only data, writable data -- and copy them into pages
 *      of the module area, within 2 GiB of the kernel's code so that the
 *      32-bit PC-relative calls the compiler emits can reach the kernel;
 *   3. give every symbol an address: a module's own symbols by their
 *      section, the undefined ones by the kernel's export table (or an
 *      earlier module's);
 *   4. apply each relocation, checking the result fits its field;
 *   5. set the final page rights: code read+execute, read-only data read,
 *      data read+write and never executable.
 */
#include "arch/x86_64/x86.h"
#include "kernel/module/module.h"
#include "kernel/module/module_api.h"
#include "kernel/printk.h"
#include "libc/include/abi/elf.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/paging.h"

#define AREA_PAGES (MODULE_AREA_SIZE / PAGE_SIZE)
#define MAX_SECTIONS 256
#define MODULE_MEMORY_MAX (64ul << 20) /* per group: code, read-only data, data */

enum group { GROUP_TEXT, GROUP_RODATA, GROUP_DATA, GROUPS };

struct load {
	struct module *m;
	const uint8_t *image;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const char *secnames;
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strtab;
	size_t strtab_size;
	uint64_t *sec_addr;        /* where each section landed, 0 if not loaded */
	uint64_t group_size[GROUPS];
	uint64_t group_start[GROUPS];
};

static uint8_t area_used[AREA_PAGES / 8];

static int fail(const struct load *l, const char *why)
{
	printk("module: %s\n", why);
	(void)l;
	return -ENOEXEC;
}

static bool in_file(const struct load *l, uint64_t off, uint64_t len)
{
	return off <= l->size && len <= l->size - off;
}

/* --- step 1: checking -------------------------------------------------------------- */

static int check_header(struct load *l)
{
	const Elf64_Ehdr *eh = l->eh;
	if (l->size < sizeof(*eh) || memcmp(eh->e_ident, "\x7f" "ELF", 4))
		return fail(l, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(l, "not a 64-bit little-endian ELF file");
	if (eh->e_machine != EM_X86_64)
		return fail(l, "not built for x86_64");
	if (eh->e_type != ET_REL)
		return fail(l, "not a relocatable object (build it with ld -r)");
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 || eh->e_shnum > MAX_SECTIONS ||
	    eh->e_shstrndx >= eh->e_shnum)
		return fail(l, "bad section header table");
	if (!in_file(l, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return fail(l, "section headers lie outside the file (truncated?)");
	l->sh = (const Elf64_Shdr *)(l->image + eh->e_shoff);
	return 0;
}

static int check_sections(struct load *l)
{
	int symtab = -1;
	for (int i = 0; i < l->eh->e_shnum; i++) {
		const Elf64_Shdr *s = &l->sh[i];
		if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL && !in_file(l, s->sh_offset, s->sh_size))
			return fail(l, "a section lies outside the file (truncated?)");
		if (s->sh_link >= l->eh->e_shnum || (s->sh_type == SHT_RELA && s->sh_info >= l->eh->e_shnum))
			return fail(l, "a section refers to a section that does not exist");
		if (s->sh_addralign > PAGE_SIZE || (s->sh_addralign & (s->sh_addralign - 1)))
			return fail(l, "a section has an unusable alignment");
		if (s->sh_type == SHT_REL)
			return fail(l, "REL relocations are not used on x86_64 (expected RELA)");
		if (s->sh_type == SHT_SYMTAB) {
			if (symtab >= 0)
				return fail(l, "two symbol tables");
			symtab = i;
		}
	}
	const Elf64_Shdr *names = &l->sh[l->eh->e_shstrndx];
	if (names->sh_type != SHT_STRTAB || names->sh_size == 0 ||
	    l->image[names->sh_offset + names->sh_size - 1] != 0)
		return fail(l, "bad section name table");
	l->secnames = (const char *)l->image + names->sh_offset;
	for (int i = 0; i < l->eh->e_shnum; i++)
		if (l->sh[i].sh_name >= names->sh_size)
			return fail(l, "a section name lies outside the name table");
	if (symtab < 0)
		return fail(l, "no symbol table");
	const Elf64_Shdr *st = &l->sh[symtab], *str = &l->sh[st->sh_link];
	if (st->sh_entsize != sizeof(Elf64_Sym) || str->sh_type != SHT_STRTAB || str->sh_size == 0 ||
	    l->image[str->sh_offset + str->sh_size - 1] != 0)
		return fail(l, "bad symbol table");
	l->syms = (const Elf64_Sym *)(l->image + st->sh_offset);
	l->nsyms = st->sh_size / sizeof(Elf64_Sym);
	l->strtab = (const char *)l->image + str->sh_offset;
	l->strtab_size = str->sh_size;
	for (size_t i = 0; i < l->nsyms; i++) {
		const Elf64_Sym *s = &l->syms[i];
		if (s->st_name >= l->strtab_size)
			return fail(l, "a symbol name lies outside the string table");
		if (s->st_shndx == SHN_COMMON)
			return fail(l, "common symbols: build modules with -fno-common");
		/* Its section: none (undefined), absolute, or one that exists. The
		 * other reserved numbers (SHN_XINDEX...) are not used by ld -r for
		 * objects this small. */
		if (s->st_shndx != SHN_UNDEF && s->st_shndx != SHN_ABS && s->st_shndx >= l->eh->e_shnum)
			return fail(l, "a symbol refers to a section that does not exist");
	}
	return 0;
}

/* --- step 2: layout and copy -------------------------------------------------------------- */

static enum group group_of(const Elf64_Shdr *s)
{
	if (s->sh_flags & SHF_EXECINSTR)
		return GROUP_TEXT;
	return (s->sh_flags & SHF_WRITE) ? GROUP_DATA : GROUP_RODATA;
}

static uint64_t area_alloc(size_t pages)
{
	size_t run = 0;
	for (size_t p = 0; p < AREA_PAGES; p++) {
		run = (area_used[p / 8] & (1 << (p % 8))) ? 0 : run + 1;
		if (run == pages + 1) { /* one page more: an unmapped gap after each module */
			size_t first = p + 1 - run;
			for (size_t q = first; q < first + pages; q++)
				area_used[q / 8] |= 1 << (q % 8);
			return MODULE_AREA + first * PAGE_SIZE;
		}
	}
	return 0;
}

static void area_release(uint64_t base, size_t pages)
{
	size_t first = (base - MODULE_AREA) / PAGE_SIZE;
	for (size_t q = first; q < first + pages; q++)
		area_used[q / 8] &= ~(1 << (q % 8));
}

void module_unmap(struct module *m)
{
	if (!m->base)
		return;
	for (size_t i = 0; i < m->pages; i++) {
		uint64_t va = m->base + i * PAGE_SIZE;
		uint64_t *pte = pte_lookup(kernel_pml4, va, false);
		if (pte && (*pte & PTE_P)) {
			phys_addr_t f = *pte & PTE_ADDR_MASK;
			kernel_unmap_page(va);
			frame_free(f);
		}
	}
	area_release(m->base, m->pages);
	m->base = 0;
}

static int layout(struct load *l)
{
	uint64_t offset[MAX_SECTIONS];
	for (int i = 0; i < l->eh->e_shnum; i++) {
		const Elf64_Shdr *s = &l->sh[i];
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0)
			continue;
		enum group g = group_of(s);
		uint64_t align = s->sh_addralign ? s->sh_addralign : 1;
		if (s->sh_size > MODULE_MEMORY_MAX) /* first: a huge .bss must not wrap the sum */
			return fail(l, "module is too large");
		offset[i] = ALIGN_UP(l->group_size[g], align);
		l->group_size[g] = offset[i] + s->sh_size;
		if (l->group_size[g] > MODULE_MEMORY_MAX)
			return fail(l, "module is too large");
	}
	uint64_t total = 0;
	for (int g = 0; g < GROUPS; g++) {
		l->group_start[g] = total;
		total += ALIGN_UP(l->group_size[g], PAGE_SIZE);
	}
	struct module *m = l->m;
	m->pages = total / PAGE_SIZE;
	if (m->pages == 0)
		return fail(l, "module has no code or data");
	m->base = area_alloc(m->pages);
	if (!m->base)
		return -ENOMEM;
	for (size_t i = 0; i < m->pages; i++) {
		phys_addr_t f = frame_alloc();
		if (!f) {
			m->pages = i; /* only these were mapped */
			module_unmap(m);
			return -ENOMEM;
		}
		kernel_map_page(m->base + i * PAGE_SIZE, f, PTE_W | pte_nx());
	}
	for (int i = 0; i < l->eh->e_shnum; i++) {
		const Elf64_Shdr *s = &l->sh[i];
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0)
			continue;
		l->sec_addr[i] = m->base + l->group_start[group_of(s)] + offset[i];
		if (s->sh_type != SHT_NOBITS)
			memcpy((void *)l->sec_addr[i], l->image + s->sh_offset, s->sh_size);
	}
	m->text_start = m->base;
	m->text_end = m->base + l->group_size[GROUP_TEXT];
	return 0;
}

/* --- step 3: symbols ---------------------------------------------------------------------- */

static int symbol_address(struct load *l, const Elf64_Sym *s, uint64_t *out)
{
	const char *name = l->strtab + s->st_name;
	if (s->st_shndx == SHN_UNDEF) {
		if (ELF64_ST_TYPE(s->st_info) == STT_NOTYPE && !name[0]) {
			*out = 0; /* the null symbol */
			return 0;
		}
		if (!strcmp(name, "__this_module")) {
			*out = (uint64_t)l->m;
			return 0;
		}
		const void *a = symbol_resolve(name, l->m);
		if (!a) {
			if (ELF64_ST_BIND(s->st_info) == STB_WEAK) {
				*out = 0;
				return 0;
			}
			printk("module %s: unknown symbol %s\n", l->m->name[0] ? l->m->name : "?", name);
			return -ENOENT;
		}
		*out = (uint64_t)a;
		return 0;
	}
	if (s->st_shndx == SHN_ABS) {
		*out = s->st_value;
		return 0;
	}
	uint64_t base = l->sec_addr[s->st_shndx];
	*out = base ? base + s->st_value : 0;
	return 0;
}

/* --- step 4: relocations ---------------------------------------------------------------------- */

static int relocate_one(struct load *l, const Elf64_Shdr *target, uint64_t target_addr, const Elf64_Rela *r)
{
	uint32_t type = ELF64_R_TYPE(r->r_info);
	uint64_t symi = ELF64_R_SYM(r->r_info);
	if (symi >= l->nsyms)
		return fail(l, "a relocation names a symbol that does not exist");
	size_t width = type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;
	if (r->r_offset > target->sh_size || width > target->sh_size - r->r_offset)
		return fail(l, "a relocation lies outside its section");
	uint64_t S;
	int err = symbol_address(l, &l->syms[symi], &S);
	if (err)
		return err;
	uint64_t P = target_addr + r->r_offset;
	uint64_t value = S + (uint64_t)r->r_addend;
	void *where = (void *)P;
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		memcpy(where, &value, 8);
		return 0;
	case R_X86_64_PC64:
		value -= P;
		memcpy(where, &value, 8);
		return 0;
	case R_X86_64_PC32:
	case R_X86_64_PLT32: /* no PLT in the kernel: a direct call */
		value -= P;
		if ((int64_t)value != (int32_t)value)
			return fail(l, "a 32-bit PC-relative relocation is out of range");
		break;
	case R_X86_64_32:
		if (value != (uint32_t)value)
			return fail(l, "a 32-bit relocation is out of range (build with -mcmodel=kernel)");
		break;
	case R_X86_64_32S:
		if ((int64_t)value != (int32_t)value)
			return fail(l, "a 32-bit signed relocation is out of range");
		break;
	default:
		return fail(l, "a relocation type the loader does not know");
	}
	uint32_t v32 = (uint32_t)value;
	memcpy(where, &v32, 4);
	return 0;
}

static int relocate(struct load *l)
{
	for (int i = 0; i < l->eh->e_shnum; i++) {
		const Elf64_Shdr *rs = &l->sh[i];
		if (rs->sh_type != SHT_RELA || !l->sec_addr[rs->sh_info])
			continue; /* relocations of sections not loaded (debug info) */
		if (rs->sh_entsize != sizeof(Elf64_Rela))
			return fail(l, "bad relocation table");
		const Elf64_Rela *r = (const Elf64_Rela *)(l->image + rs->sh_offset);
		for (size_t k = 0; k < rs->sh_size / sizeof(*r); k++) {
			int err = relocate_one(l, &l->sh[rs->sh_info], l->sec_addr[rs->sh_info], &r[k]);
			if (err)
				return err;
		}
	}
	return 0;
}

/* --- step 5: rights, and what the module declares ------------------------------------------------ */

static void protect(struct load *l)
{
	for (size_t i = 0; i < l->m->pages; i++) {
		uint64_t off = i * PAGE_SIZE;
		uint64_t flags = off < l->group_start[GROUP_RODATA] ? 0 /* text: read, execute */
				 : off < l->group_start[GROUP_DATA] ? pte_nx()
								     : PTE_W | pte_nx();
		uint64_t *pte = pte_lookup(kernel_pml4, l->m->base + off, false);
		*pte = (*pte & PTE_ADDR_MASK) | flags | PTE_P | PTE_G;
		flush_tlb_page(l->m->base + off);
	}
}

static const Elf64_Shdr *find_section(struct load *l, const char *name, int *index)
{
	for (int i = 0; i < l->eh->e_shnum; i++)
		if (!strcmp(l->secnames + l->sh[i].sh_name, name)) {
			if (index)
				*index = i;
			return &l->sh[i];
		}
	return NULL;
}

/* The value of "tag=..." in .modinfo (in the file: no relocation needed). */
static const char *modinfo(struct load *l, const char *tag)
{
	const Elf64_Shdr *s = find_section(l, ".modinfo", NULL);
	if (!s || s->sh_type == SHT_NOBITS)
		return NULL;
	const char *p = (const char *)l->image + s->sh_offset, *end = p + s->sh_size;
	size_t n = strlen(tag);
	while (p < end) {
		size_t len = strnlen(p, end - p);
		if (len > n && !strncmp(p, tag, n) && p[n] == '=' && p + len < end)
			return p + n + 1;
		p += len + 1;
	}
	return NULL;
}

static uint64_t defined_function(struct load *l, const char *name)
{
	for (size_t i = 0; i < l->nsyms; i++) {
		const Elf64_Sym *s = &l->syms[i];
		if (s->st_shndx != SHN_UNDEF && ELF64_ST_BIND(s->st_info) != STB_LOCAL &&
		    !strcmp(l->strtab + s->st_name, name)) {
			uint64_t a;
			symbol_address(l, s, &a);
			return a;
		}
	}
	return 0;
}

static bool is_loaded_function(const struct load *l, const Elf64_Sym *s)
{
	return ELF64_ST_TYPE(s->st_info) == STT_FUNC && s->st_shndx < l->eh->e_shnum && l->sec_addr[s->st_shndx];
}

/* Keep the module's function names, sorted, for oops reports. */
static int keep_symbols(struct load *l)
{
	struct module *m = l->m;
	size_t n = 0, bytes = 0;
	for (size_t i = 0; i < l->nsyms; i++)
		if (is_loaded_function(l, &l->syms[i])) {
			n++;
			bytes += strlen(l->strtab + l->syms[i].st_name) + 1;
		}
	m->symbols = kmalloc(sizeof(*m->symbols) * (n ? n : 1));
	m->strings = kmalloc(bytes ? bytes : 1);
	if (!m->symbols || !m->strings)
		return -ENOMEM;
	char *p = m->strings;
	for (size_t i = 0; i < l->nsyms; i++) {
		const Elf64_Sym *s = &l->syms[i];
		if (!is_loaded_function(l, s))
			continue;
		struct module_symbol ms = { l->sec_addr[s->st_shndx] + s->st_value, p };
		strcpy(p, l->strtab + s->st_name);
		p += strlen(p) + 1;
		size_t k = m->nsymbols++; /* insertion sort: modules have few functions */
		while (k > 0 && m->symbols[k - 1].address > ms.address) {
			m->symbols[k] = m->symbols[k - 1];
			k--;
		}
		m->symbols[k] = ms;
	}
	return 0;
}

/* --- tables the kernel reads from the module's memory ------------------------------------------ */

/* The parameter table (__param) and the export table (__ksymtab) are
 * the module's own data, relocated: the kernel follows their pointers, so
 * a broken file must not make it follow one out of the module. */
static bool in_module(const struct module *m, uint64_t p, uint64_t len)
{
	uint64_t end = m->base + m->pages * PAGE_SIZE;
	return p >= m->base && p <= end && len <= end - p;
}

static bool module_string(const struct module *m, const char *str)
{
	uint64_t left = m->base + m->pages * PAGE_SIZE - (uint64_t)str;
	return in_module(m, (uint64_t)str, 1) && strnlen(str, left) < left;
}

static const size_t param_size[] = { [PARAM_INT] = sizeof(int), [PARAM_UINT] = sizeof(unsigned),
				     [PARAM_LONG] = sizeof(long), [PARAM_BOOL] = sizeof(bool),
				     [PARAM_CHARP] = sizeof(char *) };

/* A loaded section holding whole entries of `entry` bytes, or NULL. */
static const void *table_section(struct load *l, const char *name, size_t entry, size_t *n, int *err)
{
	int idx;
	const Elf64_Shdr *s = find_section(l, name, &idx);
	*n = 0;
	*err = 0;
	if (!s)
		return NULL;
	if (!l->sec_addr[idx] || s->sh_size % entry) {
		*err = fail(l, "a __param or __ksymtab section that is not a table in memory");
		return NULL;
	}
	*n = s->sh_size / entry;
	return (const void *)l->sec_addr[idx];
}

static int find_params(struct load *l, const struct module_param **table, size_t *n)
{
	int err;
	*table = table_section(l, "__param", sizeof(**table), n, &err);
	for (size_t k = 0; !err && k < *n; k++) {
		const struct module_param *p = &(*table)[k];
		if ((unsigned)p->type > PARAM_CHARP || !module_string(l->m, p->name) ||
		    !in_module(l->m, (uint64_t)p->address, param_size[p->type]))
			err = fail(l, "a parameter whose name or variable lies outside the module");
	}
	return err;
}

static int find_exports(struct load *l)
{
	int err;
	size_t n;
	const struct kernel_symbol *table = table_section(l, "__ksymtab", sizeof(*table), &n, &err);
	for (size_t k = 0; !err && k < n; k++)
		if (!module_string(l->m, table[k].name))
			err = fail(l, "an exported symbol whose name lies outside the module");
	if (!err) {
		l->m->exports = table;
		l->m->nexports = n;
	}
	return err;
}

/* "a=1 b=text": each name must be a module_param of the module
 * (kernel/module/module_param.c sets them). */
static int apply_params(struct load *l, const char *params)
{
	const struct module_param *table;
	size_t n;
	int err = find_params(l, &table, &n);
	if (err)
		return err;
	l->m->params = table;
	l->m->nparams = n;
	return module_params_apply(l->m, table, n, params);
}

/* The kernel will call init and exit: they must be the module's code (or absent). */
static bool in_text(const struct module *m, uint64_t fn)
{
	return fn == 0 || (fn >= m->text_start && fn < m->text_end);
}

int module_link(struct module *m, const uint8_t *image, size_t size, const char *params)
{
	struct load l = { .m = m, .image = image, .size = size, .eh = (const Elf64_Ehdr *)image };
	int err = check_header(&l);
	if (!err)
		err = check_sections(&l);
	if (err)
		return err;
	const char *name = modinfo(&l, "name");
	if (!name || !name[0] || strlen(name) >= MODULE_NAME_LEN)
		return fail(&l, "no name (MODULE_NAME) in .modinfo");
	strcpy(m->name, name);
	const char *desc = modinfo(&l, "description");
	if (desc) {
		strncpy(m->description, desc, sizeof(m->description) - 1);
		m->description[sizeof(m->description) - 1] = 0;
	}
	if (module_find(m->name))
		return -EEXIST;
	l.sec_addr = kzalloc(sizeof(uint64_t) * MAX_SECTIONS);
	if (!l.sec_addr)
		return -ENOMEM;
	err = layout(&l);
	if (!err)
		err = relocate(&l);
	if (!err)
		err = keep_symbols(&l);
	if (!err) {
		m->init = (int (*)(void))defined_function(&l, "init_module");
		m->exit = (void (*)(void))defined_function(&l, "cleanup_module");
		if (!in_text(m, (uint64_t)m->init) || !in_text(m, (uint64_t)m->exit))
			err = fail(&l, "init_module or cleanup_module is not in the module's code");
	}
	if (!err)
		err = find_exports(&l);
	if (!err)
		err = apply_params(&l, params);
	if (!err)
		protect(&l);
	kfree(l.sec_addr);
	return err;
}
